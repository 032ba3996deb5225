import {
  type APIGuild,
  type APIGuildCategoryChannel,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIGuildVoiceChannel,
  type APINewsChannel,
  type APIPublicThreadChannel,
  type APIRole,
  type APITextChannel,
  type APIUser,
  ChannelType,
  ForumLayoutType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  type GuildSystemChannelFlags,
  GuildVerificationLevel,
  OverwriteType,
  type RoleFlags,
} from 'discord-api-types/v10';
import type { FakeBotUser, FakeChannel, FakeGuild, FakeRole } from './fake-state.js';

// The flag enums have no zero member, yet 0 ("no flags") is what Discord sends.
const NO_FLAGS = 0;

export type FakeApiChannel =
  | APITextChannel
  | APINewsChannel
  | APIGuildVoiceChannel
  | APIGuildCategoryChannel
  | APIGuildForumChannel
  | APIPublicThreadChannel;

export function apiUser(user: FakeBotUser, bot: boolean): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: bot ? '0001' : '0',
    global_name: bot ? null : user.username,
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

export function apiRole(role: FakeRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    flags: NO_FLAGS as RoleFlags,
  };
}

/** GUILD_CREATE omits guild_id on its channels; REST and CHANNEL_* events include it. */
export function apiChannel(channel: FakeChannel, withGuildId: boolean): FakeApiChannel {
  const common = {
    id: channel.id,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    nsfw: false,
    permission_overwrites: channel.permissionOverwrites.map((o) => ({
      id: o.id,
      type: o.type === 0 ? OverwriteType.Role : OverwriteType.Member,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    ...(withGuildId ? { guild_id: channel.guildId } : {}),
  };
  switch (channel.type) {
    case ChannelType.GuildText:
    case ChannelType.GuildAnnouncement:
      return {
        ...common,
        type: channel.type,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      } as APITextChannel | APINewsChannel;
    case ChannelType.GuildVoice:
      return {
        ...common,
        type: channel.type,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      };
    case ChannelType.GuildCategory:
      return { ...common, type: channel.type, parent_id: null };
    case ChannelType.GuildForum:
      return {
        ...common,
        type: channel.type,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: channel.flags,
        available_tags: channel.availableTags.map((tag) => ({
          id: tag.id,
          name: tag.name,
          moderated: tag.moderated,
          emoji_id: null,
          emoji_name: null,
        })),
        ...(channel.defaultAutoArchiveDuration === null
          ? {}
          : { default_auto_archive_duration: channel.defaultAutoArchiveDuration }),
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: ForumLayoutType.NotSet,
      } as APIGuildForumChannel;
    case ChannelType.PublicThread:
      return apiThread(channel, withGuildId);
  }
}

/** A thread as Discord returns it; only forum posts are modelled (see threads.ts). */
function apiThread(channel: FakeChannel, withGuildId: boolean): APIPublicThreadChannel {
  const thread = channel.thread;
  if (!thread) throw new Error(`fake-discord: channel ${channel.id} is not a thread`);
  return {
    id: channel.id,
    type: ChannelType.PublicThread,
    name: channel.name,
    ...(withGuildId ? { guild_id: channel.guildId } : {}),
    parent_id: channel.parentId ?? '',
    owner_id: thread.ownerId,
    // The starter message has the thread's id.
    last_message_id: channel.id,
    rate_limit_per_user: 0,
    flags: channel.flags,
    applied_tags: [...thread.appliedTags],
    message_count: thread.messageCount,
    total_message_sent: thread.messageCount,
    member_count: 1,
    thread_metadata: {
      archived: thread.archived,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: new Date(thread.archiveTimestampMs).toISOString(),
      locked: thread.locked,
      create_timestamp: new Date(thread.createdAtMs).toISOString(),
    },
  } as APIPublicThreadChannel;
}

export function apiBotMember(guild: FakeGuild, bot: FakeBotUser): APIGuildMember {
  return {
    user: apiUser(bot, true),
    nick: null,
    avatar: null,
    banner: null,
    roles: [...guild.botRoleIds],
    joined_at: guild.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function apiGuild(guild: FakeGuild, applicationId: string | null = null): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles.map(apiRole),
    emojis: [],
    stickers: [],
    features: [...guild.features] as APIGuild['features'],
    mfa_level: GuildMFALevel.None,
    application_id: applicationId,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: NO_FLAGS as GuildSystemChannelFlags,
    rules_channel_id: guild.rulesChannelId,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale as APIGuild['preferred_locale'],
    public_updates_channel_id: guild.publicUpdatesChannelId,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/**
 * discord.js builds `guild.members.me` from `members` and `channel.permissionsFor()` from
 * `roles` + channel `permission_overwrites`, so those must be complete; the rest is realism.
 */
export function guildCreatePayload(
  guild: FakeGuild,
  bot: FakeBotUser,
): GatewayGuildCreateDispatchData {
  return {
    ...apiGuild(guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.memberCount,
    voice_states: [],
    members: [apiBotMember(guild, bot)],
    channels: guild.channels.map((c) =>
      apiChannel(c, false),
    ) as GatewayGuildCreateDispatchData['channels'],
    // Active threads only: archived ones are not synced over the gateway.
    threads: guild.threads
      .filter((t) => t.thread?.archived === false)
      .map((t) => apiChannel(t, true)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
