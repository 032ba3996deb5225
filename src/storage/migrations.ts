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
  {
    version: 2,
    name: 'deliveries as the queue: planned rows, the in-doubt and deleted states, CHECK constraints',
    // SQLite cannot add a CHECK to an existing table: the table is rebuilt. Old retries whose send
    // may have reached Discord become "in-doubt", the state that now says exactly that.
    sql: `
      CREATE TABLE deliveries_v2 (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('eve', 'day', 'moment')),
        moment_id TEXT NOT NULL DEFAULT '',
        year INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'retry', 'in-doubt', 'failed',
          'sent', 'deleted', 'missed', 'unconfirmed')),
        channel_id TEXT,
        scheduled_at INTEGER NOT NULL,
        closes_at INTEGER NOT NULL CHECK (closes_at > scheduled_at),
        nonce TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
        message_id TEXT,
        reason TEXT CHECK (reason IN ('offline', 'missing-permissions', 'unknown-channel',
          'rejected', 'transient', 'interrupted', 'settings-changed', 'history-unreadable',
          'message-deleted')),
        detail TEXT,
        settings_version INTEGER,
        claimed_by TEXT,
        claimed_at INTEGER,
        in_doubt_since INTEGER,
        next_attempt_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, observance_id, kind, moment_id, year),
        CHECK (status != 'sent' OR message_id IS NOT NULL),
        CHECK (status NOT IN ('planned', 'retry', 'in-doubt') OR next_attempt_at IS NOT NULL),
        CHECK (status != 'sending' OR claimed_at IS NOT NULL),
        CHECK (status != 'in-doubt' OR in_doubt_since IS NOT NULL)
      );
      INSERT INTO deliveries_v2 SELECT guild_id, observance_id, kind, moment_id, year,
          CASE WHEN status = 'retry' AND in_doubt_since IS NOT NULL THEN 'in-doubt' ELSE status END,
          channel_id, scheduled_at, closes_at, nonce, attempts, late, message_id, reason, detail,
          settings_version, claimed_by, claimed_at, in_doubt_since,
          CASE WHEN status = 'retry' THEN COALESCE(next_attempt_at, updated_at) ELSE next_attempt_at END,
          updated_at
        FROM deliveries;
      DROP TABLE deliveries;
      ALTER TABLE deliveries_v2 RENAME TO deliveries;
      CREATE INDEX deliveries_by_guild ON deliveries (guild_id, scheduled_at);
      CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
      CREATE INDEX deliveries_open ON deliveries (status, closes_at);

      -- The settings version each server's planned rows were written for.
      CREATE TABLE delivery_plans (
        guild_id TEXT PRIMARY KEY,
        settings_version INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'settings for publishing, events, threads, alerts and the kind of channel',
    sql: `
      ALTER TABLE guild_settings ADD COLUMN publish INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE guild_settings ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE guild_settings ADD COLUMN thread INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE guild_settings ADD COLUMN alerts_channel_id TEXT;
      ALTER TABLE guild_settings ADD COLUMN channel_kind TEXT
        CHECK (channel_kind IN ('text', 'announcement', 'forum'));
    `,
  },
  {
    version: 4,
    name: 'what follows a sent post: publishing it, and the thread started from it',
    sql: `
      ALTER TABLE deliveries ADD COLUMN publish_state TEXT
        CHECK (publish_state IN ('pending', 'published', 'failed'));
      ALTER TABLE deliveries ADD COLUMN publish_reason TEXT;
      ALTER TABLE deliveries ADD COLUMN publish_detail TEXT;
      ALTER TABLE deliveries ADD COLUMN publish_next_at INTEGER
        CHECK (publish_state IS NOT 'pending' OR publish_next_at IS NOT NULL);
      ALTER TABLE deliveries ADD COLUMN thread_state TEXT
        CHECK (thread_state IN ('pending', 'started', 'failed'));
      ALTER TABLE deliveries ADD COLUMN thread_reason TEXT;
      ALTER TABLE deliveries ADD COLUMN thread_detail TEXT;
      ALTER TABLE deliveries ADD COLUMN thread_next_at INTEGER
        CHECK (thread_state IS NOT 'pending' OR thread_next_at IS NOT NULL);
      ALTER TABLE deliveries ADD COLUMN thread_id TEXT;
      CREATE INDEX deliveries_publish_due ON deliveries (publish_next_at)
        WHERE publish_state = 'pending';
      CREATE INDEX deliveries_thread_due ON deliveries (thread_next_at)
        WHERE thread_state = 'pending';
    `,
  },
  {
    version: 5,
    name: 'the tag of forum posts',
    sql: `
      ALTER TABLE guild_settings ADD COLUMN forum_tag_id TEXT;
    `,
  },
  {
    version: 6,
    name: 'the Discord scheduled event of each server and day, and when to look at them again',
    sql: `
      CREATE TABLE guild_events (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('live', 'removed')),
        fingerprint TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, observance_id, year)
      );
      CREATE TABLE guild_event_syncs (
        guild_id TEXT PRIMARY KEY,
        settings_version INTEGER NOT NULL,
        next_sync_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        problem TEXT CHECK (problem IN ('missing-permissions', 'limit', 'rejected', 'transient')),
        detail TEXT,
        synced_at INTEGER NOT NULL
      );
      CREATE INDEX guild_event_syncs_due ON guild_event_syncs (next_sync_at);
    `,
  },
  {
    version: 7,
    name: 'checks before each day and the alerts they sent',
    sql: `
      CREATE TABLE alert_checks (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        lead_days INTEGER NOT NULL CHECK (lead_days IN (1, 7)),
        status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'missed')),
        due_at INTEGER NOT NULL,
        closes_at INTEGER NOT NULL CHECK (closes_at > due_at),
        checked_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, observance_id, year, lead_days)
      );
      CREATE INDEX alert_checks_due ON alert_checks (status, due_at);

      -- The settings version each server's checks were planned for.
      CREATE TABLE alert_check_plans (
        guild_id TEXT PRIMARY KEY,
        settings_version INTEGER NOT NULL
      );

      -- Each server's last check, as /commemoration status shows it.
      CREATE TABLE alert_results (
        guild_id TEXT PRIMARY KEY,
        checked_at INTEGER NOT NULL,
        problems TEXT NOT NULL,
        alert TEXT
      );

      -- One alert per server, problem and Baku date: the row is claimed before the alert is sent.
      CREATE TABLE alerts_sent (
        guild_id TEXT NOT NULL,
        problem TEXT NOT NULL,
        baku_date TEXT NOT NULL,
        nonce TEXT NOT NULL,
        channel_id TEXT,
        message_id TEXT,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, problem, baku_date)
      );
    `,
  },
];
