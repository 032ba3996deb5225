import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../command-definition.js';
import { createAboutSubcommand } from './observance/about.js';
import { listSubcommand } from './observance/list.js';
import { nextSubcommand } from './observance/next.js';
import { createSourcesSubcommand } from './observance/sources.js';

/** Look-ups for every member. */
export function createObservanceCommand(content: LoadedContent): SlashCommand {
  return {
    name: 'observance',
    defaultMemberPermissions: null,
    subcommands: [
      listSubcommand,
      createAboutSubcommand(content),
      nextSubcommand,
      createSourcesSubcommand(content),
    ],
  };
}
