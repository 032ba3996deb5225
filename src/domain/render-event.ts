import { formatBakuOffset, toBakuClock, toBakuDate } from './baku-calendar.js';
import type { Content } from './content.js';
import type { EventSlot } from './event-plan.js';
import { fillTemplate } from './fill-template.js';
import { formatOrdinal } from './format-ordinal.js';
import { formatBakuTime, formatDate } from './format-post-parts.js';
import { countAnniversary } from './occurrence.js';

/** Discord's limits for an event's name, description and location. */
export const EVENT_LIMITS = { name: 100, description: 1000, location: 100 } as const;

/** The words of an event, per language (data/locales/*.yaml, `bot.events`). */
export interface EventWords {
  /** "{date}: {anniversary}." */
  intro: string;
  /** "{title} at {time}." when the event starts at a moment such as the minute of silence. */
  moment: string;
  /** Where to read the sources: "{channel}" is the posts' channel. */
  sources: string;
  /** "{time} (UTC{offset}), online" */
  location: string;
}

/** What the bot sends to Discord for one day's event. */
export interface EventPayload {
  name: string;
  description: string;
  location: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * One day's event in the server's post language: the day's name; a description with the date
 * and anniversary, the moment it starts at (if any), the day's sourced summary and where to read
 * the sources; and where and when, in Baku time. No mention of anyone: the channel is a link.
 */
export function renderEvent(
  content: Content,
  words: EventWords,
  slot: EventSlot,
  locale: string,
  channelId: string,
): EventPayload {
  const observance = content.observances.find((o) => o.id === slot.observanceId);
  if (!observance) throw new Error(`Unknown observance "${slot.observanceId}".`);
  const labels = content.postLabels.get(locale) ?? content.postLabels.get('en');
  const text = observance.text[locale] ?? observance.text.en;
  if (!labels || !text) throw new Error(`No text for "${observance.id}" in "${locale}".`);
  const time = formatBakuTime(labels, toBakuClock(slot.startsAt));
  const intro = fillTemplate(words.intro, {
    date: formatDate(labels, toBakuDate(slot.startsAt)),
    anniversary: fillTemplate(text.anniversary, {
      ordinal: formatOrdinal(countAnniversary(observance, slot.year), labels.ordinal),
    }),
  });
  const moment = observance.moments[0];
  const momentLine = moment
    ? fillTemplate(words.moment, {
        title: (moment.text[locale] ?? moment.text.en)?.title ?? '',
        time,
      })
    : undefined;
  const sources = fillTemplate(words.sources, { channel: `<#${channelId}>` });
  // The summary is a sourced text: it goes whole or not at all, never cut.
  const full = [intro, momentLine, text.summary.text, sources].filter(Boolean).join('\n\n');
  const short = [intro, momentLine, sources].filter(Boolean).join('\n\n');
  return {
    name: text.name.slice(0, EVENT_LIMITS.name),
    description: (full.length <= EVENT_LIMITS.description ? full : short).slice(
      0,
      EVENT_LIMITS.description,
    ),
    location: fillTemplate(words.location, {
      time,
      offset: formatShortOffset(slot.startsAt),
    }).slice(0, EVENT_LIMITS.location),
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
  };
}

/** Baku's UTC offset as people write it: "+4" (or "+4:30"). */
export function formatShortOffset(instant: Date): string {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(formatBakuOffset(instant));
  if (!match) return formatBakuOffset(instant);
  const hours = String(Number(match[2]));
  return `${match[1]}${hours}${match[3] === '00' ? '' : `:${match[3]}`}`;
}
