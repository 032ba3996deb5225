import { describe, expect, it } from 'vitest';
import type { Observance, ObservanceText, SourcedText } from '../../src/domain/observance.js';
import { renderPost } from '../../src/domain/render-post.js';
import { getContent } from '../support/test-content.js';

// The editorial rules of README.md ("How content is sourced"), held for every language.

const content = getContent();
const LANGUAGES = ['en', 'az', 'ru', 'tr'] as const;

/** Sources read only in the project's copy, with no linkable copy outside partisan hosts. */
const READ_ONLY_IN_PROJECT_COPY = [
  'az-state-khojaly',
  'az-state-31-march',
  'memorial-khojaly-1992',
];

function textOf(observance: Observance, locale: string): ObservanceText {
  const text = observance.text[locale];
  if (!text) throw new Error(`${observance.id} has no ${locale} text`);
  return text;
}

function sourcedTexts(observance: Observance): SourcedText[] {
  return [
    ...Object.values(observance.text).flatMap((t) => [t.summary, ...t.facts]),
    ...observance.moments.flatMap((m) =>
      Object.values(m.text).map((words) => ({ text: words.text, sources: m.sources })),
    ),
  ];
}

/**
 * The numbers a text states, as digit strings: "3,000", "3.000", "3 000" (no-break space) and
 * "3000" are all 3000; ordinal and case endings ("366th", "366-cı", "366-го", "366.") drop off.
 */
function listNumbers(text: string): string[] {
  return [...text.matchAll(/\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?!\d)|\d+/g)]
    .map((m) => m[0].replace(/[,.\u00a0\u202f]/g, ''))
    .sort();
}

describe('the content in data/', () => {
  it('is written in English, Azerbaijani, Russian and Turkish', () => {
    expect(content.locales).toEqual([...LANGUAGES]);
    for (const observance of content.observances) {
      expect(Object.keys(observance.text).sort()).toEqual([...LANGUAGES].sort());
      for (const moment of observance.moments)
        expect(Object.keys(moment.text).sort()).toEqual([...LANGUAGES].sort());
    }
    for (const source of content.sources.values())
      expect(Object.keys(source.about).sort()).toEqual([...LANGUAGES].sort());
  });

  describe.each(content.observances.map((o) => [o.id, o] as const))('%s', (_id, observance) => {
    const english = textOf(observance, 'en');

    it.each(LANGUAGES.filter((l) => l !== 'en'))(
      'states in %s exactly the numbers the English states, block by block',
      (locale) => {
        const text = textOf(observance, locale);
        const blocks = (t: ObservanceText) => [
          t.anniversary,
          t.summary.text,
          ...t.facts.map((f) => f.text),
          t.sourceNote ?? '',
          t.closing,
        ];
        const theirs = blocks(text);
        blocks(english).forEach((block, index) => {
          expect(
            listNumbers(theirs[index] ?? ''),
            `${locale} block ${index}: ${theirs[index]}`,
          ).toEqual(listNumbers(block));
        });
        for (const moment of observance.moments) {
          expect(listNumbers(moment.text[locale]?.text ?? '')).toEqual(
            listNumbers(moment.text.en?.text ?? ''),
          );
        }
      },
    );

    it('names only sources that exist', () => {
      for (const sourced of sourcedTexts(observance))
        for (const id of sourced.sources) expect(content.sources.has(id), id).toBe(true);
    });

    it('never rests a statement on opinion alone, nor a figure on an encyclopedia alone', () => {
      for (const sourced of sourcedTexts(observance)) {
        const kinds = sourced.sources.map((id) => content.sources.get(id)?.kind);
        expect(
          kinds.some((kind) => kind !== 'opinion'),
          sourced.text,
        ).toBe(true);
        if (/\d/.test(sourced.text.replace(/\b(1[89]|20)\d\d\b/g, ''))) {
          expect(
            kinds.some((kind) => kind !== 'opinion' && kind !== 'reference'),
            sourced.text,
          ).toBe(true);
        }
      }
    });

    it.each(LANGUAGES)(
      'day post in %s: at least 2 sources, 1 not official and linked, each with a link',
      (locale) => {
        const [embed] = renderPost(content, {
          observanceId: observance.id,
          kind: 'day',
          locale,
          year: 2027,
        }).embeds;
        const text = textOf(observance, locale);
        const cited = [
          ...new Set([text.summary, ...text.facts].flatMap((sourced) => sourced.sources)),
        ];
        expect(cited.length).toBeGreaterThanOrEqual(2);
        expect(cited.some((id) => content.sources.get(id)?.kind !== 'official')).toBe(true);
        // A reader must be able to open at least one of the independent sources.
        expect(
          cited.some((id) => {
            const source = content.sources.get(id);
            return source?.kind !== 'official' && /^https?:\/\//.test(source?.url ?? '');
          }),
          `${observance.id} cites no linked source that is not official`,
        ).toBe(true);
        const listed = (embed?.fields ?? []).flatMap((field) => field.value.split('\n'));
        expect(listed).toHaveLength(cited.length);
        for (const id of cited) {
          const source = content.sources.get(id);
          if (READ_ONLY_IN_PROJECT_COPY.includes(id)) {
            expect(source?.noUrl, id).toBeTruthy();
          } else {
            expect(source?.url, `${id} has no url`).toMatch(/^https?:\/\//);
          }
        }
      },
    );
  });

  it('links every cited source, apart from the few read only in the project copy', () => {
    const cited = new Set(
      content.observances.flatMap((o) => sourcedTexts(o).flatMap((s) => s.sources)),
    );
    const unlinked = [...cited].filter((id) => !content.sources.get(id)?.url).sort();
    expect(unlinked).toEqual([...READ_ONLY_IN_PROJECT_COPY].sort());
  });

  it('shows source titles, authors and publishers in the language of the post', () => {
    for (const locale of LANGUAGES.filter((l) => l !== 'en')) {
      const [embed] = renderPost(content, {
        observanceId: 'khojaly',
        kind: 'day',
        locale,
        year: 2027,
      }).embeds;
      const sources = embed?.fields.map((f) => f.value).join('\n') ?? '';
      expect(sources).not.toContain('Azerbaijani state publication');
      expect(sources).not.toContain('Memorial Human Rights Center');
      expect(sources).not.toContain('official account');
    }
  });

  it('keeps to a dignified register in every language (the words the editorial rules forbid)', () => {
    const forbidden = [
      /fascis|barbar|chauvin|savage|monstr|terroris|bloodthirst|heinous|must recogni[sz]e/i,
      /faşis|vəhşi|barbar|şovinist|terrorçu|qaniçən|canavar|məlun/i,
      /фашис|варвар|шовинис|зверск|дикар|террорист|изверг|нелюд|кровожад/i,
      /faşist|vahşi|barbar|şoven|terörist|kana susamış|canavar|alçak/i,
    ];
    const all = JSON.stringify([
      ...content.observances,
      ...[...content.sources.values()].map(({ notes: _notes, ...shown }) => shown),
    ]);
    for (const pattern of forbidden) expect(all).not.toMatch(pattern);
  });

  it('repeats none of the opinion article\'s slips (events dated 2026, a "336th" regiment)', () => {
    for (const observance of content.observances) {
      for (const text of Object.values(observance.text)) {
        for (const block of [text.summary.text, ...text.facts.map((f) => f.text)])
          expect(block).not.toMatch(/\b336|February 2026|fevral 2026|февраля 2026|Şubat 2026/);
      }
    }
  });

  it('says "state of emergency" for the decree of January 1990, never "curfew" or "martial law"', () => {
    const january = content.observances.find((o) => o.id === 'january-20');
    const texts = JSON.stringify(january?.text);
    expect(texts).not.toMatch(
      /curfew|martial law|komendant saatı|hərbi vəziyyət|комендантск|военное положение|sokağa çıkma|sıkıyönetim/i,
    );
    expect(january?.text.az?.facts[1]?.text).toContain('fövqəladə vəziyyət');
    expect(january?.text.ru?.facts[1]?.text).toContain('чрезвычайного положения');
    expect(january?.text.tr?.facts[1]?.text).toContain('olağanüstü hâl');
    expect(january?.text.en?.facts[1]?.text).toContain('state of emergency');
  });
});
