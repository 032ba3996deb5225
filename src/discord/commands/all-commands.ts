import {
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { LoadedContent } from '../../content/load-content.js';
import { localizations, toOptionJson } from '../command-options.js';
import type { SlashCommand } from '../subcommand.js';
import { createCommemorationCommand } from './commemoration-command.js';
import { createObservanceCommand } from './observance-command.js';

/** Every command the bot has: the router dispatches on this list and `npm run register` registers it. */
export function createCommands(content: LoadedContent): SlashCommand[] {
  return [createObservanceCommand(content), createCommemorationCommand(content)];
}

/** The registration body Discord expects for each command. */
export function toCommandJson(
  command: SlashCommand,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description.en,
    description_localizations: localizations(command.description),
    default_member_permissions: command.requiresManageServer
      ? String(PermissionFlagsBits.ManageGuild)
      : null,
    contexts: [InteractionContextType.Guild],
    options: command.subcommands.map((sub) => ({
      type: 1,
      name: sub.name,
      description: sub.description.en,
      description_localizations: localizations(sub.description),
      options: sub.options.map(toOptionJson),
    })),
  };
}
