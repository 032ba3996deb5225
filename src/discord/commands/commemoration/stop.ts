import { defineSubcommand } from '../../subcommand.js';

export const stopSubcommand = defineSubcommand({
  name: 'stop',
  description: {
    en: 'Stop posting in this server (settings are kept)',
    ru: 'Прекратить публикации на этом сервере (настройки сохраняются)',
    tr: 'Bu sunucuda paylaşımı durdur (ayarlar korunur)',
  },
  options: [],
  async run(ctx) {
    await ctx.services.settings.update(ctx.guildId, { channelId: null }, ctx.now);
    await ctx.reply({ content: ctx.strings.stop.done });
  },
});
