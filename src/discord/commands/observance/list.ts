import { fillTemplate } from '../../../domain/fill-template.js';
import { listNextOccurrences } from '../../../domain/occurrence.js';
import { defineSubcommand } from '../../command-definition.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';
import { describeOccurrenceDate, makeEmbed } from '../reply-helpers.js';

export const listSubcommand = defineSubcommand({
  name: 'list',
  options: [],
  async run(ctx) {
    const lines = listNextOccurrences(ctx.services.content.observances, ctx.now).map(
      ({ observance, occurrence }) =>
        fillTemplate(ctx.strings.list.line, {
          name: observance.text[ctx.language]?.name ?? observance.id,
          date: describeOccurrenceDate(occurrence),
          countdown:
            occurrence.startsAt.getTime() <= ctx.now.getTime()
              ? ctx.strings.list.today
              : formatDiscordTimestamp(occurrence.startsAt, 'R'),
        }),
    );
    await ctx.reply({ embeds: [makeEmbed(ctx, ctx.strings.list.title, lines.join('\n'))] });
  },
});
