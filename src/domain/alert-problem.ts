import type { BakuDate } from './baku-calendar.js';

/**
 * Something a server's settings need from Discord that a check found missing. Permission names
 * are the keys of `permissions:` in data/locales/ (see src/discord/required-permissions.ts).
 */
export type AlertProblem =
  /** The posts' channel no longer exists. */
  | { kind: 'channel-gone'; channelId: string }
  /** Permissions missing in the posts' channel. */
  | { kind: 'channel-permissions'; channelId: string; missing: string[] }
  /** Permissions missing across the server (not tied to a channel), such as Create Events. */
  | { kind: 'server-permissions'; missing: string[] }
  /** Publishing is on, and the channel that was an announcement channel no longer is one. */
  | { kind: 'not-announcement'; channelId: string };

/** Why the alerts channel could not be used: gone, or these permissions are missing there. */
export type ChannelIssue = { kind: 'gone' } | { kind: 'missing'; permissions: string[] };

/** Where the alert about a check's problems went. */
export interface AlertDelivery {
  at: Date;
  /** The alerts channel, the community updates channel, or nowhere the bot could post. */
  via: 'alerts' | 'community' | 'none';
  channelId?: string;
  /** Set when an alerts channel is set but could not be used. */
  alertsChannelIssue?: ChannelIssue;
}

/** A server's last check: what `/commemoration status` shows until the next check replaces it. */
export interface CheckResult {
  guildId: string;
  checkedAt: Date;
  problems: AlertProblem[];
  /** The latest alert about these problems; absent when there was none to send. */
  alert?: AlertDelivery;
}

/**
 * One key per problem, as "one alert per problem per day" counts them: each missing permission
 * is its own problem, and a problem about another channel is another problem.
 */
export function listProblemKeys(problems: readonly AlertProblem[]): string[] {
  return problems.flatMap(keysOf);
}

function keysOf(problem: AlertProblem): string[] {
  switch (problem.kind) {
    case 'channel-gone':
      return [`channel-gone:${problem.channelId}`];
    case 'channel-permissions':
      return problem.missing.map((key) => `channel:${problem.channelId}:${key}`);
    case 'server-permissions':
      return problem.missing.map((key) => `server:${key}`);
    case 'not-announcement':
      return [`not-announcement:${problem.channelId}`];
  }
}

/** The Baku calendar date as stored with each alert sent: "2027-02-19". */
export function formatAlertDate(date: BakuDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}
