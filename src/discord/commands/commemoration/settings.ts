import { defineSubcommand } from '../../subcommand.js';
import { renderSettingsEmbed } from './settings-embed.js';

export const settingsSubcommand = defineSubcommand({
  name: 'settings',
  description: {
    en: 'Show the current settings for this server',
    ru: 'Показать текущие настройки этого сервера',
    tr: 'Bu sunucunun geçerli ayarlarını göster',
  },
  options: [],
  async run(ctx) {
    await ctx.reply({ embeds: [renderSettingsEmbed(ctx, ctx.settings)] });
  },
});
