import { DiscordAPIError, type REST } from '@discordjs/rest';
import { readBotInServer } from './check-channel-permissions.js';
import {
  findMissing,
  listServerNeeds,
  type PermissionKey,
  type SettingsNeeds,
} from './required-permissions.js';

/**
 * What the bot lacks across the server for these settings (Create Events, for events), read
 * fresh from Discord: its roles and the server's owner, three requests. Guild-level permissions
 * are a channel's without overwrites; Discord checks them so for external events.
 */
export async function checkServerAccess(
  rest: REST,
  { guildId, botId }: { guildId: string; botId: string },
  settings: SettingsNeeds,
): Promise<{ missing: PermissionKey[] } | 'discord-unavailable'> {
  const needs = listServerNeeds(settings);
  if (needs.length === 0) return { missing: [] };
  try {
    return { missing: findMissing(await readServerPermissions(rest, guildId, botId), needs) };
  } catch (error) {
    // Any other 4xx is a bug on the bot's side, for the router's "unexpected" answer.
    if (error instanceof DiscordAPIError && error.status < 500) throw error;
    return 'discord-unavailable';
  }
}

/** The bot's guild-level permissions, by Discord's algorithm (the owner and admins have all). */
export async function readServerPermissions(
  rest: REST,
  guildId: string,
  botId: string,
): Promise<bigint> {
  return (await readBotInServer(rest, guildId, botId)).permissionsWith([]);
}
