import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from 'discord-api-types/v10';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import type { Content } from '../domain/content.js';
import { listPlaceholders } from '../domain/fill-template.js';
import { parseLocalTime } from '../domain/local-time.js';
import type { Observance, Source } from '../domain/observance.js';
import type { PostLabels } from '../domain/post-labels.js';
import {
  type BotStrings,
  type CommandTexts,
  type LocaleFile,
  localeFileSchema,
  type ObservanceFile,
  observanceFileSchema,
  sourcesFileSchema,
} from './content-schema.js';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** The languages every observance must be written in. */
export const REQUIRED_LOCALES = ['en', 'az', 'ru', 'tr'] as const;

export interface Language {
  code: string;
  name: string;
  /** Discord client locales (such as en-US) that map to this language. */
  discordLocales: readonly Locale[];
  bot: BotStrings;
  /** The words of the slash commands. */
  slash: CommandTexts;
}

export interface LoadedContent extends Content {
  languages: ReadonlyMap<string, Language>;
}

/** A broken data file: names the file, the field and the problem, in one line. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'ContentError';
  }
}

/**
 * Reads and validates everything in data/. Any problem throws a ContentError; the program
 * refuses to start with content it cannot vouch for.
 */
export function loadContent(dataDir: string = DEFAULT_DATA_DIR): LoadedContent {
  const display = (path: string) => relative(join(dataDir, '..'), path) || path;
  const read = <S extends z.ZodType>(path: string, schema: S): z.output<S> =>
    parseFile(path, display(path), schema);

  const sourcesPath = join(dataDir, 'sources.yaml');
  const sourcesFile = read(sourcesPath, sourcesFileSchema);
  const localeFiles = listYaml(join(dataDir, 'locales')).map((path) => ({
    path,
    file: read(path, localeFileSchema),
  }));
  const observanceFiles = listYaml(join(dataDir, 'observances')).map((path) => ({
    path,
    file: read(path, observanceFileSchema),
  }));

  // English first: it is the fallback and the reference for every translation.
  const locales = localeFiles
    .map(({ file }) => file.code)
    .sort((a, b) => Number(b === 'en') - Number(a === 'en') || a.localeCompare(b));
  for (const required of REQUIRED_LOCALES) {
    if (!locales.includes(required)) {
      throw new ContentError(
        display(join(dataDir, 'locales', `${required}.yaml`)),
        '(file)',
        'is missing: English, Azerbaijani, Russian and Turkish are required',
      );
    }
  }
  checkLocaleFiles(localeFiles.map(({ path, file }) => ({ path: display(path), file })));

  const sources = new Map<string, Source>();
  sourcesFile.sources.forEach((source, index) => {
    const field = `sources[${index}]`;
    if (sources.has(source.id))
      throw new ContentError(display(sourcesPath), `${field}.id`, `"${source.id}" is used twice`);
    requireLocales(display(sourcesPath), `${field}.about`, source.about, locales);
    // Titles, authors and publishers are shown in posts: per-language texts cover every language.
    for (const key of ['title', 'author', 'publisher'] as const) {
      const value = source[key];
      if (value !== undefined && typeof value !== 'string')
        requireLocales(display(sourcesPath), `${field}.${key}`, value, locales);
    }
    const { seed: _seed, ...rest } = source;
    sources.set(source.id, stripUndefined(rest) as Source);
  });

  const observances = observanceFiles.map(({ path, file }) =>
    toObservance(display(path), path, file, sources, locales),
  );
  const ids = new Set<string>();
  for (const observance of observances) {
    if (ids.has(observance.id))
      throw new ContentError('data/observances', observance.id, 'is used by two files');
    ids.add(observance.id);
  }
  observances.sort((a, b) => a.month - b.month || a.day - b.day);

  return {
    observances,
    sources,
    locales,
    postLabels: new Map(localeFiles.map(({ file }) => [file.code, file.post as PostLabels])),
    languages: new Map(
      localeFiles.map(({ file }) => [
        file.code,
        {
          code: file.code,
          name: file.name,
          discordLocales: file.discordLocales,
          bot: file.bot,
          slash: file.slash,
        },
      ]),
    ),
  };
}

function parseFile<S extends z.ZodType>(path: string, name: string, schema: S): z.output<S> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new ContentError(name, '(file)', 'cannot be read; restore it from git');
  }
  let data: unknown;
  try {
    data = parseYaml(raw);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0];
      const field = where ? `line ${where.line}, column ${where.col}` : '(file)';
      throw new ContentError(name, field, `is not valid YAML: ${error.message.split('\n')[0]}`);
    }
    throw error;
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const [issue] = result.error.issues;
    const more = result.error.issues.length - 1;
    throw new ContentError(
      name,
      issue?.path.length ? formatPath(issue.path) : '(top level)',
      `${issue?.message ?? 'is invalid'}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`,
    );
  }
  return result.data;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

function toObservance(
  name: string,
  path: string,
  file: ObservanceFile,
  sources: ReadonlyMap<string, Source>,
  locales: readonly string[],
): Observance {
  const expectedId = path
    .split('/')
    .pop()
    ?.replace(/\.yaml$/, '');
  if (file.id !== expectedId) {
    throw new ContentError(
      name,
      'id',
      `is "${file.id}" but the file is named ${expectedId}.yaml; they must match`,
    );
  }
  requireLocales(name, 'locales', file.locales, locales);
  const checkSources = (field: string, ids: readonly string[]) => {
    ids.forEach((sourceId, index) => {
      if (!sources.has(sourceId)) {
        throw new ContentError(
          name,
          `${field}[${index}]`,
          `names the unknown source "${sourceId}"; add it to data/sources.yaml or fix the id`,
        );
      }
    });
  };
  const reference = file.locales.en;
  for (const [locale, text] of Object.entries(file.locales)) {
    checkSources(`locales.${locale}.summary.sources`, text.summary.sources);
    text.facts.forEach((fact, index) => {
      checkSources(`locales.${locale}.facts[${index}].sources`, fact.sources);
    });
    if (!reference || locale === 'en') continue;
    // Translations say the same things: the same number of facts, each on the same sources.
    if (text.facts.length !== reference.facts.length) {
      throw new ContentError(
        name,
        `locales.${locale}.facts`,
        `has ${text.facts.length} facts but en has ${reference.facts.length}; translations must match`,
      );
    }
    text.facts.forEach((fact, index) => {
      if (fact.sources.join() !== reference.facts[index]?.sources.join()) {
        throw new ContentError(
          name,
          `locales.${locale}.facts[${index}].sources`,
          'differ from the same fact in en; a translation cites the same sources',
        );
      }
    });
  }
  file.moments.forEach((moment, index) => {
    checkSources(`moments[${index}].sources`, moment.sources);
    requireLocales(name, `moments[${index}].text`, moment.text, locales);
  });
  return {
    id: file.id,
    month: file.month,
    day: file.day,
    timeZone: file.timeZone,
    eventYear: file.eventYear,
    text: Object.fromEntries(
      Object.entries(file.locales).map(([locale, text]) => [locale, stripUndefined(text)]),
    ) as Observance['text'],
    moments: file.moments.map((moment) => {
      const time = parseLocalTime(moment.time) ?? { hour: 0, minute: 0 };
      return { id: moment.id, ...time, sources: moment.sources, text: moment.text };
    }),
  };
}

function requireLocales(
  file: string,
  field: string,
  record: Readonly<Record<string, unknown>>,
  locales: readonly string[],
): void {
  for (const locale of locales) {
    if (!(locale in record)) {
      throw new ContentError(
        file,
        `${field}.${locale}`,
        `is missing: data/locales/${locale}.yaml exists, so every text needs a "${locale}" version`,
      );
    }
  }
  for (const locale of Object.keys(record)) {
    if (!locales.includes(locale)) {
      throw new ContentError(
        file,
        `${field}.${locale}`,
        `has no language file; add data/locales/${locale}.yaml or remove this block`,
      );
    }
  }
}

/** Every template in a translation uses exactly the placeholders of the English one. */
function checkLocaleFiles(files: ReadonlyArray<{ path: string; file: LocaleFile }>): void {
  const english = files.find(({ file }) => file.code === 'en')?.file;
  for (const { path, file } of files) {
    const expected = path
      .split('/')
      .pop()
      ?.replace(/\.yaml$/, '');
    if (file.code !== expected)
      throw new ContentError(
        path,
        'code',
        `is "${file.code}" but the file is named ${expected}.yaml; they must match`,
      );
    if (!english || file === english) continue;
    compareTemplates(path, 'post', file.post, english.post);
    compareTemplates(path, 'bot', file.bot, english.bot);
    compareKeys(path, 'slash', file.slash, english.slash);
  }
}

function compareTemplates(path: string, field: string, value: unknown, reference: unknown): void {
  if (typeof value === 'string' && typeof reference === 'string') {
    const ours = [...new Set(listPlaceholders(value))].sort().join(', ');
    const theirs = [...new Set(listPlaceholders(reference))].sort().join(', ');
    if (ours !== theirs) {
      throw new ContentError(
        path,
        field,
        `uses the placeholders {${ours}} but en.yaml uses {${theirs}}; they must match`,
      );
    }
    return;
  }
  if (
    value &&
    reference &&
    typeof value === 'object' &&
    typeof reference === 'object' &&
    !Array.isArray(value)
  ) {
    for (const [key, child] of Object.entries(value)) {
      compareTemplates(path, `${field}.${key}`, child, (reference as Record<string, unknown>)[key]);
    }
  }
}

/**
 * The command texts are records keyed by command, option and choice names, so zod cannot list
 * the keys; English is the reference, and a translation has exactly its keys. A language that
 * lacks one fails here, naming it, rather than registering a command half in English.
 */
function compareKeys(path: string, field: string, value: unknown, reference: unknown): void {
  if (!isRecord(value) || !isRecord(reference)) return;
  for (const key of Object.keys(reference)) {
    if (!(key in value))
      throw new ContentError(
        path,
        `${field}.${key}`,
        'is missing: en.yaml has it, and every language needs it',
      );
    compareKeys(path, `${field}.${key}`, value[key], reference[key]);
  }
  for (const key of Object.keys(value)) {
    if (!(key in reference))
      throw new ContentError(
        path,
        `${field}.${key}`,
        'is not in en.yaml; remove it or add it there',
      );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod leaves absent optional keys as undefined; exactOptionalPropertyTypes wants them gone. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
