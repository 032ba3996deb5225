import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadContent } from '../../src/content/load-content.js';
import { createCommands } from '../../src/discord/commands/all-commands.js';
import { buildCommandJson } from '../../src/discord/commands/build-command-json.js';
import { copyDataWithLanguage } from '../support/copy-data-with-language.js';
import { getContent } from '../support/test-content.js';

// Everything here is derived from the command list: a new subcommand is checked without any
// change to this file.
const content = getContent();
const commands = createCommands(content);
const registered = commands.map((command) => buildCommandJson(command, content));

interface Described {
  name: string;
  description: string;
  description_localizations?: Record<string, string | null> | null;
  options?: Described[];
  choices?: Array<{
    name: string;
    value?: string | number;
    name_localizations?: Record<string, string | null> | null;
  }>;
  required?: boolean;
}

/** Walks every command, subcommand and option, as Discord would validate them on registration. */
function* walk(items: readonly Described[], path = ''): Generator<[string, Described]> {
  for (const item of items) {
    yield [`${path}/${item.name}`, item];
    if (item.options) yield* walk(item.options, `${path}/${item.name}`);
  }
}
const everything = [...walk(registered as unknown as Described[])];

describe.each(
  commands.map((command, index) => [command.name, command, registered[index]] as const),
)('/%s', (_name, command, json) => {
  it('is registered with its permissions, installs and contexts, with every subcommand', () => {
    expect(json?.default_member_permissions).toBe(
      command.defaultMemberPermissions === null ? null : String(command.defaultMemberPermissions),
    );
    expect(json?.integration_types).toEqual(command.integrationTypes);
    expect(json?.contexts).toEqual(command.contexts);
    expect(json).not.toHaveProperty('dm_permission');
    expect(json?.options?.map((o) => o.name)).toEqual(command.subcommands.map((s) => s.name));
  });

  it.each(command.subcommands.map((sub) => [sub.name, sub] as const))(
    '%s registers each option exactly as defined, words added',
    (subName, sub) => {
      const registeredSub = json?.options?.find(
        (o): o is APIApplicationCommandSubcommandOption =>
          o.type === ApplicationCommandOptionType.Subcommand && o.name === subName,
      );
      const options: APIApplicationCommandBasicOption[] = registeredSub?.options ?? [];
      expect(options.map((o) => o.name)).toEqual(sub.options.map((o) => o.name));
      sub.options.forEach((definition, index) => {
        const { choices, ...rest } = { choices: undefined, ...definition };
        const option = options[index];
        expect(option).toMatchObject(rest);
        const registeredChoices = option && 'choices' in option ? option.choices : undefined;
        expect(registeredChoices?.map((c) => c.value)).toEqual(choices?.map((c) => c.value));
      });
    },
  );
});

it('offers /observance anywhere, to servers and to members who add the bot to their account, and /commemoration only in servers that added the bot', () => {
  expect(registered.map((c) => [c.name, c.integration_types, c.contexts])).toEqual([
    [
      'observance',
      [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
      [
        InteractionContextType.Guild,
        InteractionContextType.BotDM,
        InteractionContextType.PrivateChannel,
      ],
    ],
    ['commemoration', [ApplicationIntegrationType.GuildInstall], [InteractionContextType.Guild]],
  ]);
});

it('gives /commemoration to Manage Server by default and /observance to everyone', () => {
  expect(registered.map((c) => [c.name, c.default_member_permissions])).toEqual([
    ['observance', null],
    ['commemoration', '32'],
  ]);
});

it.each(everything)("%s fits Discord's rules for names and descriptions", (_path, item) => {
  expect(item.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
  for (const text of [item.description, ...Object.values(item.description_localizations ?? {})]) {
    expect(text?.length).toBeGreaterThanOrEqual(1);
    expect(text?.length).toBeLessThanOrEqual(100);
  }
  const locales: string[] = Object.values(Locale);
  expect(
    Object.keys(item.description_localizations ?? {}).filter((l) => !locales.includes(l)),
  ).toEqual([]);
  expect(item.options?.length ?? 0).toBeLessThanOrEqual(25);
  expect(item.choices?.length ?? 0).toBeLessThanOrEqual(25);
  for (const choice of item.choices ?? []) {
    expect(choice.name.length).toBeGreaterThanOrEqual(1);
    expect(choice.name.length).toBeLessThanOrEqual(100);
  }
});

it('puts required options before optional ones, as Discord demands', () => {
  for (const [, item] of everything) {
    const required = (item.options ?? []).map((o) => o.required === true);
    expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
  }
});

it('takes every word from data/locales/en.yaml', () => {
  const english = content.languages.get('en')?.slash;
  const json = JSON.stringify(registered);
  for (const command of Object.values(english?.commands ?? {})) {
    expect(json).toContain(JSON.stringify(command.description));
    for (const text of Object.values(command.subcommands))
      expect(json).toContain(JSON.stringify(text));
  }
  for (const text of Object.values(english?.options ?? {}))
    expect(json).toContain(JSON.stringify(text));
});

describe('a language added with data alone', () => {
  it('has its descriptions and choice names registered for its Discord locale', () => {
    const { dir, data } = copyDataWithLanguage({
      code: 'de',
      name: 'Deutsch',
      discordLocales: ['de'],
      translate: (english) => `DE ${english}`.slice(0, 100),
    });
    try {
      const withGerman = loadContent(data);
      const json = createCommands(withGerman).map((command) =>
        buildCommandJson(command, withGerman),
      );
      const items = [...walk(json as unknown as Described[])];
      for (const [path, item] of items) {
        expect(item.description_localizations?.de, path).toBe(
          `DE ${item.description}`.slice(0, 100),
        );
      }
      const kind = items.find(([path]) => path === '/commemoration/preview/kind')?.[1];
      expect(kind?.choices?.map((c) => c.name_localizations?.de)).toEqual([
        'DE eve (the day before)',
        'DE day',
        'DE moment (such as the minute of silence)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails, naming the file and the key, when it lacks a command text', () => {
    const { dir, data } = copyDataWithLanguage({
      code: 'de',
      name: 'Deutsch',
      discordLocales: ['de'],
      translate: (english) => english,
    });
    try {
      const path = `${data}/locales/de.yaml`;
      const german = parse(readFileSync(path, 'utf8'));
      delete german.slash.commands.commemoration.subcommands.status;
      writeFileSync(path, stringify(german));
      expect(() => loadContent(data)).toThrow(
        'data/locales/de.yaml: slash.commands.commemoration.subcommands.status: is missing',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('offers every content language in /commemoration setup and options, by its own name', () => {
  const commemoration = registered.find((c) => c.name === 'commemoration') as unknown as Described;
  for (const sub of ['setup', 'options']) {
    const language = commemoration.options
      ?.find((o) => o.name === sub)
      ?.options?.find((o) => o.name === 'language');
    expect(language?.choices).toHaveLength(4);
    expect(language?.choices?.map(({ name, value }) => ({ name, value }))).toEqual(
      expect.arrayContaining([
        { name: 'English', value: 'en' },
        { name: 'Azərbaycanca', value: 'az' },
        { name: 'Русский', value: 'ru' },
        { name: 'Türkçe', value: 'tr' },
      ]),
    );
  }
});
