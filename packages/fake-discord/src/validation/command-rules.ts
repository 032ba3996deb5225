import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ApplicationIntegrationType,
} from 'discord-api-types/v10';
import { isRecord } from '../rest-types.js';
import { type FieldIssue, issue } from './form-errors.js';
import { checkAgainstSpec, DISCORD_LOCALES, specSchemas } from './spec-schemas.js';

type Path = readonly (string | number)[];

/** Discord's documented pattern for chat-input command and option names. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const COMMAND_SIZE_LIMIT = 8000;
const CHOICE_VALUE_LIMIT = 100;

/** What the application's settings allow, which some command fields must stay within. */
export interface ApplicationSettings {
  /** Installation → Installation Contexts in the Developer Portal: Guild Install, User Install. */
  readonly installationContexts: readonly ApplicationIntegrationType[];
}

/** POST /applications/:id/commands: one command. */
export function findCommandIssues(body: unknown, app: ApplicationSettings): FieldIssue[] {
  return [
    ...checkAgainstSpec(specSchemas.commandCreate, normaliseForSpec(body)),
    ...findRuleIssues(body, [], app),
  ];
}

/** PUT /applications/:id/commands: the whole list, by index, plus names unique per type. */
export function findCommandListIssues(body: unknown, app: ApplicationSettings): FieldIssue[] {
  if (!Array.isArray(body)) {
    return [issue([], 'BASE_TYPE_INVALID', 'Must be an array of application commands.')];
  }
  const found = body.flatMap((command, index) => [
    ...checkAgainstSpec(specSchemas.commandOverwrite, normaliseForSpec(command), [index]),
    ...findRuleIssues(command, [index], app),
  ]);
  const seen = new Set<string>();
  body.forEach((command, index) => {
    if (!isRecord(command) || typeof command.name !== 'string') return;
    const key = `${String(command.type ?? ApplicationCommandType.ChatInput)}:${command.name}`;
    if (seen.has(key)) {
      found.push(
        issue(
          [index, 'name'],
          'APPLICATION_COMMANDS_DUPLICATE_NAME',
          `Application command names must be unique`,
        ),
      );
    }
    seen.add(key);
  });
  return found;
}

/**
 * The spec types `default_member_permissions` as an integer, but Discord documents it as a string
 * of the bit set, and discord.js sends a string: accept both, as Discord does.
 */
function normaliseForSpec(command: unknown): unknown {
  if (!isRecord(command) || typeof command.default_member_permissions !== 'string') return command;
  const bits = command.default_member_permissions;
  return /^\d+$/.test(bits) ? { ...command, default_member_permissions: Number(bits) } : command;
}

/** The documented limits the spec's schema does not encode. */
function findRuleIssues(command: unknown, at: Path, app: ApplicationSettings): FieldIssue[] {
  if (!isRecord(command)) return [];
  const found: FieldIssue[] = [];
  const type = command.type ?? ApplicationCommandType.ChatInput;
  const chatInput = type === ApplicationCommandType.ChatInput;
  checkNamed(command, at, chatInput, found);
  checkIntegrationTypes(command.integration_types, [...at, 'integration_types'], app, found);
  if (chatInput) {
    const description = command.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      found.push(
        issue(
          [...at, 'description'],
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 100 in length.',
        ),
      );
    }
  }
  if (Array.isArray(command.options)) checkOptions(command.options, [...at, 'options'], found);
  if (measureCommand(command) > COMMAND_SIZE_LIMIT) {
    found.push(
      issue(
        at,
        'APPLICATION_COMMAND_TOO_LARGE',
        `Command exceeds maximum size (${COMMAND_SIZE_LIMIT})`,
      ),
    );
  }
  return found;
}

/**
 * A command may name only the installation contexts the application supports ("as long as any
 * included contexts are already supported on the application-level"); the spec checks the values.
 */
function checkIntegrationTypes(
  types: unknown,
  at: Path,
  app: ApplicationSettings,
  found: FieldIssue[],
): void {
  if (!Array.isArray(types)) return;
  types.forEach((type: unknown, index) => {
    if (type !== 0 && type !== 1) return;
    if (app.installationContexts.includes(type)) return;
    found.push(
      issue(
        [...at, index],
        'APPLICATION_COMMAND_INTEGRATION_TYPE_NOT_SUPPORTED',
        'Application does not support this integration type.',
      ),
    );
  });
}

function checkOptions(options: unknown[], at: Path, found: FieldIssue[]): void {
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((option, index) => {
    if (!isRecord(option)) return;
    const here = [...at, index];
    checkNamed(option, here, true, found);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        found.push(
          issue(
            [...here, 'name'],
            'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME',
            'Option names must be unique',
          ),
        );
      }
      names.add(option.name);
    }
    const nests =
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (!nests) {
      if (option.required === true && optionalSeen) {
        found.push(
          issue(
            at,
            'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
            'Required options must be placed before non-required options',
          ),
        );
      }
      if (option.required !== true) optionalSeen = true;
    }
    if (Array.isArray(option.choices)) {
      option.choices.forEach((choice: unknown, choiceIndex) => {
        if (!isRecord(choice)) return;
        const choiceAt = [...here, 'choices', choiceIndex];
        checkLocalizations(choice.name_localizations, [...choiceAt, 'name_localizations'], found);
        if (typeof choice.value === 'string' && choice.value.length > CHOICE_VALUE_LIMIT) {
          found.push(
            issue(
              [...choiceAt, 'value'],
              'BASE_TYPE_MAX_LENGTH',
              `Must be ${CHOICE_VALUE_LIMIT} or fewer in length.`,
            ),
          );
        }
      });
    }
    if (Array.isArray(option.options)) checkOptions(option.options, [...here, 'options'], found);
  });
}

/** Name pattern and lowercase (chat input only), and locale keys of both localization maps. */
function checkNamed(
  named: Record<string, unknown>,
  at: Path,
  chatInput: boolean,
  found: FieldIssue[],
): void {
  const candidates: [Path, unknown][] = [[[...at, 'name'], named.name]];
  if (isRecord(named.name_localizations)) {
    for (const [locale, value] of Object.entries(named.name_localizations)) {
      candidates.push([[...at, 'name_localizations', locale], value]);
    }
  }
  if (chatInput) {
    for (const [path, name] of candidates) {
      if (typeof name !== 'string') continue;
      if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
        found.push(issue(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid'));
      }
    }
  }
  checkLocalizations(named.name_localizations, [...at, 'name_localizations'], found);
  checkLocalizations(named.description_localizations, [...at, 'description_localizations'], found);
}

function checkLocalizations(map: unknown, at: Path, found: FieldIssue[]): void {
  if (!isRecord(map)) return;
  for (const locale of Object.keys(map)) {
    if (!DISCORD_LOCALES.has(locale)) {
      found.push(issue([...at, locale], 'LOCALE_INVALID', `"${locale}" is not a valid locale.`));
    }
  }
}

/**
 * Discord's size of a command: every name, description and choice value, each counted at its
 * longest localization.
 */
export function measureCommand(node: unknown): number {
  if (!isRecord(node)) return 0;
  const longest = (value: unknown, localizations: unknown): number => {
    const lengths = [typeof value === 'string' ? value.length : String(value ?? '').length];
    if (isRecord(localizations)) {
      for (const text of Object.values(localizations)) {
        if (typeof text === 'string') lengths.push(text.length);
      }
    }
    return Math.max(...lengths);
  };
  let size =
    longest(node.name, node.name_localizations) +
    (node.description === undefined
      ? 0
      : longest(node.description, node.description_localizations));
  if (Array.isArray(node.choices)) {
    for (const choice of node.choices) {
      if (!isRecord(choice)) continue;
      size += longest(choice.name, choice.name_localizations) + String(choice.value ?? '').length;
    }
  }
  if (Array.isArray(node.options)) {
    for (const option of node.options) size += measureCommand(option);
  }
  return size;
}
