import { fillTemplate } from '../../../domain/fill-template.js';
import type { GuildSettings } from '../../../domain/guild-settings.js';
import { checkServerAccess } from '../../check-server-permissions.js';
import type { CommandContext } from '../../command-context.js';

/**
 * What turning events on or off means for this server, in the admin's language. Turning them on
 * checks Create Events at once and names what is missing; the setting is saved either way (the
 * admin's intent stands, the bot retries daily, and status and the alerts keep saying what is
 * missing until it is given).
 */
export async function describeEventsChange(
  ctx: CommandContext,
  settings: GuildSettings,
): Promise<string> {
  const s = ctx.strings.events;
  if (!settings.events) return s.off;
  if (!settings.channelId) return s.noChannel;
  // A bot's user id is its application's id.
  const access = await checkServerAccess(
    ctx.services.rest,
    { guildId: ctx.guildId, botId: ctx.interaction.applicationId },
    settings,
  );
  if (access === 'discord-unavailable') return s.unchecked;
  if (access.missing.length === 0) return s.on;
  return fillTemplate(s.missing, {
    permissions: access.missing.map((key) => ctx.strings.permissions[key]).join(', '),
  });
}
