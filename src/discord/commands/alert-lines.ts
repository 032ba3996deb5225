import type { CheckResult } from '../../domain/alert-problem.js';
import type { AlertWords } from '../../domain/alert-words.js';
import { fillTemplate } from '../../domain/fill-template.js';
import { describeChannelIssue, describeProblem } from '../../domain/render-alert.js';
import type { CommandContext } from '../command-context.js';
import { formatDiscordTimestamp } from '../discord-timestamp.js';
import { formatWhen } from './reply-helpers.js';

// The checks before each day, as the commands word them (status, test, setup, options). A
// subcommand imports from here, never from another subcommand.

export function alertWords(ctx: Pick<CommandContext, 'strings'>): AlertWords {
  return { alerts: ctx.strings.alerts, permissions: ctx.strings.permissions };
}

/** "Something the posts need is missing:" and one line per problem; empty when none. */
export function describeProblems(ctx: CommandContext, result: CheckResult | undefined): string[] {
  if (!result || result.problems.length === 0) return [];
  const words = alertWords(ctx);
  return [
    ctx.strings.alerts.recheck,
    ...result.problems.map((problem) => `- ${describeProblem(words, problem)}`),
  ];
}

/** Status's field: the last check (what is missing, where the alert went) and the next one. */
export function describeChecks(
  ctx: CommandContext,
  result: CheckResult | undefined,
  nextCheckAt: Date | undefined,
): string {
  const w = ctx.strings.alerts;
  const words = alertWords(ctx);
  const lines: string[] = [];
  if (!result) lines.push(w.statusNotYet);
  else if (result.problems.length === 0) {
    lines.push(fillTemplate(w.statusFine, { when: formatDiscordTimestamp(result.checkedAt, 'R') }));
  } else {
    lines.push(
      fillTemplate(w.statusProblems, { when: formatDiscordTimestamp(result.checkedAt, 'R') }),
    );
    for (const problem of result.problems) lines.push(`⚠️ ${describeProblem(words, problem)}`);
    const alert = result.alert;
    if (alert) {
      const when = formatDiscordTimestamp(alert.at, 'R');
      const channel = alert.channelId ? `<#${alert.channelId}>` : '';
      if (alert.via === 'alerts') lines.push(fillTemplate(w.statusSent, { channel, when }));
      else if (alert.via === 'community')
        lines.push(fillTemplate(w.statusSentCommunity, { channel, when }));
      else lines.push(w.statusNotSent);
      if (alert.alertsChannelIssue && ctx.settings?.alertsChannelId) {
        lines.push(
          fillTemplate(w.statusAlertsChannel, {
            channel: `<#${ctx.settings.alertsChannelId}>`,
            reason: describeChannelIssue(words, alert.alertsChannelIssue),
          }),
        );
      }
    }
  }
  if (nextCheckAt) lines.push(fillTemplate(w.statusNext, { date: formatWhen(ctx, nextCheckAt) }));
  return fitLines(lines, 1024);
}

/** Keeps whole lines within Discord's limit for a field. */
function fitLines(lines: readonly string[], limit: number): string {
  const kept: string[] = [];
  for (const line of lines) {
    if ([...kept, line].join('\n').length > limit) break;
    kept.push(line);
  }
  return kept.join('\n');
}
