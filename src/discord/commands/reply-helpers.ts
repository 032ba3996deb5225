import { formatBakuOffset, toBakuClock, toBakuDate } from '../../domain/baku-calendar.js';
import type { FailureReason } from '../../domain/delivery-record.js';
import { fillTemplate } from '../../domain/fill-template.js';
import { EMBED_COLOR, formatBakuTime, formatDate } from '../../domain/format-post-parts.js';
import type { EmbedField, EmbedPayload } from '../../domain/message-payload.js';
import type { Occurrence } from '../../domain/occurrence.js';
import type { ScheduledPost } from '../../domain/post-schedule.js';
import type { CommandContext } from '../command-context.js';
import { formatDiscordTimestamp } from '../discord-timestamp.js';

// What subcommands share to word their replies, in the reader's language (ctx.strings). A
// subcommand imports from here, never from another subcommand.

/** A private one-line answer that the request could not be carried out, and why. */
export function replyError(ctx: CommandContext, message: string): Promise<void> {
  return ctx.reply({ content: message });
}

const REASON_KEYS: Record<FailureReason, keyof CommandContext['strings']['reasons']> = {
  offline: 'offline',
  'missing-permissions': 'missingPermissions',
  'unknown-channel': 'unknownChannel',
  rejected: 'rejected',
  transient: 'transient',
  interrupted: 'interrupted',
  'settings-changed': 'settingsChanged',
  'history-unreadable': 'historyUnreadable',
  'message-deleted': 'messageDeleted',
};

/** Discord's answer when a forum requires a tag and the post had none (see classifyError). */
const FORUM_TAG_REQUIRED = /^400 40067:/;

/** What went wrong with a post, and what to do about it. */
export function explainReason(
  ctx: CommandContext,
  reason: FailureReason | undefined,
  detail: string | undefined,
): string {
  if (reason === 'rejected' && detail && FORUM_TAG_REQUIRED.test(detail)) {
    return ctx.strings.forum.tagRejected;
  }
  return fillTemplate(ctx.strings.reasons[REASON_KEYS[reason ?? 'transient']], {
    detail: detail ?? '',
  });
}

export function observanceName(ctx: CommandContext, observanceId: string): string {
  const observance = ctx.services.content.observances.find((o) => o.id === observanceId);
  return observance?.text[ctx.language]?.name ?? observance?.text.en?.name ?? observanceId;
}

/**
 * Discord shows <t:…:D> as a date in the reader's time zone. Noon in Baku falls on the same
 * calendar date from UTC−8 to UTC+14, so it names the right day for nearly every reader.
 */
export function describeOccurrenceDate(occurrence: Occurrence): string {
  return formatDiscordTimestamp(new Date(occurrence.startsAt.getTime() + 12 * 3600 * 1000), 'D');
}

/** "20 January 2027, 09:00 Baku time (in 2 months)". */
export function formatWhen(ctx: CommandContext, at: Date): string {
  const date = formatDate(ctx.labels, toBakuDate(at));
  const time = formatBakuTime(ctx.labels, toBakuClock(at));
  return `${date}, ${time} (${formatDiscordTimestamp(at, 'R')})`;
}

/** One line per upcoming post, for setup and status. */
export function describeUpcomingPost(
  ctx: CommandContext,
  post: Pick<ScheduledPost, 'observanceId' | 'kind' | 'at'>,
): string {
  return fillTemplate(ctx.strings.status.upcomingLine, {
    date: formatWhen(ctx, post.at),
    name: observanceName(ctx, post.observanceId),
    kind: ctx.strings.kinds[post.kind],
  });
}

/** A reply embed in the house style, with the Baku-time footer every post carries. */
export function makeEmbed(
  ctx: CommandContext,
  title: string,
  description: string,
  fields: EmbedField[] = [],
): EmbedPayload {
  return {
    title,
    description,
    color: EMBED_COLOR,
    fields,
    footer: { text: fillTemplate(ctx.labels.footer, { offset: formatBakuOffset(ctx.now) }) },
  };
}
