import type { AlertProblem, ChannelIssue } from './alert-problem.js';
import type { AlertWords } from './alert-words.js';
import { fillTemplate } from './fill-template.js';
import type { MessagePayload } from './message-payload.js';

export interface AlertContent {
  problems: readonly AlertProblem[];
  /** The day the check looked ahead to, in the alert's language. */
  observanceName: string;
  date: string;
  /** Set when the alert goes elsewhere because the alerts channel could not be used. */
  alertsChannel?: { channelId: string; issue: ChannelIssue };
}

/**
 * An alert as plain text: it needs only View Channel and Send Messages where it goes, names each
 * problem and what to do, and pings nobody (channel mentions never notify anyone).
 */
export function renderAlert(words: AlertWords, alert: AlertContent): MessagePayload {
  const w = words.alerts;
  const lines = [
    fillTemplate(w.heading, { name: alert.observanceName, date: alert.date }),
    w.intro,
    ...alert.problems.map((problem) => `- ${describeProblem(words, problem)}`),
    w.verify,
  ];
  if (alert.alertsChannel) {
    lines.push(
      fillTemplate(w.fallback, {
        channel: `<#${alert.alertsChannel.channelId}>`,
        reason: describeChannelIssue(words, alert.alertsChannel.issue),
      }),
    );
  }
  return { content: lines.join('\n'), embeds: [], allowed_mentions: { parse: [] } };
}

/** One problem and what to do about it, in one sentence or two. */
export function describeProblem(words: AlertWords, problem: AlertProblem): string {
  const w = words.alerts;
  switch (problem.kind) {
    case 'channel-gone':
      return w.channelGone;
    case 'channel-permissions':
      return fillTemplate(w.channelPermissions, {
        channel: `<#${problem.channelId}>`,
        permissions: namePermissions(words, problem.missing),
      });
    case 'server-permissions':
      return fillTemplate(w.serverPermissions, {
        permissions: namePermissions(words, problem.missing),
      });
    case 'not-announcement':
      return fillTemplate(w.notAnnouncement, { channel: `<#${problem.channelId}>` });
  }
}

/** Why an alerts channel could not be used. */
export function describeChannelIssue(words: AlertWords, issue: ChannelIssue): string {
  return issue.kind === 'gone'
    ? words.alerts.alertsChannelGone
    : fillTemplate(words.alerts.alertsChannelMissing, {
        permissions: namePermissions(words, issue.permissions),
      });
}

export function namePermissions(words: AlertWords, keys: readonly string[]): string {
  return keys.map((key) => words.permissions[key] ?? key).join(', ');
}
