import { ApplicationIntegrationType, InteractionContextType } from 'discord-api-types/v10';
import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../command-definition.js';
import { createAboutSubcommand } from './observance/about.js';
import { listSubcommand } from './observance/list.js';
import { nextSubcommand } from './observance/next.js';
import { createSourcesSubcommand } from './observance/sources.js';

/**
 * Look-ups for every member, anywhere: in servers, in the bot's DM, and, for members who added
 * the bot to their own account, in group DMs and servers without the bot. None of them reads a
 * server's settings, so they answer the same everywhere.
 */
export function createObservanceCommand(content: LoadedContent): SlashCommand {
  return {
    name: 'observance',
    defaultMemberPermissions: null,
    integrationTypes: [
      ApplicationIntegrationType.GuildInstall,
      ApplicationIntegrationType.UserInstall,
    ],
    contexts: [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
    subcommands: [
      listSubcommand,
      createAboutSubcommand(content),
      nextSubcommand,
      createSourcesSubcommand(content),
    ],
  };
}
