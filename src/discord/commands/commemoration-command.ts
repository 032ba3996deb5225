import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../subcommand.js';
import { createToggleSubcommands } from './commemoration/enable.js';
import { createOptionsSubcommand } from './commemoration/options.js';
import { createPreviewSubcommand } from './commemoration/preview.js';
import { settingsSubcommand } from './commemoration/settings.js';
import { createSetupSubcommand } from './commemoration/setup.js';
import { statusSubcommand } from './commemoration/status.js';
import { stopSubcommand } from './commemoration/stop.js';
import { testSubcommand } from './commemoration/test.js';

/** Server configuration, for members with Manage Server. */
export function createCommemorationCommand(content: LoadedContent): SlashCommand {
  return {
    name: 'commemoration',
    description: {
      en: 'Set up and check the remembrance posts in this server',
      ru: 'Настройка и проверка памятных публикаций на этом сервере',
      tr: 'Bu sunucudaki anma paylaşımlarını ayarlayın ve denetleyin',
    },
    requiresManageServer: true,
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
