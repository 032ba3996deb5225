import { EVENT_LEAD_MS, eventKey, listEventSlots } from '../../../domain/event-plan.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import type { EmbedField } from '../../../domain/message-payload.js';
import { toEventSettings } from '../../../scheduler/sync-events.js';
import type { CommandContext } from '../../command-context.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';
import { formatWhen, observanceName } from '../reply-helpers.js';

/**
 * The status field about Discord events: each upcoming day's event (a link), the ones someone
 * deleted and the bot respects, the ones still to be created, and what went wrong last time.
 */
export async function describeEventsField(ctx: CommandContext): Promise<EmbedField> {
  const s = ctx.strings.events;
  const settings = ctx.settings;
  const stored = await ctx.services.events.listForGuild(ctx.guildId);
  const upcoming = stored.filter((row) => row.startsAt.getTime() + 3600_000 > ctx.now.getTime());
  if (!settings?.events && upcoming.length === 0) return { name: s.status, value: s.statusOff };

  const lines: string[] = [];
  const sync = await ctx.services.events.findSync(ctx.guildId);
  if (settings?.events && sync?.problem) {
    const detail = sync.detail ?? '';
    lines.push(
      sync.problem === 'missing-permissions'
        ? fillTemplate(s.missingPermissions, { permissions: ctx.strings.permissions.createEvents })
        : fillTemplate(s[sync.problem], { detail }),
    );
  }
  for (const row of upcoming) {
    const values = {
      name: observanceName(ctx, row.observanceId),
      when: formatWhen(ctx, row.startsAt),
      link: `https://discord.com/events/${ctx.guildId}/${row.eventId}`,
    };
    lines.push(fillTemplate(row.state === 'live' ? s.statusLive : s.statusRemoved, values));
  }
  if (settings) {
    const known = new Set(upcoming.map((row) => eventKey(row.observanceId, row.year)));
    const slots = listEventSlots(
      ctx.services.content.observances,
      toEventSettings(settings, ctx.services.content),
      ctx.now,
    );
    for (const slot of slots) {
      if (known.has(eventKey(slot.observanceId, slot.year))) continue;
      const createdAt = new Date(
        Math.max(slot.startsAt.getTime() - EVENT_LEAD_MS, ctx.now.getTime()),
      );
      lines.push(
        fillTemplate(s.statusNext, {
          name: observanceName(ctx, slot.observanceId),
          when: formatWhen(ctx, slot.startsAt),
          created: formatDiscordTimestamp(createdAt, 'R'),
        }),
      );
    }
  }
  return { name: s.status, value: fitLines(lines.length > 0 ? lines : [s.statusNone]) };
}

/** Discord allows 1,024 characters in a field: whole lines only. */
function fitLines(lines: readonly string[]): string {
  const kept: string[] = [];
  for (const line of lines) {
    if ([...kept, line].join('\n').length > 1024) break;
    kept.push(line);
  }
  return kept.join('\n');
}
