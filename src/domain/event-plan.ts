import { atBakuTime, toBakuDate } from './baku-calendar.js';
import type { LocalTime } from './local-time.js';
import type { Observance } from './observance.js';

// Which Discord scheduled events a server should have, and what to do to get there: pure
// functions of the settings, the bot's own records and what Discord lists, at `now`.

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** A day's event is created this long before it starts. */
export const EVENT_LEAD_MS = 14 * DAY_MS;
export const EVENT_DURATION_MS = HOUR_MS;
/**
 * Discord refuses a start in the past, and a request takes time: an event that would start
 * sooner than this is not created.
 */
export const EVENT_START_MARGIN_MS = 60_000;
/** While a server has events ahead, the bot looks at them this often (a moderator may delete one). */
export const EVENT_RECHECK_MS = DAY_MS;

/** One observance's event in one year. */
export interface EventSlot {
  observanceId: string;
  year: number;
  startsAt: Date;
  endsAt: Date;
}

/** The settings that decide a server's events. */
export interface EventSettings {
  events: boolean;
  /** Whether the server has a posts' channel: with posting stopped, there are no events. */
  posting: boolean;
  postTime: LocalTime;
  enabledObservances: ReadonlySet<string>;
}

/**
 * When a day's event starts: at the day's first moment (20 January's minute of silence at
 * 12:00), or, for a day without one, at the server's post time; Baku time either way.
 */
export function findEventStart(observance: Observance, year: number, postTime: LocalTime): Date {
  const moment = observance.moments[0];
  const date = { year, month: observance.month, day: observance.day };
  return atBakuTime(date, moment ? { hour: moment.hour, minute: moment.minute } : postTime);
}

export function eventSlot(observance: Observance, year: number, postTime: LocalTime): EventSlot {
  const startsAt = findEventStart(observance, year, postTime);
  return {
    observanceId: observance.id,
    year,
    startsAt,
    endsAt: new Date(startsAt.getTime() + EVENT_DURATION_MS),
  };
}

/**
 * The event each observance that is on should have at `now`: this year's until it has ended,
 * then next year's. None when events are off or the server does not post.
 */
export function listEventSlots(
  observances: readonly Observance[],
  settings: EventSettings,
  now: Date,
): EventSlot[] {
  if (!settings.events || !settings.posting) return [];
  const { year } = toBakuDate(now);
  return observances
    .filter((o) => settings.enabledObservances.has(o.id))
    .map((o) => {
      const thisYear = eventSlot(o, year, settings.postTime);
      return now.getTime() < thisYear.endsAt.getTime()
        ? thisYear
        : eventSlot(o, year + 1, settings.postTime);
    })
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** Whether the event should exist in Discord now: within 14 days, and still far enough ahead. */
export function isInCreationWindow(slot: Pick<EventSlot, 'startsAt'>, now: Date): boolean {
  const ahead = slot.startsAt.getTime() - now.getTime();
  return ahead > EVENT_START_MARGIN_MS && ahead <= EVENT_LEAD_MS;
}

/**
 * The observance and year an event of the bot's is for: the Baku date it starts on. Each
 * observance has its own date, and the bot makes no other events.
 */
export function identifyEventDay(
  observances: readonly Observance[],
  startsAt: Date,
): { observanceId: string; year: number } | undefined {
  const date = toBakuDate(startsAt);
  const observance = observances.find((o) => o.month === date.month && o.day === date.day);
  return observance && { observanceId: observance.id, year: date.year };
}

/** Discord's statuses, by name. */
export type DiscordEventStatus = 'scheduled' | 'active' | 'completed' | 'canceled';

/** An event of the bot's (creator_id = the bot) as Discord lists it. */
export interface ListedEvent {
  id: string;
  startsAt: Date;
  status: DiscordEventStatus;
}

/** What the bot recorded about one day's event in one server. */
export interface StoredEvent {
  observanceId: string;
  year: number;
  eventId: string;
  /** 'removed': someone deleted or cancelled it in Discord, and the bot respects that. */
  state: 'live' | 'removed';
  /** Of the event as the bot last wrote it: a different one means it must be updated. */
  fingerprint: string;
  startsAt: Date;
}

export type EventAction =
  /** Create it in Discord, then record its id. */
  | { kind: 'create'; slot: EventSlot }
  /**
   * Bring it up to date in Discord (`patch`), then record it: an event the bot recorded whose
   * text or time changed, or one of its own it finds unrecorded (created just before a crash).
   */
  | { kind: 'update'; slot: EventSlot; eventId: string; patch: boolean }
  /** Delete the bot's event in Discord: not wanted any more, or a duplicate. */
  | { kind: 'delete'; eventId: string }
  /** Someone else deleted or cancelled the event: record that, and do not recreate it. */
  | { kind: 'mark-removed'; observanceId: string; year: number }
  /** Drop the record: the day has passed, or events for it are off. */
  | { kind: 'forget'; observanceId: string; year: number };

export interface EventSyncInput {
  observances: readonly Observance[];
  /** From `listEventSlots`: the days that should have an event, in or out of the window. */
  slots: readonly EventSlot[];
  /** The fingerprint each slot's event should have, by `eventKey`. */
  fingerprints: ReadonlyMap<string, string>;
  stored: readonly StoredEvent[];
  /** The bot's own events in the server, as Discord lists them. */
  listed: readonly ListedEvent[];
  now: Date;
}

export function eventKey(observanceId: string, year: number): string {
  return `${observanceId}/${year}`;
}

const RUNNING: ReadonlySet<DiscordEventStatus> = new Set(['scheduled', 'active']);

/** What to do in one server so that its events match its settings. */
export function planEventSync(input: EventSyncInput): EventAction[] {
  const { observances, slots, fingerprints, stored, listed, now } = input;
  const actions: EventAction[] = [];
  const handled = new Set<string>();
  const listedByKey = new Map<string, ListedEvent[]>();
  for (const event of [...listed].sort(compareIds)) {
    const day = identifyEventDay(observances, event.startsAt);
    if (!day) continue;
    const key = eventKey(day.observanceId, day.year);
    listedByKey.set(key, [...(listedByKey.get(key) ?? []), event]);
  }
  const storedByKey = new Map(stored.map((row) => [eventKey(row.observanceId, row.year), row]));

  for (const slot of slots) {
    const key = eventKey(slot.observanceId, slot.year);
    handled.add(key);
    const row = storedByKey.get(key);
    const candidates = (listedByKey.get(key) ?? []).filter((e) => RUNNING.has(e.status));
    const wanted = isInCreationWindow(slot, now);
    if (row?.state === 'removed') continue;
    let kept: ListedEvent | undefined;
    if (row) {
      const found = (listedByKey.get(key) ?? []).find((e) => e.id === row.eventId);
      const gone = !found || found.status === 'canceled';
      if (gone && now.getTime() < row.startsAt.getTime()) {
        actions.push({ kind: 'mark-removed', observanceId: slot.observanceId, year: slot.year });
        continue;
      }
      kept = found && RUNNING.has(found.status) ? found : undefined;
      if (kept?.status === 'scheduled' && wanted && row.fingerprint !== fingerprints.get(key)) {
        actions.push({ kind: 'update', slot, eventId: kept.id, patch: true });
      }
    } else {
      kept = candidates[0];
      if (kept) {
        // Created before a crash could record it: adopt it rather than make a second one.
        const patch = kept.status === 'scheduled' && wanted;
        actions.push({ kind: 'update', slot, eventId: kept.id, patch });
      } else if (wanted) {
        actions.push({ kind: 'create', slot });
      }
    }
    for (const extra of candidates) {
      if (extra.id !== kept?.id && extra.status === 'scheduled') {
        actions.push({ kind: 'delete', eventId: extra.id });
      }
    }
  }

  const slotObservances = new Set(slots.map((s) => s.observanceId));
  for (const row of stored) {
    const key = eventKey(row.observanceId, row.year);
    if (handled.has(key)) continue;
    // Events for this day are off (or posting stopped): delete it unless it is over.
    if (!slotObservances.has(row.observanceId) && row.state === 'live') {
      const found = (listedByKey.get(key) ?? []).find((e) => e.id === row.eventId);
      if (found && RUNNING.has(found.status)) actions.push({ kind: 'delete', eventId: found.id });
    }
    actions.push({ kind: 'forget', observanceId: row.observanceId, year: row.year });
  }
  const recorded = new Set(stored.map((row) => row.eventId));
  for (const [key, events] of listedByKey) {
    if (handled.has(key)) continue;
    const observanceId = key.slice(0, key.lastIndexOf('/'));
    if (slotObservances.has(observanceId)) continue;
    // Unrecorded events of the bot's for a day whose events are off: left by a crash.
    for (const event of events) {
      if (!recorded.has(event.id) && RUNNING.has(event.status)) {
        actions.push({ kind: 'delete', eventId: event.id });
      }
    }
  }
  return actions;
}

/**
 * When the server needs looking at again, if nothing changes: the next opening of a day's
 * window, or, while an event is ahead, a day from now (to notice one a moderator deleted).
 */
export function findNextEventSync(
  slots: readonly EventSlot[],
  now: Date,
  hasEventsAhead: boolean,
): Date | undefined {
  const times = slots
    .map((slot) => slot.startsAt.getTime() - EVENT_LEAD_MS)
    .filter((at) => at > now.getTime());
  if (hasEventsAhead) times.push(now.getTime() + EVENT_RECHECK_MS);
  return times.length === 0 ? undefined : new Date(Math.min(...times));
}

function compareIds(a: ListedEvent, b: ListedEvent): number {
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}
