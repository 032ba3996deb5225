import type { LoadedContent } from '../../../content/load-content.js';
import { findObservance } from '../../../domain/content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import type { PostKind } from '../../../domain/observance.js';
import { findNextOccurrence } from '../../../domain/occurrence.js';
import { renderPost } from '../../../domain/render-post.js';
import type { StringOption } from '../../command-options.js';
import { defineSubcommand } from '../../subcommand.js';
import { observanceOption } from '../shared-options.js';
import { replyError } from './setup.js';

const kindOption = {
  type: 'string',
  name: 'kind',
  description: {
    en: 'Which post (default: the day post)',
    ru: 'Какой пост (по умолчанию — в день)',
    tr: 'Hangi paylaşım (varsayılan: gün)',
  },
  choices: [
    { name: 'eve (the day before)', value: 'eve' },
    { name: 'day', value: 'day' },
    { name: 'moment (such as the minute of silence)', value: 'moment' },
  ],
} as const satisfies StringOption;

export function createPreviewSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'preview',
    description: {
      en: 'Show exactly what a post will look like, only to you',
      ru: 'Показать, как будет выглядеть публикация (видно только вам)',
      tr: 'Bir paylaşımın tam olarak nasıl görüneceğini yalnızca size göster',
    },
    options: [observanceOption(content), kindOption],
    async run(ctx, args) {
      const observance = findObservance(ctx.services.content, args.observance);
      const kind = (args.kind ?? 'day') as PostKind;
      if (kind === 'moment' && observance.moments.length === 0) {
        return replyError(
          ctx,
          fillTemplate(ctx.strings.errors.noMoment, {
            name: observance.text[ctx.language]?.name ?? observance.id,
          }),
        );
      }
      const { year } = findNextOccurrence(observance, ctx.now);
      const settings = ctx.settings;
      const language = choosePostLanguage(settings, ctx.services.content.locales);
      const payload = renderPost(
        ctx.services.content,
        { observanceId: observance.id, kind, locale: language, year },
        {
          ...(settings?.roleId ? { roleId: settings.roleId } : {}),
          silent: settings?.silent ?? false,
        },
      );
      const note = fillTemplate(ctx.strings.preview.note, {
        kind: ctx.strings.kinds[kind],
        channel: settings?.channelId ? `<#${settings.channelId}>` : ctx.strings.preview.noChannel,
      });
      await ctx.reply({
        content: [note, payload.content].filter(Boolean).join('\n\n'),
        embeds: payload.embeds,
      });
    },
  });
}
