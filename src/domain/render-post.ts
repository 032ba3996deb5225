import {
  addDays,
  atBakuTime,
  type BakuDate,
  formatBakuOffset,
  toBakuClock,
} from './baku-calendar.js';
import { type Content, findMoment, findObservance } from './content.js';
import { fillTemplate } from './fill-template.js';
import { formatOrdinal } from './format-ordinal.js';
import { EMBED_COLOR, formatBakuTime, formatDate, formatSourceLink } from './format-post-parts.js';
import {
  EMBED_LIMITS,
  type EmbedField,
  type MessagePayload,
  SUPPRESS_NOTIFICATIONS,
} from './message-payload.js';
import type { Observance, ObservanceText, PostKind, SourcedText } from './observance.js';
import { countAnniversary } from './occurrence.js';
import type { PostLabels } from './post-labels.js';

export interface PostRequest {
  observanceId: string;
  kind: PostKind;
  locale: string;
  /** The year of the observance day; an eve post belongs to the day after it. */
  year: number;
  /** Which moment, for a moment post; the first one when absent. */
  momentId?: string;
}

export interface PostOptions {
  /** The role a server opted in to mention; no one else is ever pinged. */
  roleId?: string;
  silent?: boolean;
  /** The instant the post was due, when it goes out late: the message then says so. */
  lateFor?: Date;
  /** A look-up rather than a post on the day: "next observed on …" instead of "today …". */
  asReference?: boolean;
}

export function renderPost(
  content: Content,
  request: PostRequest,
  options: PostOptions = {},
): MessagePayload {
  const observance = findObservance(content, request.observanceId);
  const labels = findLabels(content, request.locale);
  const text = findText(observance, request.locale);
  const day: BakuDate = { year: request.year, month: observance.month, day: observance.day };
  const citations = new CitationList();

  let title: string;
  const blocks: string[] = [];
  switch (request.kind) {
    case 'eve': {
      title = fillTemplate(labels.eveTitle, { name: text.name });
      blocks.push(bold(fillTemplate(labels.eveIntro, introValues(labels, observance, text, day))));
      blocks.push(cite(text.summary, citations));
      const moments = observance.moments.map((moment) =>
        citations.append(
          `• ${fillTemplate(labels.momentLine, {
            time: formatBakuTime(labels, moment),
            title: momentText(moment, request.locale).title,
          })}`,
          moment.sources,
        ),
      );
      if (moments.length > 0) blocks.push(moments.join('\n'));
      break;
    }
    case 'day': {
      title = text.name;
      const intro = options.asReference ? labels.referenceIntro : labels.dayIntro;
      blocks.push(bold(fillTemplate(intro, introValues(labels, observance, text, day))));
      if (text.officialName) {
        blocks.push(italic(fillTemplate(labels.officialName, { name: text.officialName })));
      }
      blocks.push(cite(text.summary, citations));
      blocks.push(
        [bold(labels.keyFacts), ...text.facts.map((fact) => `• ${cite(fact, citations)}`)].join(
          '\n',
        ),
      );
      break;
    }
    case 'moment': {
      const moment = findMoment(observance, request.momentId);
      const words = momentText(moment, request.locale);
      title = fillTemplate(labels.momentTitle, {
        title: words.title,
        time: formatBakuTime(labels, moment),
      });
      blocks.push(citations.append(words.text, moment.sources));
      break;
    }
  }
  // The note qualifies the summary's and the facts' figures; a moment post carries none.
  if (text.sourceNote && request.kind !== 'moment') blocks.push(italic(text.sourceNote));
  blocks.push(italic(text.closing));
  if (options.lateFor) {
    blocks.unshift(
      italic(
        fillTemplate(labels.late, {
          time: formatBakuTime(labels, toBakuClock(options.lateFor)),
        }),
      ),
    );
  }

  const payload: MessagePayload = {
    embeds: [
      {
        title,
        description: blocks.join('\n\n'),
        color: EMBED_COLOR,
        fields: renderSourceFields(content, labels, citations.ids, request.locale),
        footer: {
          text: fillTemplate(labels.footer, {
            offset: formatBakuOffset(atBakuTime(day, { hour: 12, minute: 0 })),
          }),
        },
      },
    ],
    allowed_mentions: { parse: [] },
  };
  applyDeliveryOptions(payload, options);
  return payload;
}

/** Mentions only the opted-in role, and marks silent posts; shared with the test message. */
export function applyDeliveryOptions(payload: MessagePayload, options: PostOptions): void {
  if (options.roleId) {
    payload.content = `<@&${options.roleId}>`;
    payload.allowed_mentions = { parse: [], roles: [options.roleId] };
  }
  if (options.silent) payload.flags = SUPPRESS_NOTIFICATIONS;
}

/** A clearly labelled message that proves the bot can post in the configured channel. */
export function renderTestPost(
  content: Content,
  locale: string,
  now: Date,
  options: Pick<PostOptions, 'silent'> = {},
): MessagePayload {
  const labels = findLabels(content, locale);
  const payload: MessagePayload = {
    embeds: [
      {
        title: labels.testTitle,
        description: labels.testText,
        color: EMBED_COLOR,
        fields: [],
        footer: { text: fillTemplate(labels.footer, { offset: formatBakuOffset(now) }) },
      },
    ],
    allowed_mentions: { parse: [] },
  };
  // A test never pings: members opted in to remembrance posts, not to checks.
  applyDeliveryOptions(payload, options.silent ? { silent: true } : {});
  return payload;
}

export function findLabels(content: Content, locale: string): PostLabels {
  const labels = content.postLabels.get(locale);
  if (!labels || !content.locales.includes(locale)) {
    throw new Error(`Unknown language "${locale}". Available: ${content.locales.join(', ')}.`);
  }
  return labels;
}

function findText(observance: Observance, locale: string): ObservanceText {
  const text = observance.text[locale];
  if (!text) throw new Error(`The observance "${observance.id}" has no text in "${locale}".`);
  return text;
}

function momentText(moment: Observance['moments'][number], locale: string) {
  const words = moment.text[locale];
  if (!words) throw new Error(`The moment "${moment.id}" has no text in "${locale}".`);
  return words;
}

function introValues(
  labels: PostLabels,
  observance: Observance,
  text: ObservanceText,
  day: BakuDate,
) {
  return {
    name: text.name,
    date: formatDate(labels, day),
    eveDate: formatDate(labels, addDays(day, -1)),
    anniversary: fillTemplate(text.anniversary, {
      ordinal: formatOrdinal(countAnniversary(observance, day.year), labels.ordinal),
    }),
  };
}

/** Numbers sources in the order a post first cites them. */
class CitationList {
  readonly ids: string[] = [];

  append(text: string, sourceIds: readonly string[]): string {
    const marks = sourceIds.map((id) => {
      let index = this.ids.indexOf(id);
      if (index === -1) index = this.ids.push(id) - 1;
      return `[${index + 1}]`;
    });
    return marks.length > 0 ? `${text} ${marks.join('')}` : text;
  }
}

function cite(sourced: SourcedText, citations: CitationList): string {
  return citations.append(sourced.text.trim(), sourced.sources);
}

function renderSourceFields(
  content: Content,
  labels: PostLabels,
  ids: readonly string[],
  locale: string,
): EmbedField[] {
  const lines = ids.map(
    (id, index) => `[${index + 1}] ${formatSourceLink(content, labels, id, locale)}`,
  );
  const fields: EmbedField[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length === 0) return;
    fields.push({
      name: fields.length === 0 ? labels.sources : labels.sourcesContinued,
      value: current.join('\n'),
    });
    current = [];
  };
  for (const line of lines) {
    if ([...current, line].join('\n').length > EMBED_LIMITS.fieldValue) flush();
    current.push(line);
  }
  flush();
  return fields;
}

function bold(text: string): string {
  return `**${text}**`;
}

function italic(text: string): string {
  return `*${text}*`;
}
