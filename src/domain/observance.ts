/**
 * The content model the domain works with. It mirrors the validated files in data/, but is
 * plain TypeScript so the domain never depends on the loader or on zod.
 */

export const BAKU_ZONE = 'Asia/Baku';

export type PostKind = 'eve' | 'day' | 'moment';
export const POST_KINDS: readonly PostKind[] = ['eve', 'day', 'moment'];

export type SourceKind =
  | 'official'
  | 'human-rights-report'
  | 'press'
  | 'scholarly'
  | 'reference'
  | 'opinion';

/** Text shown to members: the same in every language, or one version per locale. */
export type LocalizedText = string | Readonly<Record<string, string>>;

/** The version for a locale; English when a per-locale text lacks it. */
export function pickLocalized(value: LocalizedText, locale: string): string {
  if (typeof value === 'string') return value;
  return value[locale] ?? value.en ?? Object.values(value)[0] ?? '';
}

export interface Source {
  id: string;
  title: LocalizedText;
  author?: LocalizedText;
  publisher?: LocalizedText;
  /** As precise as the source allows: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; absent when undated. */
  date?: string;
  kind: SourceKind;
  url?: string;
  /** Why there is no url: the text was read only in the project's own copy. */
  noUrl?: string;
  /** One line per locale saying what the source is, for members. */
  about: Readonly<Record<string, string>>;
  notes: string;
}

/** A statement and the ids of the sources that support it. */
export interface SourcedText {
  text: string;
  sources: readonly string[];
}

export interface ObservanceText {
  name: string;
  /** The name used in official acts, where it differs from `name`. */
  officialName?: string;
  /** A phrase with `{ordinal}`, e.g. "the {ordinal} anniversary of the events of …". */
  anniversary: string;
  summary: SourcedText;
  facts: readonly SourcedText[];
  /** A caveat about the sources, shown before the closing line (e.g. figures that differ). */
  sourceNote?: string;
  closing: string;
}

export interface MomentText {
  title: string;
  text: string;
}

export interface Moment {
  id: string;
  hour: number;
  minute: number;
  sources: readonly string[];
  text: Readonly<Record<string, MomentText>>;
}

export interface Observance {
  id: string;
  month: number;
  day: number;
  timeZone: typeof BAKU_ZONE;
  /** The year of the events; the anniversary count starts from it. */
  eventYear: number;
  text: Readonly<Record<string, ObservanceText>>;
  moments: readonly Moment[];
}
