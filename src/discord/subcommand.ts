import type { CommandContext } from './command-context.js';
import type { ArgsOf, Localized, OptionSpec } from './command-options.js';

/** A subcommand with its handler; the handler's arguments are typed from its options. */
export interface Subcommand {
  name: string;
  description: Localized;
  options: readonly OptionSpec[];
  /** Replies everyone in the channel can see; the default is private. */
  visibleToAll?: boolean;
  /** Acknowledge at once and answer after: for handlers that call Discord. */
  defer?: boolean;
  run(ctx: CommandContext, args: Record<string, unknown>): Promise<void>;
}

export interface SlashCommand {
  name: string;
  description: Localized;
  /** Hidden from members without Manage Server, and checked again when used. */
  requiresManageServer: boolean;
  subcommands: readonly Subcommand[];
}

export function defineSubcommand<const O extends readonly OptionSpec[]>(definition: {
  name: string;
  description: Localized;
  options: O;
  visibleToAll?: boolean;
  defer?: boolean;
  run(ctx: CommandContext, args: ArgsOf<O>): Promise<void>;
}): Subcommand {
  // parseOptions has checked the arguments against these very options.
  return { ...definition, run: (ctx, args) => definition.run(ctx, args as ArgsOf<O>) };
}
