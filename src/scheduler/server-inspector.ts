import type { AlertProblem, ChannelIssue } from '../domain/alert-problem.js';
import type { ChannelKind, GuildSettings } from '../domain/guild-settings.js';

/** What a check learnt about one server from Discord. */
export interface ServerInspection {
  /** What the settings need that is missing; empty when all is well. */
  problems: AlertProblem[];
  /** The posts' channel's kind as Discord says now; unset when it is gone or hidden. */
  channelKind?: ChannelKind;
  /** The community updates channel of a Community server. */
  communityChannelId?: string;
}

export type Inspection =
  | { ok: true; inspection: ServerInspection }
  /** Discord or the network failed: nothing learnt, try again later. */
  | { ok: false; detail: string };

/** Whether an alert can go to a channel: 'ok', or why not. */
export type AlertChannelAccess = 'ok' | ChannelIssue | { kind: 'unavailable'; detail: string };

/**
 * Reads a server from Discord for the checks before each day. The Discord implementation lives
 * with the Discord code and takes the needs from the one list (src/discord/required-permissions.ts),
 * so the checks ask for whatever each feature adds there.
 */
export interface ServerInspector {
  /** Requests one `inspect` makes, for pacing. */
  readonly inspectRequests: number;
  /** Requests one `checkAlertChannel` makes, for pacing. */
  readonly alertChannelRequests: number;
  inspect(settings: GuildSettings & { channelId: string }): Promise<Inspection>;
  /** Whether the bot may post an alert (plain text) in this channel of the server. */
  checkAlertChannel(guildId: string, channelId: string): Promise<AlertChannelAccess>;
}
