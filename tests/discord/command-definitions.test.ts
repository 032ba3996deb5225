import { expect, it } from 'vitest';
import { createCommands, toCommandJson } from '../../src/discord/commands/all-commands.js';
import { getContent } from '../support/test-content.js';

const commands = createCommands(getContent()).map(toCommandJson);

interface Described {
  name: string;
  description: string;
  description_localizations?: Record<string, string> | null;
  options?: Described[];
  choices?: Array<{ name: string }>;
}

/** Walks every command, subcommand and option, as Discord would validate them on registration. */
function* walk(items: readonly Described[], path = ''): Generator<[string, Described]> {
  for (const item of items) {
    yield [`${path}/${item.name}`, item];
    if (item.options) yield* walk(item.options, `${path}/${item.name}`);
  }
}

it('registers /observance for everyone and /commemoration for Manage Server, in servers only', () => {
  expect(commands.map((c) => [c.name, c.default_member_permissions, c.contexts])).toEqual([
    ['observance', null, [0]],
    ['commemoration', '32', [0]],
  ]);
  expect(commands[0]?.options?.map((o) => o.name)).toEqual(['list', 'about', 'next', 'sources']);
  expect(commands[1]?.options?.map((o) => o.name)).toEqual([
    'setup',
    'settings',
    'enable',
    'disable',
    'options',
    'preview',
    'status',
    'test',
    'stop',
  ]);
});

it.each([...walk(commands as unknown as Described[])])(
  "%s fits Discord's rules for names and descriptions",
  (_path, item) => {
    expect(item.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
    for (const text of [item.description, ...Object.values(item.description_localizations ?? {})]) {
      expect(text.length).toBeGreaterThanOrEqual(1);
      expect(text.length).toBeLessThanOrEqual(100);
    }
    expect(
      Object.keys(item.description_localizations ?? {}).every((locale) =>
        ['ru', 'tr'].includes(locale),
      ),
    ).toBe(true);
    expect(item.options?.length ?? 0).toBeLessThanOrEqual(25);
    expect(item.choices?.length ?? 0).toBeLessThanOrEqual(25);
    for (const choice of item.choices ?? []) expect(choice.name.length).toBeLessThanOrEqual(100);
  },
);

it('puts required options before optional ones, as Discord demands', () => {
  for (const [, item] of walk(commands as unknown as Described[])) {
    const required = (item.options ?? []).map(
      (o) => (o as { required?: boolean }).required === true,
    );
    expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
  }
});

it('localizes every description for Russian and Turkish clients', () => {
  for (const [, item] of walk(commands as unknown as Described[])) {
    expect(Object.keys(item.description_localizations ?? {}).sort()).toEqual(['ru', 'tr']);
  }
});

it('offers every content language in /commemoration setup and options, by its own name', () => {
  const commemoration = commands[1] as unknown as Described;
  for (const sub of ['setup', 'options']) {
    const language = commemoration.options
      ?.find((o) => o.name === sub)
      ?.options?.find((o) => o.name === 'language');
    expect(language?.choices).toHaveLength(4);
    expect(language?.choices).toEqual(
      expect.arrayContaining([
        { name: 'English', value: 'en' },
        { name: 'Azərbaycanca', value: 'az' },
        { name: 'Русский', value: 'ru' },
        { name: 'Türkçe', value: 'tr' },
      ]),
    );
  }
});
