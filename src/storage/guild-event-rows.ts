import type { StoredEvent } from '../domain/event-plan.js';
import type { EventProblem, EventSyncState } from './guild-event-repository.js';

/** A guild_events row as both stores hold it (times as epoch ms). */
export interface GuildEventRow {
  guild_id: string;
  observance_id: string;
  year: number;
  event_id: string;
  state: string;
  fingerprint: string;
  starts_at: number | string;
  updated_at: number | string;
}

export const GUILD_EVENT_COLUMNS = [
  'guild_id',
  'observance_id',
  'year',
  'event_id',
  'state',
  'fingerprint',
  'starts_at',
  'updated_at',
] as const;

/** A guild_event_syncs row. */
export interface EventSyncRow {
  guild_id: string;
  settings_version: number;
  next_sync_at: number | string | null;
  attempts: number;
  problem: string | null;
  detail: string | null;
  synced_at: number | string;
}

export const EVENT_SYNC_COLUMNS = [
  'guild_id',
  'settings_version',
  'next_sync_at',
  'attempts',
  'problem',
  'detail',
  'synced_at',
] as const;

export function fromGuildEventRow(row: GuildEventRow): StoredEvent {
  return {
    observanceId: row.observance_id,
    year: Number(row.year),
    eventId: row.event_id,
    state: row.state === 'removed' ? 'removed' : 'live',
    fingerprint: row.fingerprint,
    startsAt: new Date(Number(row.starts_at)),
  };
}

export function toGuildEventRow(guildId: string, event: StoredEvent, now: Date): GuildEventRow {
  return {
    guild_id: guildId,
    observance_id: event.observanceId,
    year: event.year,
    event_id: event.eventId,
    state: event.state,
    fingerprint: event.fingerprint,
    starts_at: event.startsAt.getTime(),
    updated_at: now.getTime(),
  };
}

export function fromEventSyncRow(row: EventSyncRow): EventSyncState {
  return {
    guildId: row.guild_id,
    settingsVersion: Number(row.settings_version),
    ...(row.next_sync_at === null ? {} : { nextSyncAt: new Date(Number(row.next_sync_at)) }),
    attempts: Number(row.attempts),
    ...(row.problem === null ? {} : { problem: row.problem as EventProblem }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    syncedAt: new Date(Number(row.synced_at)),
  };
}

export function toEventSyncRow(state: EventSyncState): EventSyncRow {
  return {
    guild_id: state.guildId,
    settings_version: state.settingsVersion,
    next_sync_at: state.nextSyncAt?.getTime() ?? null,
    attempts: state.attempts,
    problem: state.problem ?? null,
    detail: state.detail ?? null,
    synced_at: state.syncedAt.getTime(),
  };
}

/** Servers with events on (and posting), or with events to clean up, whose look is due. */
export const LIST_DUE_EVENT_GUILDS_SQL = (now: string, limit: string) => `
  SELECT s.guild_id FROM guild_settings s
    LEFT JOIN guild_event_syncs y ON y.guild_id = s.guild_id
  WHERE ((s.events = 1 AND s.channel_id IS NOT NULL) OR y.guild_id IS NOT NULL)
    AND (y.guild_id IS NULL OR y.settings_version <> s.version OR y.next_sync_at <= ${now})
  ORDER BY COALESCE(y.next_sync_at, 0), s.guild_id
  LIMIT ${limit}`;
