import { DiscordAPIError, type REST } from '@discordjs/rest';
import { type APIChannel, GuildFeature } from 'discord-api-types/v10';
import type { AlertProblem } from '../domain/alert-problem.js';
import type { GuildSettings } from '../domain/guild-settings.js';
import type {
  AlertChannelAccess,
  Inspection,
  ServerInspector,
} from '../scheduler/server-inspector.js';
import {
  readBotInServer,
  readChannel,
  readChannelPermissions,
  readOverwrites,
  toChannelKind,
} from './check-channel-permissions.js';
import {
  ALERT_PERMISSIONS,
  findMissing,
  listChannelNeeds,
  listServerNeeds,
} from './required-permissions.js';

/**
 * Reads what the checks before each day need: the posts' channel, the server's roles, the bot's
 * member and the server itself (its owner and its community updates channel), four requests.
 * The needs come from required-permissions.ts, the one list every feature adds to.
 */
export class DiscordServerInspector implements ServerInspector {
  readonly inspectRequests = 4;
  readonly alertChannelRequests = 4;

  constructor(
    private readonly rest: REST,
    /** The bot's user id, known once the gateway is ready. */
    private readonly botUserId: () => string | undefined,
  ) {}

  async inspect(settings: GuildSettings & { channelId: string }): Promise<Inspection> {
    const botId = this.botUserId();
    if (!botId) return { ok: false, detail: 'not logged in' };
    const { guildId, channelId } = settings;
    try {
      const [read, bot] = await Promise.all([
        readChannel(this.rest, channelId),
        readBotInServer(this.rest, guildId, botId),
      ]);
      const { guild } = bot;
      // Discord hides a channel the bot cannot see (403 Missing Access); a deleted one is 404.
      const channel = read === 'not-found' ? 'gone' : read;
      const problems: AlertProblem[] = [];
      let channelKind: ReturnType<typeof toChannelKind>;
      if (channel === 'gone' || (channel !== 'no-view' && !isChannelOf(channel, guildId))) {
        problems.push({ kind: 'channel-gone', channelId });
      } else if (channel === 'no-view') {
        problems.push({ kind: 'channel-permissions', channelId, missing: ['viewChannel'] });
      } else {
        channelKind = toChannelKind(channel.type);
        const missing = findMissing(
          bot.permissionsWith(readOverwrites(channel)),
          listChannelNeeds(settings, channelKind ?? settings.channelKind ?? 'text'),
        );
        if (missing.length > 0) problems.push({ kind: 'channel-permissions', channelId, missing });
        if (
          settings.publish &&
          settings.channelKind === 'announcement' &&
          channelKind !== 'announcement'
        ) {
          problems.push({ kind: 'not-announcement', channelId });
        }
      }
      // Server-wide permissions: the roles alone, no channel's overwrites.
      const serverMissing = findMissing(bot.permissionsWith([]), listServerNeeds(settings));
      if (serverMissing.length > 0)
        problems.push({ kind: 'server-permissions', missing: serverMissing });
      const community =
        guild.features.includes(GuildFeature.Community) && guild.public_updates_channel_id;
      return {
        ok: true,
        inspection: {
          problems,
          ...(channelKind ? { channelKind } : {}),
          ...(community ? { communityChannelId: community } : {}),
        },
      };
    } catch (error) {
      return { ok: false, detail: describeError(error) };
    }
  }

  async checkAlertChannel(guildId: string, channelId: string): Promise<AlertChannelAccess> {
    const botId = this.botUserId();
    if (!botId) return { kind: 'unavailable', detail: 'not logged in' };
    try {
      const access = await readChannelPermissions(this.rest, { guildId, channelId, botId });
      if (access === 'not-found') return { kind: 'gone' };
      if (access === 'no-view') return { kind: 'missing', permissions: ['viewChannel'] };
      const missing = findMissing(access.permissions, ALERT_PERMISSIONS);
      return missing.length === 0 ? 'ok' : { kind: 'missing', permissions: missing };
    } catch (error) {
      return { kind: 'unavailable', detail: describeError(error) };
    }
  }
}

function isChannelOf(channel: APIChannel, guildId: string): boolean {
  return 'guild_id' in channel && channel.guild_id === guildId;
}

function describeError(error: unknown): string {
  if (error instanceof DiscordAPIError) return `${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
