import { formatBakuTime } from '../../../domain/format-post-parts.js';
import type { GuildSettings } from '../../../domain/guild-settings.js';
import { choosePostLanguage } from '../../../domain/guild-settings.js';
import { DEFAULT_POST_TIME } from '../../../domain/post-schedule.js';
import type { CommandContext } from '../../command-context.js';
import { makeEmbed, observanceName } from '../reply-helpers.js';

export function renderSettingsEmbed(ctx: CommandContext, settings: GuildSettings | undefined) {
  const s = ctx.strings.settings;
  const onOff = (value: boolean) => (value ? s.on : s.off);
  const observances = ctx.services.content.observances
    .map(
      (o) =>
        `${settings?.disabledObservances.includes(o.id) ? '✗' : '✓'} ${observanceName(ctx, o.id)}`,
    )
    .join('\n');
  const language =
    ctx.services.content.languages.get(choosePostLanguage(settings, ctx.services.content.locales))
      ?.name ?? 'English';
  const field = (name: string, value: string, inline = true) => ({ name, value, inline });
  return makeEmbed(ctx, s.title, s.hint, [
    field(s.channel, settings?.channelId ? `<#${settings.channelId}>` : s.notSet),
    field(s.time, formatBakuTime(ctx.labels, settings?.postTime ?? DEFAULT_POST_TIME)),
    field(s.language, language),
    field(s.eve, onOff(settings?.eveReminder ?? false)),
    field(s.moments, onOff(settings?.momentPosts ?? true)),
    field(s.silent, onOff(settings?.silent ?? false)),
    field(s.role, settings?.roleId ? `<@&${settings.roleId}>` : s.none),
    field(s.publish, onOff(settings?.publish ?? true)),
    field(s.events, onOff(settings?.events ?? false)),
    field(s.thread, onOff(settings?.thread ?? false)),
    field(s.alerts, settings?.alertsChannelId ? `<#${settings.alertsChannelId}>` : s.alertsDefault),
    field(s.observances, observances, false),
  ]);
}
