import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from 'discord.js';
import type { BotStrings } from '../content/content-schema.js';

/** Text in English, with Discord client locales where it helps (Azerbaijani is not one). */
export interface Localized {
  en: string;
  ru?: string;
  tr?: string;
}

interface BaseOption {
  name: string;
  description: Localized;
  required?: boolean;
  /** The reply when the value is unusable, instead of the generic one. */
  invalid?: keyof BotStrings['errors'];
}

export interface StringOption extends BaseOption {
  type: 'string';
  choices?: ReadonlyArray<{ name: string; value: string }>;
  minLength?: number;
  maxLength?: number;
}
export interface BooleanOption extends BaseOption {
  type: 'boolean';
}
export interface ChannelOption extends BaseOption {
  type: 'channel';
  channelTypes: readonly number[];
}
export interface RoleOption extends BaseOption {
  type: 'role';
}
export type OptionSpec = StringOption | BooleanOption | ChannelOption | RoleOption;

export interface ChannelArg {
  id: string;
  type: number;
}
export interface RoleArg {
  id: string;
  name: string;
  mentionable: boolean;
}

type ValueOf<O extends OptionSpec> = O extends StringOption
  ? string
  : O extends BooleanOption
    ? boolean
    : O extends ChannelOption
      ? ChannelArg
      : O extends RoleOption
        ? RoleArg
        : never;

/** The arguments a handler receives, derived from its option definitions. */
export type ArgsOf<O extends readonly OptionSpec[]> = {
  [K in O[number] as K['name']]: K extends { required: true } ? ValueOf<K> : ValueOf<K> | undefined;
};

export type ParseResult =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; error: keyof BotStrings['errors']; option: string };

const DISCORD_TYPES = {
  string: ApplicationCommandOptionType.String,
  boolean: ApplicationCommandOptionType.Boolean,
  channel: ApplicationCommandOptionType.Channel,
  role: ApplicationCommandOptionType.Role,
} as const;

/**
 * Reads a subcommand's options from the interaction and checks each against its definition. The
 * payload is untrusted: an option may be missing, of the wrong type, too long or not one of the
 * choices, whatever the registered command says.
 */
export function parseOptions(
  specs: readonly OptionSpec[],
  interaction: ChatInputCommandInteraction,
): ParseResult {
  const given = collectOptions(interaction.options.data);
  const args: Record<string, unknown> = {};
  for (const spec of specs) {
    const option = given.get(spec.name);
    if (!option || option.value === undefined || option.value === null) {
      if (spec.required) return { ok: false, error: 'missingOption', option: spec.name };
      args[spec.name] = undefined;
      continue;
    }
    const value = readValue(spec, option);
    if (value === undefined)
      return { ok: false, error: spec.invalid ?? 'invalidOption', option: spec.name };
    args[spec.name] = value;
  }
  return { ok: true, args };
}

function collectOptions(
  data: readonly CommandInteractionOption[],
): Map<string, CommandInteractionOption> {
  const options = new Map<string, CommandInteractionOption>();
  const visit = (list: readonly CommandInteractionOption[] | undefined) => {
    if (!Array.isArray(list)) return;
    for (const option of list) {
      if (
        option?.type === ApplicationCommandOptionType.Subcommand ||
        option?.type === ApplicationCommandOptionType.SubcommandGroup
      ) {
        visit(option.options);
      } else if (option && typeof option.name === 'string') {
        options.set(option.name, option);
      }
    }
  };
  visit(data);
  return options;
}

function readValue(spec: OptionSpec, option: CommandInteractionOption): unknown {
  if (option.type !== DISCORD_TYPES[spec.type]) return undefined;
  switch (spec.type) {
    case 'string': {
      const value = option.value;
      if (typeof value !== 'string') return undefined;
      if (value.length > (spec.maxLength ?? 6000) || value.length < (spec.minLength ?? 0))
        return undefined;
      if (spec.choices && !spec.choices.some((choice) => choice.value === value)) return undefined;
      return value;
    }
    case 'boolean':
      return typeof option.value === 'boolean' ? option.value : undefined;
    case 'channel': {
      const id = option.value;
      const type = option.channel?.type;
      if (typeof id !== 'string' || !/^\d{17,20}$/.test(id) || typeof type !== 'number')
        return undefined;
      return spec.channelTypes.includes(type) ? { id, type } : undefined;
    }
    case 'role': {
      const id = option.value;
      const role = option.role;
      if (typeof id !== 'string' || !/^\d{17,20}$/.test(id) || !role) return undefined;
      return { id, name: String(role.name ?? ''), mentionable: role.mentionable === true };
    }
  }
}

/** The option as Discord's command registration expects it. */
export function toOptionJson(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = {
    name: spec.name,
    description: spec.description.en,
    description_localizations: localizations(spec.description),
    required: spec.required ?? false,
  };
  switch (spec.type) {
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(spec.choices
          ? { choices: spec.choices.map((c) => ({ name: c.name, value: c.value })) }
          : {}),
        ...(spec.maxLength ? { max_length: spec.maxLength } : {}),
        ...(spec.minLength ? { min_length: spec.minLength } : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'channel':
      return {
        ...base,
        type: ApplicationCommandOptionType.Channel,
        channel_types: [...spec.channelTypes],
      } as APIApplicationCommandBasicOption;
    case 'role':
      return { ...base, type: ApplicationCommandOptionType.Role };
  }
}

export function localizations(text: Localized): Record<string, string> {
  const map: Record<string, string> = {};
  if (text.ru) map.ru = text.ru;
  if (text.tr) map.tr = text.tr;
  return map;
}
