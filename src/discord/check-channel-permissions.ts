import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
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

/** Discord's answers to reading a channel that setup must tell apart. */
const MISSING_ACCESS = 50001;
const NOT_FOUND = 404;

/** Why the check could not be made: the channel is not this server's, or Discord did not answer. */
export type ChannelAccessProblem = 'not-in-server' | 'discord-unavailable';

/**
 * The bot's own permissions in a channel, read fresh from Discord. The bot keeps no cache of
 * channels, roles or members (memory stays flat with the number of servers), and setup is rare.
 */
export async function checkChannelAccess(
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Promise<ChannelAccess | ChannelAccessProblem> {
  try {
    return await readChannelAccess(interaction, channelId);
  } catch (error) {
    // Any other 4xx is a bug on the bot's side, for the router's "unexpected" answer.
    if (error instanceof DiscordAPIError && error.status < 500) throw error;
    return 'discord-unavailable';
  }
}

async function readChannelAccess(
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Promise<ChannelAccess | ChannelAccessProblem> {
  const { rest } = interaction.client;
  const guildId = interaction.guildId;
  const botId = interaction.client.user.id;
  if (!guildId) return 'not-in-server';
  const [channel, roles, member, ownerId] = await Promise.all([
    (rest.get(Routes.channel(channelId)) as Promise<APIChannel>).catch((error: unknown) => {
      // A channel the bot cannot see answers 403 Missing Access; one of no server it is in, 404.
      if (error instanceof DiscordAPIError && error.code === MISSING_ACCESS) return 'no-view';
      if (error instanceof DiscordAPIError && error.status === NOT_FOUND) return 'not-found';
      throw error;
    }),
    rest.get(Routes.guildRoles(guildId)) as Promise<APIRole[]>,
    rest.get(Routes.guildMember(guildId, botId)) as Promise<APIGuildMember>,
    interaction.guild?.ownerId ??
      (rest.get(Routes.guild(guildId)) as Promise<APIGuild>).then((guild) => guild.owner_id),
  ]);
  // Without View Channel Discord hides everything else about the channel, so name that first.
  if (channel === 'no-view') return { missing: ['viewChannel'], canMentionAnyRole: false };
  if (channel === 'not-found' || !('guild_id' in channel) || channel.guild_id !== guildId) {
    return 'not-in-server';
  }
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
