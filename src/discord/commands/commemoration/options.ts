import type { LoadedContent } from '../../../content/load-content.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import type { GuildSettingsPatch } from '../../../domain/guild-settings.js';
import { parseLocalTime } from '../../../domain/local-time.js';
import type { CommandContext } from '../../command-context.js';
import { defineSubcommand } from '../../command-definition.js';
import type { PermissionKey } from '../../required-permissions.js';
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
import { describeEventsChange } from './events-change.js';
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
    // Turning events, publishing or threads on, or choosing an alerts channel, reads the bot's
    // permissions from Discord: a few requests, so the answer is deferred.
    defer: (args) =>
      args.publish === true ||
      args.thread === true ||
      args.events === true ||
      args.alerts !== undefined,
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
      // Asking for events again brings back the ones the bot left deleted out of respect.
      if (args.events === true) await ctx.services.events.forgetRemoved(ctx.guildId);
      const settings = await ctx.services.settings.update(ctx.guildId, patch, ctx.now);
      const answer = withLanguage(ctx, settings.language ?? ctx.language);
      const lines = [answer.strings.options.done];
      if (args.events !== undefined) lines.push(await describeEventsChange(answer, settings));
      if (args.alerts) lines.push(await checkAlertsChannel(answer, args.alerts.id));
      lines.push(
        ...(await describeFollowUpChecks(answer, settings, {
          publish: args.publish === true,
          thread: args.thread === true,
        })),
      );
      await answer.reply({
        content: lines.join('\n'),
        embeds: [renderSettingsEmbed(answer, settings)],
      });
    },
  });
}

/** Whether alerts can be posted in the channel just chosen, and if not, what is missing. */
async function checkAlertsChannel(ctx: CommandContext, channelId: string): Promise<string> {
  const w = ctx.strings.alerts;
  const channel = `<#${channelId}>`;
  const access = await ctx.services.checks.inspectAlertChannel(ctx.guildId, channelId);
  if (access === 'ok') return fillTemplate(w.optionsReady, { channel });
  if (access.kind === 'unavailable') return fillTemplate(w.optionsUnavailable, { channel });
  if (access.kind === 'gone') return ctx.strings.errors.wrongChannelType;
  return fillTemplate(w.optionsMissing, {
    channel,
    permissions: access.permissions
      .map((key) => ctx.strings.permissions[key as PermissionKey])
      .join(', '),
  });
}
