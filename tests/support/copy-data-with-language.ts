import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_DATA_DIR } from '../../src/content/load-content.js';

export interface NewLanguage {
  code: string;
  name: string;
  discordLocales: string[];
  /**
   * Turns an English reply or command text into the stand-in translation (placeholders must
   * survive it); the identity keeps English.
   */
  translate: (english: string) => string;
}

/**
 * A copy of data/ (or of `from`) with one more language, added the way README.md tells a translator to: a new
 * file in data/locales/ and a block in every text. Returns the new data folder; the caller
 * removes its parent (`dir`).
 */
export function copyDataWithLanguage(
  language: NewLanguage,
  from: string = DEFAULT_DATA_DIR,
): { dir: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  const data = join(dir, 'data');
  cpSync(from, data, { recursive: true });
  const english = parse(readFileSync(join(data, 'locales', 'en.yaml'), 'utf8'));
  writeFileSync(
    join(data, 'locales', `${language.code}.yaml`),
    stringify({
      ...translateStrings(english, language.translate),
      code: language.code,
      name: language.name,
      discordLocales: language.discordLocales,
      post: { ...english.post, ordinal: { style: 'suffix', suffix: '.' } },
    }),
  );
  // Each English block repeated under the new code.
  const repeat = (pattern: RegExp) => (text: string) =>
    text.replace(
      pattern,
      (block: string, indent: string, body: string) =>
        `${block}${indent}${language.code}:\n${body}`,
    );
  const moments = repeat(/^( {6})en:\n( {8}title: .*\n {8}text: [\s\S]*?)(?=^ {6}az:)/m);
  const locales = repeat(/^( {2})en:\n([\s\S]*?)(?=^ {2}az:)/m);
  for (const file of ['january-20', 'khojaly', 'march-31']) {
    const path = join(data, 'observances', `${file}.yaml`);
    writeFileSync(path, locales(moments(readFileSync(path, 'utf8'))));
  }
  const sources = join(data, 'sources.yaml');
  writeFileSync(
    sources,
    readFileSync(sources, 'utf8').replace(
      /^( {6})en: (.*)$/gm,
      (line, indent, value) => `${line}\n${indent}${language.code}: ${value}`,
    ),
  );
  return { dir, data };
}

/** Every reply and command text through `translate`; the post labels as English has them. */
function translateStrings(
  english: Record<string, unknown>,
  translate: (text: string) => string,
): Record<string, unknown> {
  const walk = (value: unknown): unknown =>
    typeof value === 'string'
      ? translate(value)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(child)]))
        : value;
  return { ...english, bot: walk(english.bot), slash: walk(english.slash) };
}
