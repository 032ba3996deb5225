import type { LoadedContent } from '../../../content/load-content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatBakuTime } from '../../../domain/format-post-parts.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import { parseLocalTime } from '../../../domain/local-time.js';
import { checkChannelAccess } from '../../check-channel-permissions.js';
import { defineSubcommand } from '../../command-definition.js';
import { describeProblems } from '../alert-lines.js';
import { withLanguage } from '../language-context.js';
import { listUpcomingPosts } from '../list-upcoming-posts.js';
import { describeUpcomingPost, replyError } from '../reply-helpers.js';
import { channelOption, languageOption, roleOption, timeOption } from '../shared-options.js';

export function createSetupSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'setup',
    options: [channelOption, timeOption, languageOption(content), roleOption],
    // Reading the bot's permissions takes a few requests to Discord.
    defer: true,
    async run(ctx, args) {
      const postTime = args.time === undefined ? undefined : parseLocalTime(args.time);
      if (args.time !== undefined && !postTime)
        return replyError(ctx, ctx.strings.errors.invalidTime);
      if (args.role && args.role.id === ctx.guildId)
        return replyError(ctx, ctx.strings.errors.everyoneRole);

      // A bot's user id is its application's id.
      const access = await checkChannelAccess(
        ctx.services.rest,
        { guildId: ctx.guildId, botId: ctx.interaction.applicationId },
        args.channel.id,
      );
      if (access === 'not-in-server') return replyError(ctx, ctx.strings.errors.wrongChannelType);
      if (access === 'discord-unavailable') {
        return replyError(ctx, ctx.strings.errors.discordUnavailable);
      }
      if (access.missing.length > 0) {
        return replyError(
          ctx,
          fillTemplate(ctx.strings.errors.missingPermissions, {
            channel: `<#${args.channel.id}>`,
            permissions: access.missing.map((key) => ctx.strings.permissions[key]).join(', '),
          }),
        );
      }

      const settings = await ctx.services.settings.update(
        ctx.guildId,
        {
          channelId: args.channel.id,
          ...(access.channelKind ? { channelKind: access.channelKind } : {}),
          ...(postTime ? { postTime } : {}),
          ...(args.language ? { language: args.language } : {}),
          ...(args.role ? { roleId: args.role.id } : {}),
        },
        ctx.now,
      );
      const answer = withLanguage(ctx, settings.language ?? ctx.language);
      const s = answer.strings.setup;
      const [next] = listUpcomingPosts(ctx.services.content, settings, ctx.now, 1);
      const lines = [
        fillTemplate(s.done, {
          channel: `<#${args.channel.id}>`,
          time: formatBakuTime(answer.labels, settings.postTime),
          language:
            ctx.services.content.languages.get(
              choosePostLanguage(settings, ctx.services.content.locales),
            )?.name ?? 'English',
        }),
        settings.roleId ? fillTemplate(s.role, { role: `<@&${settings.roleId}>` }) : s.noRole,
        next ? fillTemplate(s.next, { post: describeUpcomingPost(answer, next) }) : s.nothingNext,
      ];
      if (args.role && !args.role.mentionable && !access.canMentionAnyRole) {
        lines.push(fillTemplate(s.roleNotMentionable, { role: `<@&${args.role.id}>` }));
      }
      // The whole check the days ahead will make (server-wide needs too), replacing the last one.
      const check = await ctx.services.checks.checkServer(ctx.guildId, { alert: false });
      lines.push(...describeProblems(answer, check.kind === 'checked' ? check.result : undefined));
      await answer.reply({ content: lines.join('\n') });
    },
  });
}
