import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
  type REST,
  Routes,
} from 'discord.js';
import type { BotStrings } from '../content/content-schema.js';
import { computeChannelPermissions } from './compute-permissions.js';

/**
 * Exactly what the bot needs, and nothing more: the invite asks for these four (84992). Read
 * Message History lets it check the channel after an unclear answer from Discord, instead of
 * leaving the post unconfirmed.
 */
export const REQUIRED_PERMISSIONS = [
  { flag: PermissionFlagsBits.ViewChannel, key: 'viewChannel' },
  { flag: PermissionFlagsBits.SendMessages, key: 'sendMessages' },
  { flag: PermissionFlagsBits.EmbedLinks, key: 'embedLinks' },
  { flag: PermissionFlagsBits.ReadMessageHistory, key: 'readMessageHistory' },
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
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Promise<ChannelAccess | undefined> {
  const guildId = interaction.guildId;
  if (!guildId) return undefined;
  const access = await readChannelPermissions(interaction.client.rest, {
    guildId,
    channelId,
    botId: interaction.client.user.id,
    ownerId: interaction.guild?.ownerId,
  });
  if (!access) return undefined;
  const { permissions } = access;
  return {
    missing: REQUIRED_PERMISSIONS.filter(({ flag }) => (permissions & flag) !== flag).map(
      ({ key }) => key,
    ),
    canMentionAnyRole: (permissions & PermissionFlagsBits.MentionEveryone) !== 0n,
  };
}

/**
 * The bot's permissions in one channel by Discord's documented algorithm, from three or four
 * requests. Undefined when the channel does not exist or is not in this server.
 */
export async function readChannelPermissions(
  rest: REST,
  ids: { guildId: string; channelId: string; botId: string; ownerId: string | undefined },
): Promise<{ permissions: bigint } | undefined> {
  const { guildId, channelId, botId } = ids;
  const [channel, roles, member, ownerId] = await Promise.all([
    rest.get(Routes.channel(channelId)).catch(() => undefined) as Promise<APIChannel | undefined>,
    rest.get(Routes.guildRoles(guildId)) as Promise<APIRole[]>,
    rest.get(Routes.guildMember(guildId, botId)) as Promise<APIGuildMember>,
    ids.ownerId ??
      (rest.get(Routes.guild(guildId)) as Promise<APIGuild>).then((guild) => guild.owner_id),
  ]);
  if (!channel || !('guild_id' in channel) || channel.guild_id !== guildId) return undefined;
  const overwrites =
    'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
  return {
    permissions: computeChannelPermissions({
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
    }),
  };
}
