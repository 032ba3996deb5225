import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type {
  InjectedOption,
  InjectInteractionOptions,
  InteractionPlace,
} from './interaction-payload.js';

type Value = string | number | boolean;

/**
 * An injected slash command: `/name sub option:value …`, with option types inferred from values,
 * typed in a channel of that guild or in another place (`{ kind: 'bot-dm' }` and so on).
 */
export function slash(
  where: string | InteractionPlace,
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
    ...(typeof where === 'string' ? { guildId: where } : { place: where }),
    ...extra,
    data: {
      name,
      options: [{ name: sub, type: ApplicationCommandOptionType.Subcommand, options: built }],
    },
  };
}
