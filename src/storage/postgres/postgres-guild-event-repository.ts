import type pg from 'pg';
import type { StoredEvent } from '../../domain/event-plan.js';
import type { EventSyncState, GuildEventRepository } from '../guild-event-repository.js';
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
} from '../guild-event-rows.js';

function upsertSql(table: string, columns: readonly string[], key: readonly string[]): string {
  const updates = columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
    ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates}`;
}

const UPSERT_EVENT = upsertSql('guild_events', GUILD_EVENT_COLUMNS, [
  'guild_id',
  'observance_id',
  'year',
]);
const UPSERT_SYNC = upsertSql('guild_event_syncs', EVENT_SYNC_COLUMNS, ['guild_id']);

/** The bot's scheduled events in Postgres, shared by every bot process. */
export class PostgresGuildEventRepository implements GuildEventRepository {
  constructor(private readonly pool: pg.Pool) {}

  async listDue(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>(
      LIST_DUE_EVENT_GUILDS_SQL('$1', '$2'),
      [now.getTime(), limit],
    );
    return rows.map((row) => row.guild_id);
  }

  async listForGuild(guildId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<GuildEventRow>(
      'SELECT * FROM guild_events WHERE guild_id = $1 ORDER BY starts_at',
      [guildId],
    );
    return rows.map(fromGuildEventRow);
  }

  async saveEvent(guildId: string, event: StoredEvent, now: Date): Promise<void> {
    const row = toGuildEventRow(guildId, event, now);
    await this.pool.query(
      UPSERT_EVENT,
      GUILD_EVENT_COLUMNS.map((column) => row[column]),
    );
  }

  async forget(guildId: string, observanceId: string, year: number): Promise<void> {
    await this.pool.query(
      'DELETE FROM guild_events WHERE guild_id = $1 AND observance_id = $2 AND year = $3',
      [guildId, observanceId, year],
    );
  }

  async forgetRemoved(guildId: string): Promise<number> {
    const result = await this.pool.query(
      "DELETE FROM guild_events WHERE guild_id = $1 AND state = 'removed'",
      [guildId],
    );
    return result.rowCount ?? 0;
  }

  async findSync(guildId: string): Promise<EventSyncState | undefined> {
    const { rows } = await this.pool.query<EventSyncRow>(
      'SELECT * FROM guild_event_syncs WHERE guild_id = $1',
      [guildId],
    );
    return rows[0] && fromEventSyncRow(rows[0]);
  }

  async saveSync(state: EventSyncState): Promise<void> {
    const row = toEventSyncRow(state);
    await this.pool.query(
      UPSERT_SYNC,
      EVENT_SYNC_COLUMNS.map((column) => row[column]),
    );
  }
}
