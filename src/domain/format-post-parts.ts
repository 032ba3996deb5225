import type { BakuDate } from './baku-calendar.js';
import type { Content } from './content.js';
import { fillTemplate } from './fill-template.js';
import { formatOrdinal } from './format-ordinal.js';
import { formatLocalTime, type LocalTime } from './local-time.js';
import { pickLocalized } from './observance.js';
import type { PostLabels } from './post-labels.js';

// The pieces of text posts and command replies share: dates, Baku times, source links and the
// house colour. Plain functions of the labels of one language.

/** A muted charcoal: a mourning colour that reads on light and dark themes. */
export const EMBED_COLOR = 0x2c2f33;

export function formatDate(labels: PostLabels, date: BakuDate): string {
  return fillTemplate(labels.date, {
    day: date.day,
    month: labels.months[date.month - 1] ?? String(date.month),
    year: labels.yearStyle === 'ordinal' ? formatOrdinal(date.year, labels.ordinal) : date.year,
  });
}

export function formatBakuTime(labels: PostLabels, time: LocalTime): string {
  return fillTemplate(labels.bakuTime, { time: formatLocalTime(time) });
}

/** "[Title — Publisher, 1992](url) · official", in the post's language; a link when there is a URL. */
export function formatSourceLink(
  content: Content,
  labels: PostLabels,
  id: string,
  locale: string,
): string {
  const source = content.sources.get(id);
  if (!source) throw new Error(`Unknown source "${id}".`);
  const year = source.date?.slice(0, 4);
  const by = [source.author, source.publisher]
    .map((value) => (value === undefined ? undefined : pickLocalized(value, locale)))
    .concat(year)
    .filter(Boolean)
    .join(', ');
  const title = pickLocalized(source.title, locale);
  const label = escapeMarkdown(by ? `${title} — ${by}` : title);
  const linked = source.url ? `[${label}](${source.url})` : label;
  return `${linked} · ${labels.sourceKinds[source.kind]}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\[\]*_~`|>])/g, '\\$1');
}
