import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { InjectedOption, InjectInteractionOptions } from './interaction-payload.js';

type Value = string | number | boolean;

/** An injected slash command: `/name sub option:value …`, with option types inferred from values. */
export function slash(
  guildId: string,
  path: `${string} ${string}`,
  options: Record<string, Value | { type: ApplicationCommandOptionType; value: Value }> = {},
  extra: Partial<InjectInteractionOptions> = {},
): InjectInteractionOptions {
  const [name = '', sub = ''] = path.split(' ');
  const built: InjectedOption[] = Object.entries(options).map(([optionName, value]) =>
    typeof value === 'object'
      ? { name: optionName, ...value }
      : {
          name: optionName,
          type:
            typeof value === 'boolean'
              ? ApplicationCommandOptionType.Boolean
              : ApplicationCommandOptionType.String,
          value,
        },
  );
  return {
    guildId,
    ...extra,
    data: {
      name,
      options: [{ name: sub, type: ApplicationCommandOptionType.Subcommand, options: built }],
    },
  };
}
