import type { StoredEvent } from '../domain/event-plan.js';
import type { EventSyncState, GuildEventRepository } from './guild-event-repository.js';
import {
  EVENT_SYNC_COLUMNS,
  type EventSyncRow,
  fromEventSyncRow,
  fromGuildEventRow,
  GUILD_EVENT_COLUMNS,
  type GuildEventRow,
  LIST_DUE_EVENT_GUILDS_SQL,
  toEventSyncRow,
  toGuildEventRow,
} from './guild-event-rows.js';
import type { Db } from './open-database.js';

function upsertSql(table: string, columns: readonly string[], key: readonly string[]): string {
  const updates = columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates}`;
}

export class SqliteGuildEventRepository implements GuildEventRepository {
  private readonly selectDue;
  private readonly selectForGuild;
  private readonly upsertEvent;
  private readonly deleteEvent;
  private readonly deleteRemoved;
  private readonly selectSync;
  private readonly upsertSync;

  constructor(db: Db) {
    this.selectDue = db
      .prepare<[number, number], string>(LIST_DUE_EVENT_GUILDS_SQL('?', '?'))
      .pluck();
    this.selectForGuild = db.prepare<[string], GuildEventRow>(
      'SELECT * FROM guild_events WHERE guild_id = ? ORDER BY starts_at',
    );
    this.upsertEvent = db.prepare<GuildEventRow>(
      upsertSql('guild_events', GUILD_EVENT_COLUMNS, ['guild_id', 'observance_id', 'year']),
    );
    this.deleteEvent = db.prepare<[string, string, number]>(
      'DELETE FROM guild_events WHERE guild_id = ? AND observance_id = ? AND year = ?',
    );
    this.deleteRemoved = db.prepare<[string]>(
      "DELETE FROM guild_events WHERE guild_id = ? AND state = 'removed'",
    );
    this.selectSync = db.prepare<[string], EventSyncRow>(
      'SELECT * FROM guild_event_syncs WHERE guild_id = ?',
    );
    this.upsertSync = db.prepare<EventSyncRow>(
      upsertSql('guild_event_syncs', EVENT_SYNC_COLUMNS, ['guild_id']),
    );
  }

  async listDue(now: Date, limit: number): Promise<string[]> {
    return this.selectDue.all(now.getTime(), limit);
  }

  async listForGuild(guildId: string): Promise<StoredEvent[]> {
    return this.selectForGuild.all(guildId).map(fromGuildEventRow);
  }

  async saveEvent(guildId: string, event: StoredEvent, now: Date): Promise<void> {
    this.upsertEvent.run(toGuildEventRow(guildId, event, now));
  }

  async forget(guildId: string, observanceId: string, year: number): Promise<void> {
    this.deleteEvent.run(guildId, observanceId, year);
  }

  async forgetRemoved(guildId: string): Promise<number> {
    return this.deleteRemoved.run(guildId).changes;
  }

  async findSync(guildId: string): Promise<EventSyncState | undefined> {
    const row = this.selectSync.get(guildId);
    return row && fromEventSyncRow(row);
  }

  async saveSync(state: EventSyncState): Promise<void> {
    this.upsertSync.run(toEventSyncRow(state));
  }
}
