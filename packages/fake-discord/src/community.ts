import { ChannelType } from 'discord-api-types/v10';
import type { FakeChannel, FakeChannelType, FakeGuild } from './fake-state.js';

/**
 * A Community server's own channels. Discord asks for both when a server turns Community on
 * (Server Settings → Enable Community): the rules channel, and the community updates channel
 * (`public_updates_channel_id`), "where admins and moderators of Community guilds receive
 * notices from Discord". Both must be text channels of the server (50086), and neither can be
 * deleted while Community is on (50074). A server that is not Community has neither.
 */
export interface FakeCommunitySpec {
  rulesChannelId: string;
  publicUpdatesChannelId: string;
}

/** What Discord's guild object says about these channels and features. */
export interface FakeGuildChannels {
  features: string[];
  rulesChannelId: string | null;
  publicUpdatesChannelId: string | null;
  /** Welcome and boost notices; any server may have one, Community or not. */
  systemChannelId: string | null;
}

/** Community servers can create announcement channels: Discord gives them NEWS with COMMUNITY. */
const COMMUNITY_FEATURES = ['COMMUNITY', 'NEWS'];

/** Checks a seed as Discord checks Modify Guild; throws what Discord would refuse. */
export function readGuildChannels(
  guildId: string,
  channels: readonly FakeChannel[],
  community: FakeCommunitySpec | undefined,
  systemChannelId: string | undefined,
): FakeGuildChannels {
  const requireChannel = (id: string, what: string): FakeChannel => {
    const channel = channels.find((c) => c.id === id);
    if (!channel) throw new Error(`fake-discord: ${what} ${id} is no channel of guild ${guildId}`);
    return channel;
  };
  if (systemChannelId !== undefined) {
    const channel = requireChannel(systemChannelId, 'system channel');
    if (channel.type !== ChannelType.GuildText)
      throw new Error(`fake-discord: system channel ${systemChannelId} must be a text channel`);
  }
  if (!community) {
    return {
      features: [],
      rulesChannelId: null,
      publicUpdatesChannelId: null,
      systemChannelId: systemChannelId ?? null,
    };
  }
  for (const [id, what] of [
    [community.rulesChannelId, 'rules channel'],
    [community.publicUpdatesChannelId, 'community updates channel'],
  ] as const) {
    if (requireChannel(id, what).type !== ChannelType.GuildText) {
      throw new Error(
        `fake-discord: 50086 Community server channels must be text channels (${what} ${id})`,
      );
    }
  }
  return {
    features: [...COMMUNITY_FEATURES],
    rulesChannelId: community.rulesChannelId,
    publicUpdatesChannelId: community.publicUpdatesChannelId,
    systemChannelId: systemChannelId ?? null,
  };
}

/**
 * Deleting a channel as an admin would: refused for the channels Community needs (Discord's
 * 50074), and a deleted system channel leaves the server without one.
 */
export function checkChannelDeletion(guild: FakeGuild, channelId: string): void {
  if (channelId === guild.rulesChannelId || channelId === guild.publicUpdatesChannelId) {
    throw new Error(
      `fake-discord: 50074 Cannot delete a channel required for Community guilds (${channelId})`,
    );
  }
}

/**
 * Modify Channel's `type`: "only conversion between text and announcement is supported and only
 * in guilds with the NEWS feature"; a channel Community needs stays a text channel (50086).
 */
export function checkChannelConversion(
  guild: FakeGuild,
  channel: FakeChannel,
  type: FakeChannelType,
): void {
  const convertible = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
  if (!convertible.includes(channel.type) || !convertible.includes(type)) {
    throw new Error(
      `fake-discord: only text and announcement channels convert into each other (channel ${channel.id})`,
    );
  }
  if (!guild.features.includes('NEWS')) {
    throw new Error(
      `fake-discord: guild ${guild.id} lacks the NEWS feature (make it a Community server) to convert channel ${channel.id}`,
    );
  }
  if (
    type !== ChannelType.GuildText &&
    (channel.id === guild.rulesChannelId || channel.id === guild.publicUpdatesChannelId)
  ) {
    throw new Error(
      `fake-discord: 50086 Community server channels must be text channels (${channel.id})`,
    );
  }
}
