import type { SourceKind } from './observance.js';

/**
 * The words around the content of a post, per locale. They live in data/locales/ so that a
 * language can be added without code; the loader checks every placeholder.
 */
export interface PostLabels {
  /** Month names for dates ("20 January 2027"), January first. */
  months: readonly string[];
  /** "{day} {month} {year}" */
  date: string;
  /** 'ordinal' writes the year as an ordinal ("2027-ci il" in Azerbaijani). */
  yearStyle: 'plain' | 'ordinal';
  ordinal: OrdinalStyle;
  /** "{time} Baku time" */
  bakuTime: string;
  eveTitle: string;
  eveIntro: string;
  dayIntro: string;
  /** For look-ups outside the day: "Next observed on {date}: {anniversary}." */
  referenceIntro: string;
  momentTitle: string;
  momentLine: string;
  officialName: string;
  keyFacts: string;
  sources: string;
  sourcesContinued: string;
  sourceKinds: Readonly<Record<SourceKind, string>>;
  late: string;
  footer: string;
  testTitle: string;
  testText: string;
  /** Forum post titles: "{name} {year}" and the like. */
  forum: { dayTitle: string; eveTitle: string; momentTitle: string };
}

/**
 * How "37" becomes "37th": English and Azerbaijani need rules (Azerbaijani suffixes follow vowel
 * harmony); most other languages write a fixed suffix such as "37." or "37-я".
 */
export type OrdinalStyle =
  | { style: 'english' }
  | { style: 'azerbaijani' }
  | { style: 'suffix'; suffix: string };
