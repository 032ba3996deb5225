import type { LoadedContent } from '../../../content/load-content.js';
import type { GuildSettingsPatch } from '../../../domain/guild-settings.js';
import { parseLocalTime } from '../../../domain/local-time.js';
import { defineSubcommand } from '../../subcommand.js';
import { withLanguage } from '../language-context.js';
import { booleanOption, languageOption, roleOption, timeOption } from '../shared-options.js';
import { renderSettingsEmbed } from './settings-embed.js';
import { replyError } from './setup.js';

export function createOptionsSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'options',
    description: {
      en: 'Turn the eve reminder, moment posts and silent posts on or off; change time, language or role',
      ru: 'Напоминание накануне, посты в момент памяти, тихие посты; время, язык, роль',
      tr: 'Arife hatırlatması, an paylaşımları, sessiz paylaşımlar; saat, dil, rol',
    },
    options: [
      booleanOption('eve', {
        en: 'Also post a reminder the day before',
        ru: 'Публиковать напоминание накануне',
        tr: 'Bir gün önce hatırlatma da paylaş',
      }),
      booleanOption('moments', {
        en: 'Post at moments such as the minute of silence at 12:00 on 20 January',
        ru: 'Публиковать в момент памяти, например минуту молчания 20 января в 12:00',
        tr: '20 Ocak 12:00 saygı duruşu gibi anlarda paylaş',
      }),
      booleanOption('silent', {
        en: 'Send posts without push notifications',
        ru: 'Отправлять посты без уведомлений',
        tr: 'Paylaşımları bildirim göndermeden yap',
      }),
      timeOption,
      languageOption(content),
      roleOption,
      booleanOption('remove-role', {
        en: 'Stop mentioning any role',
        ru: 'Больше не упоминать роль',
        tr: 'Artık hiçbir rolü anma',
      }),
    ],
    async run(ctx, args) {
      const patch: GuildSettingsPatch = {};
      if (args.eve !== undefined) patch.eveReminder = args.eve;
      if (args.moments !== undefined) patch.momentPosts = args.moments;
      if (args.silent !== undefined) patch.silent = args.silent;
      if (args.language !== undefined) patch.language = args.language;
      if (args.time !== undefined) {
        const postTime = parseLocalTime(args.time);
        if (!postTime) return replyError(ctx, ctx.strings.errors.invalidTime);
        patch.postTime = postTime;
      }
      if (args.role) {
        if (args.role.id === ctx.guildId) return replyError(ctx, ctx.strings.errors.everyoneRole);
        patch.roleId = args.role.id;
      }
      if (args['remove-role']) patch.roleId = null;
      if (Object.keys(patch).length === 0) return replyError(ctx, ctx.strings.options.nothingGiven);
      const settings = await ctx.services.settings.update(ctx.guildId, patch, ctx.now);
      const answer = withLanguage(ctx, settings.language ?? ctx.language);
      await answer.reply({
        content: answer.strings.options.done,
        embeds: [renderSettingsEmbed(answer, settings)],
      });
    },
  });
}
