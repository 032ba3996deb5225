import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { LoadedContent } from '../../../content/load-content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatBakuTime } from '../../../domain/format-post-parts.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import { parseLocalTime } from '../../../domain/local-time.js';
import { type ChannelAccess, checkChannelAccess } from '../../check-channel-permissions.js';
import { chooseForumTag } from '../../choose-forum-tag.js';
import type { CommandContext } from '../../command-context.js';
import { defineSubcommand, type OptionDefinition } from '../../command-definition.js';
import { findMissing } from '../../required-permissions.js';
import { describeProblems } from '../alert-lines.js';
import { withLanguage } from '../language-context.js';
import { listUpcomingPosts } from '../list-upcoming-posts.js';
import { describeUpcomingPost, replyError } from '../reply-helpers.js';
import { channelOption, languageOption, roleOption, timeOption } from '../shared-options.js';

/** In a forum: the name of the tag each post carries (Discord allows 20 characters). */
const tagOption = {
  type: ApplicationCommandOptionType.String,
  name: 'tag',
  max_length: 20,
} as const satisfies OptionDefinition;

export function createSetupSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'setup',
    options: [channelOption, timeOption, languageOption(content), roleOption, tagOption],
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
      if (args.tag !== undefined && access.channelKind !== 'forum') {
        return replyError(
          ctx,
          fillTemplate(ctx.strings.forum.notAForum, { channel: `<#${args.channel.id}>` }),
        );
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

      const tag = chooseTag(ctx, access, args.channel.id, args.tag);
      if (typeof tag === 'string') return replyError(ctx, tag);

      const settings = await ctx.services.settings.update(
        ctx.guildId,
        {
          channelId: args.channel.id,
          ...(access.channelKind ? { channelKind: access.channelKind } : {}),
          ...(access.channelKind === 'forum' ? { forumTagId: tag?.id ?? null } : {}),
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
      if (access.channelKind === 'forum') {
        const f = answer.strings.forum;
        lines.splice(1, 0, fillTemplate(f.done, { channel: `<#${args.channel.id}>` }));
        if (tag) lines.splice(2, 0, fillTemplate(f.tagged, { tag: tag.name }));
      }
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

/**
 * The tag forum posts will carry, or the reason setup cannot go on. A forum that requires a tag
 * refuses every post without one (40067), so setup asks the admin to name one rather than
 * guessing among the forum's tags: a "Question" or "Bug" tag on a day of remembrance would be
 * worse than no post. A tag only moderators may apply needs Manage Threads.
 */
function chooseTag(
  ctx: CommandContext,
  access: ChannelAccess,
  channelId: string,
  name: string | undefined,
): { id: string; name: string } | undefined | string {
  if (access.channelKind !== 'forum' || !access.forum) return undefined;
  const f = ctx.strings.forum;
  const channel = `<#${channelId}>`;
  const tags = access.forum.tags.map((t) => `“${t.name}”`).join(', ') || f.noTags;
  const kept = ctx.settings?.channelId === channelId ? ctx.settings.forumTagId : undefined;
  const choice = chooseForumTag(access.forum, name, kept);
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'unknown':
      return fillTemplate(f.unknownTag, { channel, tag: choice.name, tags });
    case 'required':
      return access.forum.tags.length === 0
        ? fillTemplate(f.tagRequiredNoTags, { channel })
        : fillTemplate(f.tagRequired, { channel, tags });
    case 'tag':
      if (choice.tag.moderated && findMissing(access.permissions, ['manageThreads']).length > 0) {
        return fillTemplate(f.moderatedTag, {
          channel,
          tag: choice.tag.name,
          permission: ctx.strings.permissions.manageThreads,
        });
      }
      return choice.tag;
  }
}
