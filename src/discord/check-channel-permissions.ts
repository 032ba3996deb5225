import type { REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  PermissionFlagsBits,
  Routes,
} from 'discord-api-types/v10';
import type { BotStrings } from '../content/content-schema.js';
import { computeChannelPermissions } from './compute-permissions.js';

/** Exactly what the bot needs to post, and nothing more: the invite asks for these three. */
export const REQUIRED_PERMISSIONS = [
  { flag: PermissionFlagsBits.ViewChannel, key: 'viewChannel' },
  { flag: PermissionFlagsBits.SendMessages, key: 'sendMessages' },
  { flag: PermissionFlagsBits.EmbedLinks, key: 'embedLinks' },
] as const satisfies ReadonlyArray<{ flag: bigint; key: keyof BotStrings['permissions'] }>;

export type PermissionKey = (typeof REQUIRED_PERMISSIONS)[number]['key'];

export interface ChannelAccess {
  missing: PermissionKey[];
  /** Whether the bot can ping a role that is not set as mentionable. */
  canMentionAnyRole: boolean;
}

/**
 * The bot's own permissions in a channel, read fresh from Discord. The bot keeps no cache of
 * channels, roles or members (memory stays flat with the number of servers), and setup is rare.
 * Undefined when the channel is not one of this server's.
 */
export async function checkChannelAccess(
  rest: REST,
  { guildId, botId }: { guildId: string; botId: string },
  channelId: string,
): Promise<ChannelAccess | undefined> {
  const [channel, roles, member, ownerId] = await Promise.all([
    rest.get(Routes.channel(channelId)).catch(() => undefined) as Promise<APIChannel | undefined>,
    rest.get(Routes.guildRoles(guildId)) as Promise<APIRole[]>,
    rest.get(Routes.guildMember(guildId, botId)) as Promise<APIGuildMember>,
    (rest.get(Routes.guild(guildId)) as Promise<APIGuild>).then((guild) => guild.owner_id),
  ]);
  if (!channel || !('guild_id' in channel) || channel.guild_id !== guildId) return undefined;
  const overwrites =
    'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
  const permissions = computeChannelPermissions({
    guildId,
    ownerId,
    memberId: botId,
    memberRoleIds: member.roles,
    roles: roles.map((role) => ({ id: role.id, permissions: BigInt(role.permissions) })),
    overwrites: overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: BigInt(o.allow),
      deny: BigInt(o.deny),
    })),
  });
  return {
    missing: REQUIRED_PERMISSIONS.filter(({ flag }) => (permissions & flag) !== flag).map(
      ({ key }) => key,
    ),
    canMentionAnyRole: (permissions & PermissionFlagsBits.MentionEveryone) !== 0n,
  };
}
