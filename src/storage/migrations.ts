/**
 * The database schema, as numbered steps. A step is never edited once released: a change is a
 * new step, so that every existing database reaches the same schema. Times are epoch ms.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'guild settings, deliveries and scheduler state',
    sql: `
      CREATE TABLE guild_settings (
        guild_id TEXT PRIMARY KEY,
        channel_id TEXT,
        post_time TEXT NOT NULL DEFAULT '09:00',
        language TEXT,
        disabled_observances TEXT NOT NULL DEFAULT '[]',
        eve_reminder INTEGER NOT NULL DEFAULT 0,
        moment_posts INTEGER NOT NULL DEFAULT 1,
        role_id TEXT,
        silent INTEGER NOT NULL DEFAULT 0,
        active_since INTEGER,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE deliveries (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        moment_id TEXT NOT NULL DEFAULT '',
        year INTEGER NOT NULL,
        status TEXT NOT NULL,
        channel_id TEXT,
        scheduled_at INTEGER NOT NULL,
        closes_at INTEGER NOT NULL,
        nonce TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        late INTEGER NOT NULL DEFAULT 0,
        message_id TEXT,
        reason TEXT,
        detail TEXT,
        settings_version INTEGER,
        claimed_by TEXT,
        claimed_at INTEGER,
        in_doubt_since INTEGER,
        next_attempt_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, observance_id, kind, moment_id, year)
      );
      CREATE INDEX deliveries_by_slot ON deliveries (observance_id, kind, moment_id, year);
      CREATE INDEX deliveries_by_guild ON deliveries (guild_id, updated_at);
      CREATE INDEX deliveries_open ON deliveries (status, closes_at);

      CREATE TABLE scheduler_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
