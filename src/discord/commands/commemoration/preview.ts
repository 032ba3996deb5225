import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { LoadedContent } from '../../../content/load-content.js';
import { findObservance } from '../../../domain/content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import { findNextOccurrence } from '../../../domain/occurrence.js';
import { renderPost } from '../../../domain/render-post.js';
import { defineSubcommand, type StringOptionDefinition } from '../../command-definition.js';
import { replyError } from '../reply-helpers.js';
import { observanceOption } from '../shared-options.js';

const kindOption = {
  type: ApplicationCommandOptionType.String,
  name: 'kind',
  choices: [{ value: 'eve' }, { value: 'day' }, { value: 'moment' }],
} as const satisfies StringOptionDefinition;

export function createPreviewSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'preview',
    options: [observanceOption(content), kindOption],
    async run(ctx, args) {
      const observance = findObservance(ctx.services.content, args.observance);
      const kind = args.kind ?? 'day';
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
