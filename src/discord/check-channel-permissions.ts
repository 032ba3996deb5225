import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import type { BotStrings } from '../content/content-schema.js';

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
 * The bot's own permissions in a channel, from the gateway cache (roles, overwrites and the bot's
 * member arrive with each server), falling back to the API when something is not cached.
 */
export async function checkChannelAccess(
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Promise<ChannelAccess | undefined> {
  const guild =
    interaction.guild ??
    (interaction.guildId
      ? await interaction.client.guilds.fetch(interaction.guildId).catch(() => null)
      : null);
  if (!guild) return undefined;
  const channel =
    guild.channels.cache.get(channelId) ??
    (await guild.channels.fetch(channelId).catch(() => null));
  const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
  if (!channel || !me) return undefined;
  const permissions = channel.permissionsFor(me);
  return {
    missing: REQUIRED_PERMISSIONS.filter(({ flag }) => !permissions.has(flag)).map(
      ({ key }) => key,
    ),
    canMentionAnyRole: permissions.has(PermissionFlagsBits.MentionEveryone),
  };
}
