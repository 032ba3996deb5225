import { randomBytes } from 'node:crypto';
import { fillTemplate } from '../../../domain/fill-template.js';
import { formatForumTestTitle } from '../../../domain/forum-post-title.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import { renderTestPost } from '../../../domain/render-post.js';
import { defineSubcommand } from '../../command-definition.js';
import { describeProblems } from '../alert-lines.js';
import { explainReason, replyError } from '../reply-helpers.js';

export const testSubcommand = defineSubcommand({
  name: 'test',
  options: [],
  defer: true,
  async run(ctx) {
    const settings = ctx.settings;
    if (!settings?.channelId) return replyError(ctx, ctx.strings.errors.notConfigured);
    const language = choosePostLanguage(settings, ctx.services.content.locales);
    const payload = renderTestPost(ctx.services.content, language, ctx.now, {
      silent: settings.silent,
    });
    // In a forum, a labelled test post of its own, with the tag the posts will carry.
    const result =
      settings.channelKind === 'forum'
        ? await ctx.services.publisher.startForumPost({
            forumId: settings.channelId,
            title: formatForumTestTitle(ctx.services.content, language),
            payload,
            tagId: settings.forumTagId,
          })
        : await ctx.services.publisher.publish(
            settings.channelId,
            payload,
            randomBytes(12).toString('hex'),
          );
    const channel = `<#${settings.channelId}>`;
    // Everything the settings need, as the checks before each day see it: the result replaces
    // the last check's in status, so a problem the admin has fixed is no longer shown.
    const check = await ctx.services.checks.checkServer(ctx.guildId, { alert: false });
    const problems = describeProblems(ctx, check.kind === 'checked' ? check.result : undefined);
    if (result.ok) {
      // The admin may just have fixed a permission: let refused deliveries try again.
      await ctx.services.settings.update(ctx.guildId, {}, ctx.now);
      await ctx.reply({
        content: [fillTemplate(ctx.strings.test.sent, { channel }), ...problems].join('\n'),
      });
      return;
    }
    await ctx.reply({
      content: [
        fillTemplate(ctx.strings.test.failed, {
          channel,
          reason: explainReason(ctx, result.reason, result.detail),
        }),
        ...problems,
      ].join('\n'),
    });
  },
});
