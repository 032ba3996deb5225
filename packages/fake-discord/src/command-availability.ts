import {
  type APIAuthorizingIntegrationOwnersMap,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import type { StoredCommand } from './commands.js';

/** Where a member types a command, from the app's point of view. */
export type InteractionPlace =
  /** A channel of one of the fake's guilds, where the bot is a member (the default). */
  | { kind: 'guild' }
  /** The member's DM with the bot: context BOT_DM. */
  | { kind: 'bot-dm' }
  /** A group DM (or a DM between users): context PRIVATE_CHANNEL, reached only by a user install. */
  | { kind: 'group-dm' }
  /** A server the bot is not in, reached through the member's own install: context GUILD. */
  | {
      kind: 'guild-without-bot';
      /** Default: a fresh id, of no guild the fake knows. */
      guildId?: string;
      channelId?: string;
      /** @everyone's permissions in the channel. Default: View Channel, Send Messages, Read Message History. */
      everyonePermissions?: bigint;
      /** Default 'en-US'. */
      preferredLocale?: string;
    };

export interface DeliveryQuestion {
  place: InteractionPlace;
  /** The guild of a `guild` place. */
  guildId: string | undefined;
  /** The command as the guild registered it, if it did. */
  guildCommand: StoredCommand | undefined;
  globalCommand: StoredCommand | undefined;
  /** Whether the member installed the app to their account. */
  userInstalled: boolean;
  userId: string;
}

export type Delivery =
  | {
      delivered: true;
      command: StoredCommand | undefined;
      owners: APIAuthorizingIntegrationOwnersMap;
    }
  | { delivered: false; reason: string };

export function contextOf(place: InteractionPlace): InteractionContextType {
  switch (place.kind) {
    case 'bot-dm':
      return InteractionContextType.BotDM;
    case 'group-dm':
      return InteractionContextType.PrivateChannel;
    default:
      return InteractionContextType.Guild;
  }
}

/**
 * Whether Discord would offer the command there and deliver its interaction, and through which
 * installs (`authorizing_integration_owners`). Discord shows a command only where its `contexts`
 * allow and where one of the member's ways to the app (the server's install, their own install)
 * is among its `integration_types`; guild commands exist only in their guild.
 */
export function decideDelivery(question: DeliveryQuestion): Delivery {
  const { place, guildId, guildCommand, globalCommand, userInstalled, userId } = question;
  if (place.kind === 'guild' && guildId !== undefined) {
    if (guildCommand) {
      return { delivered: true, command: guildCommand, owners: { 0: guildId } };
    }
    // Tests may inject a command they never registered; the bot's own servers still get it.
    if (!globalCommand) return { delivered: true, command: undefined, owners: { 0: guildId } };
  }
  if (!globalCommand) {
    return {
      delivered: false,
      reason:
        'no global command has that name (guild commands exist only in their guild, and Discord shows nothing unregistered)',
    };
  }
  const context = contextOf(place);
  const contexts = effectiveContexts(globalCommand);
  if (!contexts.includes(context)) {
    return {
      delivered: false,
      reason: `its contexts are [${contexts.join(', ')}], without ${context} (${InteractionContextType[context]})`,
    };
  }
  // The server's install reaches the bot's servers and the bot's DM; only the member's own
  // install reaches group DMs and servers without the bot.
  const ways: [ApplicationIntegrationType, string][] = [];
  if (place.kind === 'guild' && guildId !== undefined)
    ways.push([ApplicationIntegrationType.GuildInstall, guildId]);
  if (place.kind === 'bot-dm') ways.push([ApplicationIntegrationType.GuildInstall, '0']);
  if (userInstalled) ways.push([ApplicationIntegrationType.UserInstall, userId]);
  const types = Array.isArray(globalCommand.integration_types)
    ? (globalCommand.integration_types as unknown[])
    : [ApplicationIntegrationType.GuildInstall];
  const owners: APIAuthorizingIntegrationOwnersMap = {};
  for (const [type, owner] of ways) if (types.includes(type)) owners[type] = owner;
  if (Object.keys(owners).length === 0) {
    const had = ways.map(([type]) => ApplicationIntegrationType[type]).join(' or ') || 'no install';
    return {
      delivered: false,
      reason: `its integration_types are [${types.join(', ')}], and the member reaches the app here only through ${had}`,
    };
  }
  return { delivered: true, command: globalCommand, owners };
}

/**
 * A command registered without `contexts` has `contexts: null`, and Discord then offers it in
 * servers and in the bot's DM but not in group DMs (discord-api-docs issue 6744); the deprecated
 * `dm_permission: false` takes the bot's DM away.
 */
function effectiveContexts(command: StoredCommand): InteractionContextType[] {
  if (Array.isArray(command.contexts)) return command.contexts as InteractionContextType[];
  return command.dm_permission === false
    ? [InteractionContextType.Guild]
    : [InteractionContextType.Guild, InteractionContextType.BotDM];
}
