import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../command-definition.js';
import { createToggleSubcommands } from './commemoration/enable.js';
import { createOptionsSubcommand } from './commemoration/options.js';
import { createPreviewSubcommand } from './commemoration/preview.js';
import { settingsSubcommand } from './commemoration/settings.js';
import { createSetupSubcommand } from './commemoration/setup.js';
import { statusSubcommand } from './commemoration/status.js';
import { stopSubcommand } from './commemoration/stop.js';
import { testSubcommand } from './commemoration/test.js';

/** Server configuration, for members with Manage Server, only in servers that added the bot. */
export function createCommemorationCommand(content: LoadedContent): SlashCommand {
  return {
    name: 'commemoration',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    integrationTypes: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
    subcommands: [
      createSetupSubcommand(content),
      settingsSubcommand,
      ...createToggleSubcommands(content),
      createOptionsSubcommand(content),
      createPreviewSubcommand(content),
      statusSubcommand,
      testSubcommand,
      stopSubcommand,
    ],
  };
}
