import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentError, DEFAULT_DATA_DIR, loadContent } from '../../src/content/load-content.js';
import { renderPost } from '../../src/domain/render-post.js';
import { copyDataWithLanguage } from '../support/copy-data-with-language.js';
import { getContent } from '../support/test-content.js';

describe('the content in data/', () => {
  const content = getContent();

  it('has the three observances, in calendar order, in English, Azerbaijani, Russian and Turkish', () => {
    expect(content.observances.map((o) => o.id)).toEqual(['january-20', 'khojaly', 'march-31']);
    expect(content.locales).toEqual(['en', 'az', 'ru', 'tr']);
  });

  it.each(content.observances.flatMap((o) => content.locales.map((l) => [o.id, l, o] as const)))(
    '%s in %s: a 400–700 character summary and 3–6 sourced facts',
    (_id, locale, observance) => {
      const text = observance.text[locale];
      expect(text?.summary.text.length).toBeGreaterThanOrEqual(400);
      expect(text?.summary.text.length).toBeLessThanOrEqual(700);
      expect(text?.facts.length).toBeGreaterThanOrEqual(3);
      expect(text?.facts.length).toBeLessThanOrEqual(6);
    },
  );

  it('attributes every figure: each fact that states a number names a source other than opinion or an encyclopedia', () => {
    for (const observance of content.observances) {
      for (const fact of observance.text.en?.facts ?? []) {
        if (!/\d/.test(fact.text)) continue;
        const kinds = fact.sources.map((id) => content.sources.get(id)?.kind);
        expect(
          kinds.some((kind) => kind !== 'opinion' && kind !== 'reference'),
          fact.text,
        ).toBe(true);
        expect(kinds, fact.text).not.toContain('opinion');
      }
    }
  });
});

describe('another language', () => {
  it('is added with data alone: a language file and a block in each text', () => {
    const { dir, data } = copyDataWithLanguage({
      code: 'de',
      name: 'Deutsch',
      discordLocales: ['de'],
      translate: (english) => english,
    });
    const path = join(data, 'locales', 'de.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('keyFacts: Key facts', 'keyFacts: Wichtige Fakten'),
    );
    try {
      const content = loadContent(data);
      expect(content.locales).toEqual(['en', 'az', 'de', 'ru', 'tr']);
      const payload = renderPost(content, {
        observanceId: 'khojaly',
        kind: 'day',
        locale: 'de',
        year: 2027,
      });
      expect(payload.embeds[0]?.description).toContain('35. anniversary');
      expect(payload.embeds[0]?.description).toContain('**Wichtige Fakten**');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a broken data file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** A copy of data/ with one file edited, loaded; returns the one-line error. */
  function loadWith(file: string, edit: (text: string) => string): string {
    dir = mkdtempSync(join(tmpdir(), 'content-'));
    const data = join(dir, 'data');
    cpSync(DEFAULT_DATA_DIR, data, { recursive: true });
    const path = join(data, file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    try {
      loadContent(data);
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error('expected the content to be rejected');
  }

  it.each([
    [
      'invalid YAML',
      'observances/khojaly.yaml',
      (t: string) => t.replace('month: 2', 'month: [2'),
      /^data\/observances\/khojaly\.yaml: line \d+, column \d+: is not valid YAML/,
    ],
    [
      'a missing field',
      'observances/khojaly.yaml',
      (t: string) => t.replace('eventYear: 1992\n', ''),
      /^data\/observances\/khojaly\.yaml: eventYear: /,
    ],
    [
      'a wrong type',
      'observances/march-31.yaml',
      (t: string) => t.replace('day: 31', 'day: "thirty-one"'),
      /^data\/observances\/march-31\.yaml: day: .*number/i,
    ],
    [
      'a date that does not occur every year',
      'observances/march-31.yaml',
      (t: string) => t.replace('month: 3\nday: 31', 'month: 2\nday: 29'),
      /^data\/observances\/march-31\.yaml: day: 2\/29 is not a date that occurs every year/,
    ],
    [
      'another time zone',
      'observances/khojaly.yaml',
      (t: string) => t.replace('timeZone: Asia/Baku', 'timeZone: Europe/Moscow'),
      /^data\/observances\/khojaly\.yaml: timeZone: must be Asia\/Baku/,
    ],
    [
      'an unknown source id',
      'observances/khojaly.yaml',
      (t: string) => t.replace('- sources: [az-state-khojaly]', '- sources: [az-state-khojali]'),
      /^data\/observances\/khojaly\.yaml: locales\.en\.facts\[0\]\.sources\[0\]: names the unknown source "az-state-khojali"/,
    ],
    [
      'a fact without a source',
      'observances/khojaly.yaml',
      (t: string) => t.replace('- sources: [az-state-khojaly]', '- sources: []'),
      /^data\/observances\/khojaly\.yaml: locales\.en\.facts\[0\]\.sources: must name at least one source/,
    ],
    [
      'too few facts',
      'observances/march-31.yaml',
      (t: string) =>
        t
          .replace(
            / {6}- sources: \[az-state-31-march\]\n {8}text: >-\n {10}According to the official account, 167[\s\S]*?(?= {6}- sources)/,
            '',
          )
          .replace(
            / {6}- sources: \[az-state-31-march\]\n {8}text: >-\n {10}On 15 July[\s\S]*?(?= {6}- sources)/,
            '',
          )
          .replace(
            / {6}- sources: \[az-state-31-march\]\n {8}text: >-\n {10}According to the official account, a mass grave[\s\S]*?(?= {6}- sources)/,
            '',
          )
          .replace(
            / {6}- sources: \[az-state-31-march\]\n {8}text: >-\n {10}On 26 March[\s\S]*?(?= {6}- sources)/,
            '',
          ),
      /^data\/observances\/march-31\.yaml: locales\.en\.facts: needs at least 3 key facts/,
    ],
    [
      'a missing translation',
      'observances/khojaly.yaml',
      (t: string) => t.slice(0, t.indexOf('\n  az:\n')),
      /^data\/observances\/khojaly\.yaml: locales\.az: is missing/,
    ],
    [
      'a file named after another id',
      'observances/khojaly.yaml',
      (t: string) => t.replace('id: khojaly', 'id: khojaly-day'),
      /^data\/observances\/khojaly\.yaml: id: is "khojaly-day" but the file is named khojaly\.yaml/,
    ],
    [
      'a bad source URL',
      'sources.yaml',
      (t: string) => t.replace('url: https://docslib.org', 'url: ftp://docslib.org'),
      /^data\/sources\.yaml: sources\[0\]\.url: /,
    ],
    [
      'a source with neither a url nor the reason it has none',
      'sources.yaml',
      (t: string) => t.replace('    url: https://docslib.org/doc/3810567/blood-memory\n', ''),
      /^data\/sources\.yaml: sources\[0\]: needs either a url .* or noUrl/,
    ],
    [
      'a per-language publisher that lacks a language',
      'sources.yaml',
      (t: string) => t.replace('      tr: Azerbaycan devlet yayını\n', ''),
      /^data\/sources\.yaml: sources\[0\]\.publisher\.tr: is missing/,
    ],
    [
      'an unknown source kind',
      'sources.yaml',
      (t: string) => t.replace('kind: opinion', 'kind: blog'),
      /^data\/sources\.yaml: sources\[\d+\]\.kind: /,
    ],
    [
      'a translation whose placeholders differ',
      'locales/az.yaml',
      (t: string) => t.replace('eveTitle: "Sabah: {name}"', 'eveTitle: "Sabah: {ad}"'),
      /^data\/locales\/az\.yaml: post\.eveTitle: uses the placeholders \{ad\} but en\.yaml uses \{name\}/,
    ],
    [
      'a missing reply string',
      'locales/az.yaml',
      (t: string) => t.replace(/ {4}guildOnly: .*\n/, ''),
      /^data\/locales\/az\.yaml: bot\.errors\.guildOnly: /,
    ],
    [
      'a bad moment time',
      'observances/january-20.yaml',
      (t: string) => t.replace('time: "12:00"', 'time: "12h"'),
      /^data\/observances\/january-20\.yaml: moments\[0\]\.time: must be a 24-hour time/,
    ],
  ])('%s: names the file, the field and the problem', (_what, file, edit, expected) => {
    expect(loadWith(file, edit)).toMatch(expected);
  });
});
