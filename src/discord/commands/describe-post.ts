import { formatBakuOffset, toBakuClock, toBakuDate } from '../../domain/baku-calendar.js';
import { fillTemplate } from '../../domain/fill-template.js';
import { type GuildSettings, toPostSettings } from '../../domain/guild-settings.js';
import type { EmbedField, EmbedPayload } from '../../domain/message-payload.js';
import { listPostsBetween, type ScheduledPost } from '../../domain/post-schedule.js';
import { EMBED_COLOR, formatBakuTime, formatDate } from '../../domain/render-post.js';
import type { CommandContext } from '../command-context.js';
import { formatDiscordTimestamp } from '../discord-timestamp.js';

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** The server's next posts, as its settings stand now. */
export function listUpcomingPosts(
  ctx: CommandContext,
  settings: GuildSettings,
  limit: number,
): ScheduledPost[] {
  if (!settings.channelId) return [];
  const { observances } = ctx.services.content;
  const from = new Date(Math.max(ctx.now.getTime(), settings.activeSince?.getTime() ?? 0));
  return listPostsBetween(
    observances,
    from,
    new Date(from.getTime() + YEAR_MS),
    toPostSettings(settings, observances),
  ).slice(0, limit);
}

export function observanceName(ctx: CommandContext, observanceId: string): string {
  const observance = ctx.services.content.observances.find((o) => o.id === observanceId);
  return observance?.text[ctx.language]?.name ?? observance?.text.en?.name ?? observanceId;
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
