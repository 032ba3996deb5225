import type { StoredEvent } from '../domain/event-plan.js';

/** Why the last look at a server's events did not finish, for `/commemoration status`. */
export type EventProblem = 'missing-permissions' | 'limit' | 'rejected' | 'transient';

/** Where a server's events stand: the queue of due work, one row per server. */
export interface EventSyncState {
  guildId: string;
  /** The settings version the events were last brought in line with. */
  settingsVersion: number;
  /** When to look again although the settings did not change; none: only when they do. */
  nextSyncAt?: Date;
  /** Failed looks in a row, for the retry delay. */
  attempts: number;
  problem?: EventProblem;
  /** Discord's code and message for the problem. */
  detail?: string;
  syncedAt: Date;
}

/**
 * The bot's Discord scheduled events: one row per server and day with the event's id (so that a
 * restart never creates a second one), and one row per server saying when to look again. Like
 * deliveries, the database is the queue: a server is due when its settings changed since its
 * last look or its next look has come. Implemented for SQLite and Postgres.
 */
export interface GuildEventRepository {
  /** Servers whose events need a look at `now`, the most overdue first. */
  listDue(now: Date, limit: number): Promise<string[]>;
  listForGuild(guildId: string): Promise<StoredEvent[]>;
  /** Records (or replaces) one day's event. */
  saveEvent(guildId: string, event: StoredEvent, now: Date): Promise<void>;
  /** Drops one day's record. */
  forget(guildId: string, observanceId: string, year: number): Promise<void>;
  /** The admin asked for the events again: forget the deletions the bot was respecting. */
  forgetRemoved(guildId: string): Promise<number>;
  findSync(guildId: string): Promise<EventSyncState | undefined>;
  saveSync(state: EventSyncState): Promise<void>;
}
