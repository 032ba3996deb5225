import { atBakuTime } from '../../../domain/baku-calendar.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatBakuTime } from '../../../domain/format-post-parts.js';
import { listNextOccurrences } from '../../../domain/occurrence.js';
import { defineSubcommand } from '../../command-definition.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';
import { describeOccurrenceDate, makeEmbed } from '../reply-helpers.js';

export const nextSubcommand = defineSubcommand({
  name: 'next',
  options: [],
  async run(ctx) {
    const [next] = listNextOccurrences(ctx.services.content.observances, ctx.now);
    if (!next) return;
    const { observance, occurrence } = next;
    const name = observance.text[ctx.language]?.name ?? observance.id;
    const lines = [
      occurrence.startsAt.getTime() <= ctx.now.getTime()
        ? fillTemplate(ctx.strings.next.today, { name })
        : fillTemplate(ctx.strings.next.line, {
            name,
            date: describeOccurrenceDate(occurrence),
            countdown: formatDiscordTimestamp(occurrence.startsAt, 'R'),
          }),
    ];
    for (const moment of observance.moments) {
      const at = atBakuTime(occurrence.date, moment);
      lines.push(
        fillTemplate(ctx.strings.next.moment, {
          title: moment.text[ctx.language]?.title ?? moment.id,
          time: formatBakuTime(ctx.labels, moment),
          localTime: formatDiscordTimestamp(at, 't'),
        }),
      );
    }
    await ctx.reply({ embeds: [makeEmbed(ctx, name, lines.join('\n'))] });
  },
});
