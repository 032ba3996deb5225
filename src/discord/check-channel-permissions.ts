import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIOverwrite,
  type APIRole,
  ChannelFlags,
  ChannelType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import type { ChannelKind } from '../domain/guild-settings.js';
import { computeChannelPermissions } from './compute-permissions.js';
import {
  findMissing,
  listChannelNeeds,
  type PermissionKey,
  type SettingsNeeds,
} from './required-permissions.js';

export interface ChannelAccess {
  missing: PermissionKey[];
  /** The kind of channel; unset when it is none the bot can post in. */
  channelKind?: ChannelKind;
  /** Whether the bot can ping a role that is not set as mentionable. */
  canMentionAnyRole: boolean;
  /** The bot's permissions in the channel (0 when it cannot see it). */
  permissions: bigint;
  /** A forum's tags, and whether every post needs one. */
  forum?: ForumInfo;
}

export interface ForumTag {
  id: string;
  name: string;
  /** Only members with Manage Threads may apply it. */
  moderated: boolean;
}

export interface ForumInfo {
  /** The forum's REQUIRE_TAG flag: Discord refuses a post without a tag (40067). */
  requireTag: boolean;
  tags: readonly ForumTag[];
}

/** Discord's answers to reading a channel that setup must tell apart. */
const NOT_FOUND = 404;

/** Why the check could not be made: the channel is not this server's, or Discord did not answer. */
export type ChannelAccessProblem = 'not-in-server' | 'discord-unavailable';

/**
 * The bot's own permissions in a channel, read fresh from Discord. The bot keeps no cache of
 * channels, roles or members (memory stays flat with the number of servers), and setup is rare.
 */
export async function checkChannelAccess(
  rest: REST,
  { guildId, botId }: { guildId: string; botId: string },
  channelId: string,
  settings: SettingsNeeds = { publish: true, events: false, thread: false },
): Promise<ChannelAccess | ChannelAccessProblem> {
  let access: ChannelPermissions;
  try {
    access = await readChannelPermissions(rest, { guildId, channelId, botId });
  } catch (error) {
    // Any other 4xx is a bug on the bot's side, for the router's "unexpected" answer.
    if (error instanceof DiscordAPIError && error.status < 500) throw error;
    return 'discord-unavailable';
  }
  // Without View Channel Discord hides everything else about the channel, so name that first.
  if (access === 'no-view') {
    return { missing: ['viewChannel'], canMentionAnyRole: false, permissions: 0n };
  }
  if (access === 'not-found') return 'not-in-server';
  const { permissions, channelType, forum } = access;
  const channelKind = toChannelKind(channelType);
  return {
    missing: findMissing(permissions, listChannelNeeds(settings, channelKind ?? 'text')),
    ...(channelKind ? { channelKind } : {}),
    canMentionAnyRole: (permissions & PermissionFlagsBits.MentionEveryone) !== 0n,
    permissions,
    ...(forum ? { forum } : {}),
  };
}

const CHANNEL_KINDS: Partial<Record<ChannelType, ChannelKind>> = {
  [ChannelType.GuildText]: 'text',
  [ChannelType.GuildAnnouncement]: 'announcement',
  [ChannelType.GuildForum]: 'forum',
};

/** The kind of a Discord channel, for the channels the bot can post in. */
export function toChannelKind(type: ChannelType): ChannelKind | undefined {
  return CHANNEL_KINDS[type];
}

/**
 * The bot's permissions in a channel; 'no-view' when Discord hides the channel from it (403
 * Missing Access), 'not-found' when it is no channel of this server. Other errors are thrown.
 */
export type ChannelPermissions =
  | { permissions: bigint; channelType: ChannelType; forum?: ForumInfo }
  | 'no-view'
  | 'not-found';

/**
 * What Discord's permission algorithm needs to know of the bot in a server: its roles, its member
 * and the server (for the owner), three requests. `permissionsWith` gives the bot's permissions
 * under a channel's overwrites; with none, its server-wide permissions.
 */
export interface BotInServer {
  guild: APIGuild;
  permissionsWith(overwrites: readonly APIOverwrite[]): bigint;
}

export async function readBotInServer(
  rest: REST,
  guildId: string,
  botId: string,
): Promise<BotInServer> {
  const [roles, member, guild] = await Promise.all([
    rest.get(Routes.guildRoles(guildId)) as Promise<APIRole[]>,
    rest.get(Routes.guildMember(guildId, botId)) as Promise<APIGuildMember>,
    rest.get(Routes.guild(guildId)) as Promise<APIGuild>,
  ]);
  return {
    guild,
    permissionsWith: (overwrites) =>
      computeChannelPermissions({
        guildId,
        ownerId: guild.owner_id,
        memberId: botId,
        memberRoleIds: member.roles,
        roles: roles.map((role) => ({ id: role.id, permissions: BigInt(role.permissions) })),
        overwrites: overwrites.map((o) => ({
          id: o.id,
          type: o.type,
          allow: BigInt(o.allow),
          deny: BigInt(o.deny),
        })),
      }),
  };
}

/**
 * A channel as the bot may read it: 'no-view' when Discord hides it (403 Missing Access),
 * 'not-found' when it is gone or of no server the bot is in (404). Other errors are thrown.
 */
export async function readChannel(
  rest: REST,
  channelId: string,
): Promise<APIChannel | 'no-view' | 'not-found'> {
  try {
    return (await rest.get(Routes.channel(channelId))) as APIChannel;
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingAccess)
      return 'no-view';
    if (error instanceof DiscordAPIError && error.status === NOT_FOUND) return 'not-found';
    throw error;
  }
}

/** A channel's permission overwrites; a channel without any has none. */
export function readOverwrites(channel: APIChannel): readonly APIOverwrite[] {
  return 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
}

/** The bot's permissions in one channel by Discord's documented algorithm, from 4 requests. */
export async function readChannelPermissions(
  rest: REST,
  ids: { guildId: string; channelId: string; botId: string },
): Promise<ChannelPermissions> {
  const { guildId, channelId, botId } = ids;
  const [channel, bot] = await Promise.all([
    readChannel(rest, channelId),
    readBotInServer(rest, guildId, botId),
  ]);
  if (channel === 'no-view' || channel === 'not-found') return channel;
  if (!('guild_id' in channel) || channel.guild_id !== guildId) return 'not-found';
  return {
    channelType: channel.type,
    ...(channel.type === ChannelType.GuildForum
      ? {
          forum: {
            requireTag: ((channel.flags ?? 0) & ChannelFlags.RequireTag) !== 0,
            tags: channel.available_tags.map(({ id, name, moderated }) => ({
              id,
              name,
              moderated,
            })),
          },
        }
      : {}),
    permissions: bot.permissionsWith(readOverwrites(channel)),
  };
}
