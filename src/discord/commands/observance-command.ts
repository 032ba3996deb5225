import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../subcommand.js';
import { createAboutSubcommand } from './observance/about.js';
import { listSubcommand } from './observance/list.js';
import { nextSubcommand } from './observance/next.js';
import { createSourcesSubcommand } from './observance/sources.js';

/** Look-ups for every member. */
export function createObservanceCommand(content: LoadedContent): SlashCommand {
  return {
    name: 'observance',
    description: {
      en: 'Look up the Azerbaijani days of remembrance',
      ru: 'Азербайджанские дни памяти: даты, факты и источники',
      tr: 'Azerbaycan anma günleri: tarihler, bilgiler ve kaynaklar',
    },
    requiresManageServer: false,
    subcommands: [
      listSubcommand,
      createAboutSubcommand(content),
      nextSubcommand,
      createSourcesSubcommand(content),
    ],
  };
}
