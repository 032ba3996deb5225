import { defineSubcommand } from '../../command-definition.js';
import { renderSettingsEmbed } from './settings-embed.js';

export const settingsSubcommand = defineSubcommand({
  name: 'settings',
  options: [],
  async run(ctx) {
    await ctx.reply({ embeds: [renderSettingsEmbed(ctx, ctx.settings)] });
  },
});
