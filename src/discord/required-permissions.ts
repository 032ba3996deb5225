import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { BotStrings } from '../content/content-schema.js';
import type { ChannelKind, GuildSettings } from '../domain/guild-settings.js';

/**
 * Every Discord permission the bot may need, under the key of its name in
 * `data/locales/<code>.yaml` → `permissions`. What a server actually needs depends on its
 * settings: see the two functions below, which setup, options and the alerts all ask.
 */
export const PERMISSION_FLAGS = {
  viewChannel: PermissionFlagsBits.ViewChannel,
  sendMessages: PermissionFlagsBits.SendMessages,
  embedLinks: PermissionFlagsBits.EmbedLinks,
  readMessageHistory: PermissionFlagsBits.ReadMessageHistory,
  createEvents: PermissionFlagsBits.CreateEvents,
  createPublicThreads: PermissionFlagsBits.CreatePublicThreads,
  sendMessagesInThreads: PermissionFlagsBits.SendMessagesInThreads,
  manageThreads: PermissionFlagsBits.ManageThreads,
} as const satisfies Record<keyof BotStrings['permissions'], bigint>;

export type PermissionKey = keyof typeof PERMISSION_FLAGS;

/**
 * What every post needs in its channel. Read Message History lets the bot check the channel
 * after an unclear answer from Discord, instead of leaving the post unconfirmed.
 */
export const POST_PERMISSIONS = [
  'viewChannel',
  'sendMessages',
  'embedLinks',
  'readMessageHistory',
] as const satisfies readonly PermissionKey[];

/**
 * What every post needs in a forum, where each post starts a thread. Send Messages is what
 * Discord checks to start a forum post (Create Public Threads is ignored there); Embed Links
 * keeps the post's embed; Read Message History lets the bot list the forum's archived posts and
 * read their first message, the only way to find a post after an unclear answer, since a forum
 * post carries no nonce. The bot writes nothing after the first message, so Send Messages in
 * Threads is not needed; Manage Threads only for a tag that only moderators may apply (setup).
 */
export const FORUM_POST_PERMISSIONS = [
  'viewChannel',
  'sendMessages',
  'embedLinks',
  'readMessageHistory',
] as const satisfies readonly PermissionKey[];

export type SettingsNeeds = Pick<GuildSettings, 'publish' | 'events' | 'thread'>;

/** The permissions the bot needs in the posts' channel, for these settings and that channel. */
export function listChannelNeeds(settings: SettingsNeeds, kind: ChannelKind): PermissionKey[] {
  // A forum post is a thread already: `thread` adds nothing there.
  const needs: PermissionKey[] = [
    ...(kind === 'forum' ? FORUM_POST_PERMISSIONS : POST_PERMISSIONS),
  ];
  if (settings.thread && kind !== 'forum') needs.push('createPublicThreads');
  return needs;
}

/** The permissions the bot needs across the server (not tied to the posts' channel). */
export function listServerNeeds(settings: SettingsNeeds): PermissionKey[] {
  return settings.events ? ['createEvents'] : [];
}

/** The keys among `needs` that `permissions` lacks, in the order given. */
export function findMissing(permissions: bigint, needs: readonly PermissionKey[]): PermissionKey[] {
  return needs.filter((key) => (permissions & PERMISSION_FLAGS[key]) !== PERMISSION_FLAGS[key]);
}

/**
 * What an alert needs where it goes (the alerts channel or the community updates channel): it is
 * plain text, so no Embed Links.
 */
export const ALERT_PERMISSIONS = [
  'viewChannel',
  'sendMessages',
] as const satisfies readonly PermissionKey[];
