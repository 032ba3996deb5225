import type { DeliveryRecord } from '../../../domain/delivery-record.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatBakuTime } from '../../../domain/format-post-parts.js';
import type { CommandContext } from '../../command-context.js';
import { defineSubcommand } from '../../command-definition.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';
import { describeChecks } from '../alert-lines.js';
import {
  describeUpcomingPost,
  explainReason,
  makeEmbed,
  observanceName,
} from '../reply-helpers.js';
import { describeFollowUps, hasFailedFollowUp } from './describe-post-follow-ups.js';
import { describeEventsField } from './events-status.js';

const ICONS: Record<DeliveryRecord['status'], string> = {
  planned: '🗓️',
  sent: '✅',
  deleted: '🗑️',
  sending: '⏳',
  retry: '⏳',
  'in-doubt': '⏳',
  failed: '⚠️',
  missed: '❌',
  unconfirmed: '❔',
};

function describeRecord(ctx: CommandContext, record: DeliveryRecord): string {
  const s = ctx.strings.status;
  const when = formatDiscordTimestamp(record.updatedAt, 'R');
  const state = {
    planned: s.pending,
    sent: fillTemplate(record.late ? s.sentLate : s.sent, { when }),
    deleted: s.deleted,
    sending: s.pending,
    'in-doubt': s.checking,
    retry: fillTemplate(s.retrying, { reason: record.detail ?? '' }),
    failed: fillTemplate(s.failed, { reason: explainReason(ctx, record.reason, record.detail) }),
    missed: fillTemplate(s.missed, { reason: explainReason(ctx, record.reason, record.detail) }),
    unconfirmed: fillTemplate(s.unconfirmed, {
      reason: explainReason(ctx, record.reason ?? 'interrupted', record.detail),
    }),
  }[record.status];
  return fillTemplate(s.line, {
    icon: ICONS[record.status],
    name: observanceName(ctx, record.observanceId),
    kind: ctx.strings.kinds[record.kind],
    year: record.year,
    state: [state, ...describeFollowUps(ctx, record)].join(' · '),
  });
}

/** Joins lines into an embed field value, dropping the oldest rather than breaking Discord's limit. */
function fitField(lines: readonly string[]): string {
  const kept: string[] = [];
  for (const line of lines) {
    if ([...kept, line].join('\n').length > 1000) break;
    kept.push(line);
  }
  return kept.join('\n');
}

export const statusSubcommand = defineSubcommand({
  name: 'status',
  options: [],
  async run(ctx) {
    const s = ctx.strings.status;
    const settings = ctx.settings;
    // The same table the scheduler works from: a settings change just made is planned first.
    await ctx.services.planner.planChangedServers(ctx.now);
    const records = await ctx.services.deliveries.listForGuild(ctx.guildId, 50);
    const upcoming = settings?.channelId
      ? (await ctx.services.deliveries.listPlanned(ctx.guildId, ctx.now, 5)).map((r) => ({
          observanceId: r.observanceId,
          kind: r.kind,
          at: r.scheduledAt,
        }))
      : [];
    const problems = records.filter(
      (r) => !['sent', 'sending', 'in-doubt', 'deleted'].includes(r.status) || hasFailedFollowUp(r),
    );
    const description = settings?.channelId
      ? fillTemplate(s.channel, {
          channel: `<#${settings.channelId}>`,
          time: formatBakuTime(ctx.labels, settings.postTime),
        })
      : s.notConfigured;
    const embed = makeEmbed(ctx, s.title, description, [
      {
        name: s.upcoming,
        value:
          upcoming.length > 0
            ? fitField(upcoming.map((post) => describeUpcomingPost(ctx, post)))
            : s.noUpcoming,
      },
      {
        name: s.recent,
        value:
          records.length > 0
            ? fitField(records.slice(0, 8).map((r) => describeRecord(ctx, r)))
            : s.noRecent,
      },
      {
        name: s.problems,
        value:
          problems.length > 0
            ? fitField(problems.map((r) => describeRecord(ctx, r)))
            : s.noProblems,
      },
      await describeEventsField(ctx),
    ]);
    if (settings?.channelId) {
      const { checks } = ctx.services;
      embed.fields.push({
        name: ctx.strings.alerts.statusTitle,
        value: describeChecks(
          ctx,
          await checks.findResult(ctx.guildId),
          await checks.findNextCheckAt(ctx.guildId, ctx.now),
        ),
      });
    }
    await ctx.reply({ embeds: [embed] });
  },
});
