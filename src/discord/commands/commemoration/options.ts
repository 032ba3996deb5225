import type { LoadedContent } from '../../../content/load-content.js';
import type { GuildSettingsPatch } from '../../../domain/guild-settings.js';
import { parseLocalTime } from '../../../domain/local-time.js';
import { defineSubcommand } from '../../command-definition.js';
import { withLanguage } from '../language-context.js';
import { replyError } from '../reply-helpers.js';
import {
  alertsChannelOption,
  booleanOption,
  languageOption,
  roleOption,
  timeOption,
} from '../shared-options.js';
import { describeFollowUpChecks } from './check-post-follow-ups.js';
import { renderSettingsEmbed } from './settings-embed.js';

export function createOptionsSubcommand(content: LoadedContent) {
  return defineSubcommand({
    name: 'options',
    options: [
      booleanOption('eve'),
      booleanOption('moments'),
      booleanOption('silent'),
      timeOption,
      languageOption(content),
      roleOption,
      booleanOption('remove-role'),
      booleanOption('publish'),
      booleanOption('events'),
      booleanOption('thread'),
      alertsChannelOption,
      booleanOption('remove-alerts'),
    ],
    // Turning publishing or threads on reads the bot's permissions: a few requests to Discord.
    defer: (args) => args.publish === true || args.thread === true,
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
      if (args.publish !== undefined) patch.publish = args.publish;
      if (args.events !== undefined) patch.events = args.events;
      if (args.thread !== undefined) patch.thread = args.thread;
      if (args.alerts) patch.alertsChannelId = args.alerts.id;
      if (args['remove-alerts']) patch.alertsChannelId = null;
      if (Object.keys(patch).length === 0) return replyError(ctx, ctx.strings.options.nothingGiven);
      const settings = await ctx.services.settings.update(ctx.guildId, patch, ctx.now);
      const answer = withLanguage(ctx, settings.language ?? ctx.language);
      const checks = await describeFollowUpChecks(answer, settings, {
        publish: args.publish === true,
        thread: args.thread === true,
      });
      await answer.reply({
        content: [answer.strings.options.done, ...checks].join('\n'),
        embeds: [renderSettingsEmbed(answer, settings)],
      });
    },
  });
}
