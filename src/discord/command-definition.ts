import type {
  APIApplicationCommandBooleanOption,
  APIApplicationCommandChannelOption,
  APIApplicationCommandRoleOption,
  APIApplicationCommandStringOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import type { CommandContext } from './command-context.js';

/**
 * The fields that hold words. They live in data/locales/ (`slash:`), so a definition in code is
 * Discord's own JSON without them, and registration adds them back for every language.
 */
type Words = 'description' | 'description_localizations' | 'name_localizations';

/** Discord's JSON for one option, minus its words, readonly so that `as const` fits it. */
type Wordless<T> = T extends unknown
  ? {
      readonly [K in keyof T as K extends Words | 'choices' | 'autocomplete' ? never : K]: Readonly<
        T[K]
      >;
    }
  : never;

/**
 * A choice is its value. Its name is a word from data/: `names` by language code where the
 * choice is itself content (an observance, a language), else `slash.choices` in data/locales/.
 */
export interface ChoiceDefinition<V extends string = string> {
  readonly value: V;
  readonly names?: Readonly<Record<string, string>>;
}

export type StringOptionDefinition = Wordless<APIApplicationCommandStringOption> & {
  readonly choices?: readonly ChoiceDefinition[];
};

/** The option types the bot's commands use; add one here, in `ValueOf` and in parse-options.ts. */
export type OptionDefinition =
  | StringOptionDefinition
  | Wordless<APIApplicationCommandBooleanOption>
  | Wordless<APIApplicationCommandChannelOption>
  | Wordless<APIApplicationCommandRoleOption>;

export interface ChannelArgument {
  id: string;
  type: number;
}

export interface RoleArgument {
  id: string;
  name: string;
  mentionable: boolean;
}

type ValueOf<O extends OptionDefinition> = O extends {
  type: ApplicationCommandOptionType.String;
  choices: readonly ChoiceDefinition<infer V>[];
}
  ? V
  : O extends { type: ApplicationCommandOptionType.String }
    ? string
    : O extends { type: ApplicationCommandOptionType.Boolean }
      ? boolean
      : O extends { type: ApplicationCommandOptionType.Channel }
        ? ChannelArgument
        : O extends { type: ApplicationCommandOptionType.Role }
          ? RoleArgument
          : never;

/**
 * A handler's arguments, derived from its option definitions as yuudachi's `ArgumentsOf` does:
 * one key per option, a choice option narrowed to its values, optional ones possibly undefined.
 */
export type ArgumentsOf<O extends readonly OptionDefinition[]> = {
  [K in O[number] as K['name']]: K extends { required: true } ? ValueOf<K> : ValueOf<K> | undefined;
};

/** A subcommand: its Discord JSON (minus words), how it answers, and its handler. */
export interface Subcommand {
  readonly name: string;
  readonly options: readonly OptionDefinition[];
  /** Replies everyone in the channel can see; the default is private. */
  readonly visibleToAll?: boolean;
  /**
   * Acknowledge at once and answer after: for handlers that call Discord. A function decides from
   * the arguments, for a handler that calls Discord only for some of them.
   */
  readonly defer?: boolean | ((args: Readonly<Record<string, unknown>>) => boolean);
  run(ctx: CommandContext, args: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface SlashCommand {
  readonly name: string;
  /**
   * Registered as the command's `default_member_permissions`. Discord enforces it, and a server
   * can change who may use the command under Server Settings → Integrations; the bot trusts that
   * and does not check again (see DEVELOPERS.md, "Who may use /commemoration").
   */
  readonly defaultMemberPermissions: bigint | null;
  /**
   * Registered as `integration_types`: how a member reaches the command, through a server that
   * added the bot (GuildInstall) or through their own account (UserInstall).
   */
  readonly integrationTypes: readonly ApplicationIntegrationType[];
  /**
   * Registered as `contexts`: where it can be used. The router holds every interaction to these
   * too, with the server's install, since a stale registration may still deliver elsewhere.
   */
  readonly contexts: readonly InteractionContextType[];
  readonly subcommands: readonly Subcommand[];
}

export function defineSubcommand<const O extends readonly OptionDefinition[]>(definition: {
  name: string;
  options: O;
  visibleToAll?: boolean;
  defer?: boolean | ((args: ArgumentsOf<O>) => boolean);
  run(ctx: CommandContext, args: ArgumentsOf<O>): Promise<void>;
}): Subcommand {
  // The router calls run only with what parseOptions produced from these very definitions: each
  // key is an option's name and each value has passed that option's type, choices and limits.
  const { defer, ...rest } = definition;
  return {
    ...rest,
    ...(typeof defer === 'function'
      ? { defer: (args: Readonly<Record<string, unknown>>) => defer(args as ArgumentsOf<O>) }
      : defer !== undefined
        ? { defer }
        : {}),
    run: (ctx, args) => definition.run(ctx, args as ArgumentsOf<O>),
  };
}
