import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { FakeState } from './fake-state.js';
import type { InjectedOption } from './interaction-payload.js';
import { isRecord } from './rest-types.js';

export interface CommandLine {
  name: string;
  /** Subcommand group and subcommand, as typed: `/name group sub` or `/name sub`. */
  path: string[];
  options: Record<string, string>;
}

/** Parses what a member would type: `/commemoration setup channel:123 time:18:00`. */
export function parseCommandLine(text: string): CommandLine {
  const words = text.trim().replace(/^\//, '').split(/\s+/).filter(Boolean);
  const [name, ...rest] = words;
  if (!name) throw new Error('a command looks like "/name sub option:value"');
  const path: string[] = [];
  const options: Record<string, string> = {};
  for (const word of rest) {
    const colon = word.indexOf(':');
    if (colon <= 0) {
      if (Object.keys(options).length > 0) {
        throw new Error(`"${word}" follows an option; write options as name:value`);
      }
      path.push(word);
    } else {
      options[word.slice(0, colon)] = word.slice(colon + 1).replace(/^<[#@&]+(\d+)>$/, '$1');
    }
  }
  return { name, path, options };
}

/**
 * Turns typed options into the interaction's options, typed by the registered command when there
 * is one (run `npm run register` against the fake), else guessed from the value.
 */
export function buildInjectedOptions(
  line: CommandLine,
  registered: unknown,
  state: FakeState,
): InjectedOption[] {
  let definitions =
    isRecord(registered) && Array.isArray(registered.options) ? registered.options : [];
  const nesting: { name: string; type: ApplicationCommandOptionType }[] = [];
  for (const name of line.path) {
    const found = definitions.find((o: unknown) => isRecord(o) && o.name === name);
    const type =
      isRecord(found) && found.type === ApplicationCommandOptionType.SubcommandGroup
        ? ApplicationCommandOptionType.SubcommandGroup
        : ApplicationCommandOptionType.Subcommand;
    nesting.push({ name, type });
    definitions = isRecord(found) && Array.isArray(found.options) ? found.options : [];
  }
  let options: InjectedOption[] = Object.entries(line.options).map(([name, raw]) => {
    const definition = definitions.find((o: unknown) => isRecord(o) && o.name === name);
    const type =
      isRecord(definition) && typeof definition.type === 'number'
        ? (definition.type as ApplicationCommandOptionType)
        : guessType(raw, state);
    return { name, type, value: convertValue(raw, type) };
  });
  for (const level of nesting.reverse()) options = [{ ...level, options }];
  return options;
}

function guessType(raw: string, state: FakeState): ApplicationCommandOptionType {
  if (raw === 'true' || raw === 'false') return ApplicationCommandOptionType.Boolean;
  if (/^\d{17,20}$/.test(raw)) {
    if (state.channel(raw)) return ApplicationCommandOptionType.Channel;
    for (const guild of state.guilds.values()) {
      if (guild.roles.some((r) => r.id === raw)) return ApplicationCommandOptionType.Role;
    }
  }
  return ApplicationCommandOptionType.String;
}

function convertValue(raw: string, type: ApplicationCommandOptionType): string | number | boolean {
  if (type === ApplicationCommandOptionType.Boolean) return raw === 'true';
  if (type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number)
    return Number(raw);
  return raw;
}
