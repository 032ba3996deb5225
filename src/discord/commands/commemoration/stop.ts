import { defineSubcommand } from '../../command-definition.js';

export const stopSubcommand = defineSubcommand({
  name: 'stop',
  options: [],
  async run(ctx) {
    await ctx.services.settings.update(ctx.guildId, { channelId: null }, ctx.now);
    await ctx.reply({ content: ctx.strings.stop.done });
  },
});
