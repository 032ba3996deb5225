import type { FakeGuildSpec } from '@remembrance-bot/fake-discord';
import { createPrng, snowflakeFromTimestamp } from '@remembrance-bot/fake-discord';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';

export interface BenchGuild {
  id: string;
  /** The text channel the server's admin chose for the posts. */
  postChannelId: string;
  spec: FakeGuildSpec;
}

/** What one server looks like in GUILD_CREATE; stated in the report. */
export const GUILD_SHAPE =
  '3 channels (2 text, 1 voice), 3 roles (@everyone, one member role, the bot’s managed role), the bot as the only member in the payload, member_count 20–500';

/** Servers created between these dates get real-looking 18–19-digit ids. */
const FIRST_CREATED = Date.parse('2017-01-01T00:00:00Z');
const LAST_CREATED = Date.parse('2025-06-01T00:00:00Z');

const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

/**
 * `count` small servers with ids spread over the years like real ones, so that Discord's shard
 * formula ((id >> 22) % shards) spreads them evenly. Seeded: every run benchmarks the same servers.
 */
export function makeBenchGuilds(count: number, seed = 2027): BenchGuild[] {
  const random = createPrng(seed);
  const step = Math.floor((LAST_CREATED - FIRST_CREATED) / count);
  const guilds: BenchGuild[] = [];
  for (let index = 0; index < count; index += 1) {
    // One creation time per slot of `step` ms keeps ids unique; channels and roles follow within ms.
    const createdAt = FIRST_CREATED + index * step + Math.floor(random() * (step - 10));
    const id = snowflakeFromTimestamp(createdAt);
    const general = snowflakeFromTimestamp(createdAt + 1);
    const postChannelId = snowflakeFromTimestamp(createdAt + 2);
    const voice = snowflakeFromTimestamp(createdAt + 3);
    const memberRole = snowflakeFromTimestamp(createdAt + 4);
    guilds.push({
      id,
      postChannelId,
      spec: {
        id,
        name: `bench server ${index + 1}`,
        channels: [
          { id: general, name: 'general' },
          { id: postChannelId, name: 'remembrance' },
          { id: voice, name: 'General', type: ChannelType.GuildVoice },
        ],
        roles: [
          { id, permissions: EVERYONE_PERMISSIONS },
          { id: memberRole, name: 'members', permissions: 0n, mentionable: true },
        ],
        memberCount: 20 + Math.floor(random() * 480),
      },
    });
  }
  return guilds;
}
