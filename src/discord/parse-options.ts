import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { BotStrings } from '../content/content-schema.js';
import type { OptionDefinition } from './command-definition.js';
import type { SlashInteraction } from './read-interaction.js';

type GivenOption = SlashInteraction['options'][number];

export type ParseResult =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; error: keyof BotStrings['errors']; option: string };

/** Options whose unusable value gets its own reply rather than the generic `invalidOption`. */
const INVALID_VALUE_REPLIES: Readonly<Record<string, keyof BotStrings['errors']>> = {
  observance: 'unknownObservance',
  language: 'invalidLanguage',
  time: 'invalidTime',
  channel: 'wrongChannelType',
};

/**
 * Reads a subcommand's options from the interaction and checks each against its Discord
 * definition. The payload is untrusted: an option may be missing, of the wrong type, too long or
 * not one of the choices, whatever the registered command says.
 */
export function parseOptions(
  definitions: readonly OptionDefinition[],
  interaction: SlashInteraction,
): ParseResult {
  const given = new Map(interaction.options.map((option) => [option.name, option]));
  const args: Record<string, unknown> = {};
  for (const definition of definitions) {
    const option = given.get(definition.name);
    if (!option || option.value === undefined || option.value === null) {
      if (definition.required)
        return { ok: false, error: 'missingOption', option: definition.name };
      args[definition.name] = undefined;
      continue;
    }
    const value = readValue(definition, option);
    if (value === undefined) {
      const error = INVALID_VALUE_REPLIES[definition.name] ?? 'invalidOption';
      return { ok: false, error, option: definition.name };
    }
    args[definition.name] = value;
  }
  return { ok: true, args };
}

const SNOWFLAKE = /^\d{17,20}$/;

function readValue(definition: OptionDefinition, option: GivenOption): unknown {
  if (option.type !== definition.type) return undefined;
  switch (definition.type) {
    case ApplicationCommandOptionType.String: {
      const value = option.value;
      if (typeof value !== 'string') return undefined;
      if (value.length > (definition.max_length ?? 6000)) return undefined;
      if (value.length < (definition.min_length ?? 0)) return undefined;
      if (definition.choices && !definition.choices.some((choice) => choice.value === value))
        return undefined;
      return value;
    }
    case ApplicationCommandOptionType.Boolean:
      return typeof option.value === 'boolean' ? option.value : undefined;
    case ApplicationCommandOptionType.Channel: {
      const id = option.value;
      const type = option.channel?.type;
      if (typeof id !== 'string' || !SNOWFLAKE.test(id) || typeof type !== 'number')
        return undefined;
      const allowed: readonly number[] | undefined = definition.channel_types;
      return !allowed || allowed.includes(type) ? { id, type } : undefined;
    }
    case ApplicationCommandOptionType.Role: {
      const id = option.value;
      const role = option.role;
      if (typeof id !== 'string' || !SNOWFLAKE.test(id) || !role) return undefined;
      return { id, name: String(role.name ?? ''), mentionable: role.mentionable === true };
    }
  }
}
