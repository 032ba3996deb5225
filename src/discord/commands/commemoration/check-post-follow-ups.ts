import { fillTemplate } from '../../../domain/fill-template.js';
import type { GuildSettings } from '../../../domain/guild-settings.js';
import { checkChannelAccess } from '../../check-channel-permissions.js';
import type { CommandContext } from '../../command-context.js';

/**
 * What `/commemoration options publish:true` and `thread:true` need, checked at once in the
 * posts' channel with the new settings: one line per option turned on, saying that it will work
 * or exactly what is missing. The setting is saved either way (the admin said what they want,
 * and may grant the permission next); the line says what to do, and status shows it per post.
 */
export async function describeFollowUpChecks(
  ctx: CommandContext,
  settings: GuildSettings,
  turnedOn: { publish: boolean; thread: boolean },
): Promise<string[]> {
  if (!turnedOn.publish && !turnedOn.thread) return [];
  const p = ctx.strings.publishing;
  if (!settings.channelId) return [p.notSetUp];
  const channel = `<#${settings.channelId}>`;
  const access = await checkChannelAccess(
    ctx.services.rest,
    { guildId: ctx.guildId, botId: ctx.interaction.applicationId },
    settings.channelId,
    settings,
  );
  if (access === 'discord-unavailable' || access === 'not-in-server') {
    return [fillTemplate(p.unchecked, { channel })];
  }
  // The kind as Discord says it now; setup records it, servers set up earlier may lack it.
  if (access.channelKind && access.channelKind !== settings.channelKind) {
    await ctx.services.settings.update(ctx.guildId, { channelKind: access.channelKind }, ctx.now);
  }
  const kind = access.channelKind;
  const missing = (keys: readonly string[]) =>
    access.missing
      .filter((key) => keys.includes(key))
      .map((key) => ctx.strings.permissions[key])
      .join(', ');
  const lines: string[] = [];
  if (turnedOn.publish) {
    // Publishing the bot's own post needs what posting needs: Send Messages (and View Channel).
    const lacking = missing(['viewChannel', 'sendMessages']);
    if (kind !== 'announcement') lines.push(fillTemplate(p.publishNotAnnouncement, { channel }));
    else if (lacking) lines.push(fillTemplate(p.publishMissing, { channel, permissions: lacking }));
    else lines.push(fillTemplate(p.publishOn, { channel }));
  }
  if (turnedOn.thread) {
    const lacking = missing(['viewChannel', 'createPublicThreads']);
    if (kind === 'forum') lines.push(fillTemplate(p.threadForum, { channel }));
    else if (lacking) lines.push(fillTemplate(p.threadMissing, { channel, permissions: lacking }));
    else lines.push(fillTemplate(p.threadOn, { channel }));
  }
  return lines;
}
