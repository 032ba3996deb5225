import type { LoadedContent } from '../../content/load-content.js';
import type { SlashCommand } from '../command-definition.js';
import { createCommemorationCommand } from './commemoration-command.js';
import { createObservanceCommand } from './observance-command.js';

/**
 * Every command the bot has: the router dispatches on this list and `npm run register` registers
 * it (through build-command-json.ts, which adds the words from data/locales/).
 */
export function createCommands(content: LoadedContent): SlashCommand[] {
  return [createObservanceCommand(content), createCommemorationCommand(content)];
}
