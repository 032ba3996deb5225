import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { LoadedContent } from '../content/load-content.js';
import {
  type EventAction,
  type EventSettings,
  type EventSlot,
  eventKey,
  findNextEventSync,
  listEventSlots,
  planEventSync,
  type StoredEvent,
} from '../domain/event-plan.js';
import { choosePostLanguage, type GuildSettings } from '../domain/guild-settings.js';
import { type EventPayload, renderEvent } from '../domain/render-event.js';
import type {
  EventProblem,
  EventSyncState,
  GuildEventRepository,
} from '../storage/guild-event-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import type { EventsFailureKind, ScheduledEventsApi } from './scheduled-events-api.js';

export interface EventSyncDeps {
  content: LoadedContent;
  settings: GuildSettingsRepository;
  events: GuildEventRepository;
  api: ScheduledEventsApi;
  logger: Logger;
}

/** How the dispatcher lends its pacing and its role to a round of syncs. */
export interface SyncTurn {
  /** Resolves when `requests` more requests may start, under Discord's global limit. */
  pace(requests: number): Promise<void>;
  /** Whether this process is still the dispatcher, asked before each server. */
  confirmDispatcher(): Promise<boolean>;
  /**
   * The dispatcher term's: once aborted, no further server is started. It is not handed to the
   * REST client, which would keep a listener on it per request.
   */
  signal?: AbortSignal;
}

/**
 * Servers looked at per tick. Each look is a list and usually one write; when the 14-day window
 * opens for 10,000 servers at once, they are spread over the following ticks instead of one burst.
 */
export const EVENT_SYNC_BATCH = 200;

/** A Discord error or a lost connection: tried again after 5 minutes, doubling up to 6 hours. */
const TRANSIENT_RETRY_MS = 5 * 60_000;
const MAX_TRANSIENT_RETRY_MS = 6 * 3600_000;
/** What only an admin can fix (a permission, 100 events): tried again daily, and on any change. */
const PERMANENT_RETRY_MS = 24 * 3600_000;

/**
 * Keeps each server's Discord scheduled events in line with its settings, one server at a time.
 * Only the dispatcher runs it, from the tick; the database says which servers are due.
 */
export class EventSyncer {
  private running = false;

  constructor(private readonly deps: EventSyncDeps) {}

  /** Looks at the servers that are due; returns how many. A round still running is not doubled. */
  async syncDue(now: Date, turn: SyncTurn): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      let synced = 0;
      for (const guildId of await this.deps.events.listDue(now, EVENT_SYNC_BATCH)) {
        if (turn.signal?.aborted || !(await turn.confirmDispatcher())) break;
        await this.syncGuild(guildId, now, turn).catch((error: unknown) => {
          this.deps.logger.error({ err: error, guildId }, 'could not sync the scheduled events');
        });
        synced += 1;
      }
      return synced;
    } finally {
      this.running = false;
    }
  }

  /** One server: list the bot's events in Discord, work out what to do, do it, and record it. */
  async syncGuild(guildId: string, now: Date, turn: SyncTurn): Promise<void> {
    const { events, api, content, logger } = this.deps;
    const settings = await this.deps.settings.find(guildId);
    if (!settings) return;
    const slots = listEventSlots(content.observances, toEventSettings(settings, content), now);
    const stored = await events.listForGuild(guildId);
    const previous = await events.findSync(guildId);

    await turn.pace(1);
    const listed = await api.listOwn(guildId);
    if (!listed.ok) {
      await this.record(settings, slots, now, previous, listed);
      return;
    }
    const payloads = new Map<string, { payload: EventPayload; fingerprint: string }>();
    for (const slot of slots) {
      const payload = this.render(settings, slot);
      payloads.set(eventKey(slot.observanceId, slot.year), {
        payload,
        fingerprint: fingerprintOf(payload),
      });
    }
    const actions = planEventSync({
      observances: content.observances,
      slots,
      fingerprints: new Map([...payloads].map(([key, p]) => [key, p.fingerprint])),
      stored,
      listed: listed.value,
      now,
    });
    let failure: { kind: EventsFailureKind; detail: string } | undefined;
    for (const action of actions) {
      const failed = await this.apply(guildId, action, stored, payloads, now, turn);
      if (!failed) continue;
      failure ??= failed;
      // Without the permission, or with Discord failing, the rest would fail the same way.
      if (failed.kind === 'missing-permissions' || failed.kind === 'transient') break;
    }
    await this.record(settings, slots, now, previous, failure && { ok: false, ...failure });
    if (actions.length > 0) {
      logger.info(
        { guildId, actions: actions.map((a) => a.kind), ...(failure ? { failure } : {}) },
        'scheduled events synced',
      );
    }
  }

  private async apply(
    guildId: string,
    action: EventAction,
    stored: readonly StoredEvent[],
    payloads: ReadonlyMap<string, { payload: EventPayload; fingerprint: string }>,
    now: Date,
    turn: SyncTurn,
  ): Promise<{ kind: EventsFailureKind; detail: string } | undefined> {
    const { events, api } = this.deps;
    switch (action.kind) {
      case 'create':
      case 'update': {
        const { slot } = action;
        const wanted = payloads.get(eventKey(slot.observanceId, slot.year));
        if (!wanted) return undefined;
        let eventId: string;
        if (action.kind === 'create') {
          await turn.pace(1);
          const created = await api.create(guildId, wanted.payload);
          if (!created.ok) return created;
          eventId = created.value.eventId;
        } else {
          eventId = action.eventId;
          if (action.patch) {
            await turn.pace(1);
            const updated = await api.update(guildId, eventId, wanted.payload);
            if (!updated.ok && updated.kind === 'unknown-event') {
              await this.saveRemoved(guildId, slot, eventId, wanted.fingerprint, now);
              return undefined;
            }
            if (!updated.ok) return updated;
          }
        }
        await events.saveEvent(
          guildId,
          {
            observanceId: slot.observanceId,
            year: slot.year,
            eventId,
            state: 'live',
            fingerprint: wanted.fingerprint,
            startsAt: slot.startsAt,
          },
          now,
        );
        return undefined;
      }
      case 'delete': {
        await turn.pace(1);
        const removed = await api.remove(guildId, action.eventId);
        if (!removed.ok && removed.kind !== 'unknown-event') return removed;
        return undefined;
      }
      case 'mark-removed': {
        const row = stored.find(
          (r) => r.observanceId === action.observanceId && r.year === action.year,
        );
        if (row) await events.saveEvent(guildId, { ...row, state: 'removed' }, now);
        this.deps.logger.info(
          { guildId, observanceId: action.observanceId, year: action.year },
          'someone deleted the scheduled event in Discord; not recreating it',
        );
        return undefined;
      }
      case 'forget':
        await events.forget(guildId, action.observanceId, action.year);
        return undefined;
    }
  }

  private async saveRemoved(
    guildId: string,
    slot: EventSlot,
    eventId: string,
    fingerprint: string,
    now: Date,
  ): Promise<void> {
    await this.deps.events.saveEvent(
      guildId,
      {
        observanceId: slot.observanceId,
        year: slot.year,
        eventId,
        state: 'removed',
        fingerprint,
        startsAt: slot.startsAt,
      },
      now,
    );
  }

  /** The server's look is done for this settings version: when to look again, and any problem. */
  private async record(
    settings: GuildSettings,
    slots: readonly EventSlot[],
    now: Date,
    previous: EventSyncState | undefined,
    failure: { ok: false; kind: EventsFailureKind; detail: string } | undefined,
  ): Promise<void> {
    const { events, logger } = this.deps;
    const after = await events.listForGuild(settings.guildId);
    const ahead = after.some((r) => r.state === 'live' && r.startsAt.getTime() > now.getTime());
    const natural = findNextEventSync(slots, now, ahead);
    const problem = failure ? toProblem(failure.kind) : undefined;
    const attempts = failure ? (previous?.attempts ?? 0) + 1 : 0;
    let nextSyncAt = natural;
    // The bot left the server: nothing to do there until its settings change again.
    if (failure?.kind === 'unknown-guild') nextSyncAt = undefined;
    else if (problem) {
      const delay =
        problem === 'transient'
          ? Math.min(TRANSIENT_RETRY_MS * 2 ** (attempts - 1), MAX_TRANSIENT_RETRY_MS)
          : PERMANENT_RETRY_MS;
      const retryAt = now.getTime() + delay;
      nextSyncAt = new Date(Math.min(retryAt, natural?.getTime() ?? retryAt));
      logger.warn(
        { guildId: settings.guildId, problem, detail: failure?.detail, retryAt: nextSyncAt },
        'could not sync the scheduled events',
      );
    }
    await events.saveSync({
      guildId: settings.guildId,
      settingsVersion: settings.version,
      ...(nextSyncAt ? { nextSyncAt } : {}),
      attempts,
      ...(problem ? { problem } : {}),
      ...(failure ? { detail: failure.detail } : {}),
      syncedAt: now,
    });
  }

  private render(settings: GuildSettings, slot: EventSlot): EventPayload {
    const { content } = this.deps;
    const locale = choosePostLanguage(settings, content.locales);
    const words = (content.languages.get(locale) ?? content.languages.get('en'))?.bot.events;
    if (!words) throw new Error(`No event words for "${locale}".`);
    return renderEvent(content, words, slot, locale, settings.channelId ?? '');
  }
}

export function toEventSettings(
  settings: GuildSettings,
  content: Pick<LoadedContent, 'observances'>,
): EventSettings {
  return {
    events: settings.events,
    posting: settings.channelId !== undefined,
    postTime: settings.postTime,
    enabledObservances: new Set(
      content.observances
        .map((o) => o.id)
        .filter((id) => !settings.disabledObservances.includes(id)),
    ),
  };
}

function toProblem(kind: EventsFailureKind): EventProblem {
  switch (kind) {
    case 'missing-permissions':
      return 'missing-permissions';
    case 'limit':
      return 'limit';
    case 'transient':
      return 'transient';
    default:
      // 'unknown-guild' (the bot left; its settings follow) and 'rejected' (a bug) alike.
      return 'rejected';
  }
}

/** Of what the bot sends: a change in any of it (text, time, language, channel) means a PATCH. */
function fingerprintOf(payload: EventPayload): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        payload.name,
        payload.description,
        payload.location,
        payload.startsAt.toISOString(),
        payload.endsAt.toISOString(),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}
