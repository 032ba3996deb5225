import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { CommandTexts } from '../../content/content-schema.js';
import { ContentError, type LoadedContent } from '../../content/load-content.js';
import type { ChoiceDefinition, OptionDefinition, SlashCommand } from '../command-definition.js';

/** One text of the commands in every language: English, and the rest by language code. */
type Pick = (texts: CommandTexts) => string | undefined;

/**
 * The registration body Discord expects for a command: its definition from code with its words
 * from data/locales/. English is the default text; every other language is registered for the
 * Discord locales its file lists. A missing text fails with the file and key to add, rather than
 * registering a command with a hole in it (content loading already holds every language to the
 * keys of en.yaml).
 */
export function buildCommandJson(
  command: SlashCommand,
  content: LoadedContent,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const describe = (key: string, pick: Pick) => describeInEveryLanguage(content, key, pick);
  const base = `slash.commands.${command.name}`;
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    ...describe(`${base}.description`, (t) => t.commands[command.name]?.description),
    default_member_permissions:
      command.defaultMemberPermissions === null ? null : String(command.defaultMemberPermissions),
    integration_types: [...command.integrationTypes],
    contexts: [...command.contexts],
    options: command.subcommands.map((sub) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: sub.name,
      ...describe(`${base}.subcommands.${sub.name}`, (t) =>
        t.commands[command.name]?.subcommands[sub.name]),
      options: sub.options.map((option) => buildOptionJson(option, content)),
    })),
  };
}

function buildOptionJson(
  option: OptionDefinition,
  content: LoadedContent,
): APIApplicationCommandBasicOption {
  const common = {
    name: option.name,
    ...describeInEveryLanguage(
      content,
      `slash.options.${option.name}`,
      (t) => t.options[option.name],
    ),
    ...(option.required === undefined ? {} : { required: option.required }),
  };
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      return {
        ...common,
        type: option.type,
        ...(option.min_length === undefined ? {} : { min_length: option.min_length }),
        ...(option.max_length === undefined ? {} : { max_length: option.max_length }),
        ...(option.choices
          ? {
              choices: option.choices.map((choice) =>
                buildChoiceJson(option.name, choice, content),
              ),
            }
          : {}),
      };
    case ApplicationCommandOptionType.Boolean:
    case ApplicationCommandOptionType.Role:
      return { ...common, type: option.type };
    case ApplicationCommandOptionType.Channel:
      return {
        ...common,
        type: option.type,
        ...(option.channel_types ? { channel_types: [...option.channel_types] } : {}),
      };
  }
}

function buildChoiceJson(
  optionName: string,
  choice: ChoiceDefinition,
  content: LoadedContent,
): APIApplicationCommandOptionChoice<string> {
  const { names } = choice;
  if (names) {
    // Content such as an observance: named in its own data, English where a language lacks it.
    const name = names.en ?? choice.value;
    return {
      name,
      value: choice.value,
      name_localizations: localize(content, (code) => names[code] ?? name),
    };
  }
  const { description, description_localizations } = describeInEveryLanguage(
    content,
    `slash.choices.${optionName}.${choice.value}`,
    (t) => t.choices[optionName]?.[choice.value],
  );
  return { name: description, value: choice.value, name_localizations: description_localizations };
}

function describeInEveryLanguage(content: LoadedContent, key: string, pick: Pick) {
  const english = content.languages.get('en');
  const description = english && pick(english.slash);
  if (description === undefined) throw missingText('en', key);
  return {
    description,
    description_localizations: localize(content, (code, texts) => {
      const text = pick(texts);
      if (text === undefined) throw missingText(code, key);
      return text;
    }),
  };
}

/** Discord locale → text, for every language but English that Discord's clients can show. */
function localize(
  content: LoadedContent,
  textIn: (code: string, texts: CommandTexts) => string,
): LocalizationMap {
  const map: LocalizationMap = {};
  for (const language of content.languages.values()) {
    if (language.code === 'en') continue;
    for (const locale of language.discordLocales)
      map[locale] = textIn(language.code, language.slash);
  }
  return map;
}

function missingText(code: string, key: string): ContentError {
  return new ContentError(
    `data/locales/${code}.yaml`,
    key,
    'is missing: every command, subcommand, option and choice needs its text in every language',
  );
}
