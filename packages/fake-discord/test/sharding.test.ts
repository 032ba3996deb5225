import { describe, expect, it } from 'vitest';
import { shardIdForGuild, snowflakeFromTimestamp } from '../src/fake-discord.js';
import { useHarness } from './harness.js';

describe('fake-discord: sharding', () => {
  const harness = useHarness();

  it('splits guilds across two shards and becomes ready on both', async () => {
    // Consecutive millisecond timestamps alternate between the two shards.
    const base = Date.UTC(2024, 0, 1);
    const guildIds = [0, 1, 2, 3].map((offset) => snowflakeFromTimestamp(base + offset));
    const fake = await harness.start({
      shardCount: 2,
      // Two rate-limit keys, so both shards identify at once, as large bots may.
      sessionStartLimit: { maxConcurrency: 2 },
      guilds: guildIds.map((id) => ({ id })),
    });
    // discord.js v14 defaults to shardCount 1; only shards: 'auto' follows /gateway/bot's `shards`.
    const client = await harness.login(fake, { shards: 'auto' });

    expect(client.options.shardCount).toBe(2);
    expect(client.ws.shards.size).toBe(2);
    expect(client.guilds.cache.size).toBe(4);
    for (const id of guildIds) {
      const guild = client.guilds.cache.get(id);
      expect(guild?.available).toBe(true);
      expect(guild?.shardId).toBe(shardIdForGuild(id, 2));
    }
    expect(new Set(guildIds.map((id) => shardIdForGuild(id, 2)))).toEqual(new Set([0, 1]));
    expect(
      fake.gatewayLog
        .filter((e) => e.kind === 'identify')
        .map((e) => e.shardId)
        .sort(),
    ).toEqual([0, 1]);

    // A guild added later arrives on the shard that owns it.
    const lateId = snowflakeFromTimestamp(base + 5);
    const joined = new Promise<number>((resolve) => {
      client.once('guildCreate', (guild) => resolve(guild.shardId));
    });
    fake.addGuild({ id: lateId, name: 'late' });
    expect(await joined).toBe(shardIdForGuild(lateId, 2));
  });

  it('routes by the shard count the client identified with, not the recommended one', async () => {
    const base = Date.UTC(2024, 0, 1);
    const guildIds = [0, 1].map((offset) => snowflakeFromTimestamp(base + offset));
    const fake = await harness.start({
      shardCount: 2,
      // Two rate-limit keys, so both shards identify at once, as large bots may.
      sessionStartLimit: { maxConcurrency: 2 },
      guilds: guildIds.map((id) => ({ id })),
    });

    const client = await harness.login(fake);

    expect(client.ws.shards.size).toBe(1);
    expect(client.guilds.cache.size).toBe(2);
    expect(fake.gatewaySessions.map((s) => [s.shardId, s.shardCount])).toEqual([[0, 1]]);
  });
});
