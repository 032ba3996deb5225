import { fillTemplate } from '../../../domain/fill-template.js';
import { listNextOccurrences, type Occurrence } from '../../../domain/occurrence.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';
import { defineSubcommand } from '../../subcommand.js';
import { makeEmbed } from '../describe-post.js';

/**
 * Discord shows <t:…:D> as a date in the reader's time zone. Noon in Baku falls on the same
 * calendar date from UTC−8 to UTC+14, so it names the right day for nearly every reader.
 */
export function describeOccurrenceDate(occurrence: Occurrence): string {
  return formatDiscordTimestamp(new Date(occurrence.startsAt.getTime() + 12 * 3600 * 1000), 'D');
}

export const listSubcommand = defineSubcommand({
  name: 'list',
  description: {
    en: 'The days of remembrance, with their next dates',
    ru: 'Дни памяти и их ближайшие даты',
    tr: 'Anma günleri ve bir sonraki tarihleri',
  },
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
