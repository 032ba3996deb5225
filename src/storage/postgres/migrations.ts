import type { Migration } from '../migrations.js';

/**
 * The Postgres schema, as numbered steps, like SQLite's (`../migrations.ts`): a step is never
 * edited once released. The tables and columns match SQLite's, so that one row mapping serves
 * both and `npm run migrate-to-postgres` copies rows as they are. Times are epoch ms (BIGINT),
 * flags 0/1. Postgres adds what several processes need: the dispatcher's fencing epoch.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'guild settings, deliveries as the queue, scheduler state and the dispatcher epoch',
    sql: `
      CREATE TABLE guild_settings (
        guild_id TEXT PRIMARY KEY,
        channel_id TEXT,
        post_time TEXT NOT NULL DEFAULT '09:00',
        language TEXT,
        disabled_observances TEXT NOT NULL DEFAULT '[]',
        eve_reminder INTEGER NOT NULL DEFAULT 0 CHECK (eve_reminder IN (0, 1)),
        moment_posts INTEGER NOT NULL DEFAULT 1 CHECK (moment_posts IN (0, 1)),
        role_id TEXT,
        silent INTEGER NOT NULL DEFAULT 0 CHECK (silent IN (0, 1)),
        active_since BIGINT,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX guild_settings_configured ON guild_settings (guild_id) WHERE channel_id IS NOT NULL;

      CREATE TABLE deliveries (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('eve', 'day', 'moment')),
        moment_id TEXT NOT NULL DEFAULT '',
        year INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'retry', 'in-doubt', 'failed',
          'sent', 'deleted', 'missed', 'unconfirmed')),
        channel_id TEXT,
        scheduled_at BIGINT NOT NULL,
        closes_at BIGINT NOT NULL CHECK (closes_at > scheduled_at),
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
        claimed_at BIGINT,
        in_doubt_since BIGINT,
        next_attempt_at BIGINT,
        updated_at BIGINT NOT NULL,
        -- The fencing epoch of the dispatcher that last claimed or recorded this delivery.
        claim_epoch BIGINT,
        PRIMARY KEY (guild_id, observance_id, kind, moment_id, year),
        CHECK (status != 'sent' OR message_id IS NOT NULL),
        CHECK (status NOT IN ('planned', 'retry', 'in-doubt') OR next_attempt_at IS NOT NULL),
        CHECK (status != 'sending' OR claimed_at IS NOT NULL),
        CHECK (status != 'in-doubt' OR in_doubt_since IS NOT NULL)
      );
      CREATE INDEX deliveries_by_guild ON deliveries (guild_id, scheduled_at);
      CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
      CREATE INDEX deliveries_open ON deliveries (status, closes_at);

      CREATE TABLE delivery_plans (
        guild_id TEXT PRIMARY KEY,
        settings_version INTEGER NOT NULL
      );

      CREATE TABLE scheduler_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- One row: the newest dispatcher's epoch. A process that wins the advisory lock raises it;
      -- a dispatcher's writes carry its epoch and go through only while it is still the newest.
      CREATE TABLE dispatcher_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        epoch BIGINT NOT NULL,
        holder TEXT,
        since BIGINT
      );
      INSERT INTO dispatcher_lease (id, epoch) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    name: 'settings for publishing, events, threads, alerts and the kind of channel',
    sql: `
      ALTER TABLE guild_settings
        ADD COLUMN publish INTEGER NOT NULL DEFAULT 1 CHECK (publish IN (0, 1)),
        ADD COLUMN events INTEGER NOT NULL DEFAULT 0 CHECK (events IN (0, 1)),
        ADD COLUMN thread INTEGER NOT NULL DEFAULT 0 CHECK (thread IN (0, 1)),
        ADD COLUMN alerts_channel_id TEXT,
        ADD COLUMN channel_kind TEXT CHECK (channel_kind IN ('text', 'announcement', 'forum'));
    `,
  },
  {
    version: 3,
    name: 'what follows a sent post: publishing it, and the thread started from it',
    sql: `
      ALTER TABLE deliveries
        ADD COLUMN publish_state TEXT CHECK (publish_state IN ('pending', 'published', 'failed')),
        ADD COLUMN publish_reason TEXT,
        ADD COLUMN publish_detail TEXT,
        ADD COLUMN publish_next_at BIGINT,
        ADD COLUMN thread_state TEXT CHECK (thread_state IN ('pending', 'started', 'failed')),
        ADD COLUMN thread_reason TEXT,
        ADD COLUMN thread_detail TEXT,
        ADD COLUMN thread_next_at BIGINT,
        ADD COLUMN thread_id TEXT,
        ADD CHECK (publish_state IS DISTINCT FROM 'pending' OR publish_next_at IS NOT NULL),
        ADD CHECK (thread_state IS DISTINCT FROM 'pending' OR thread_next_at IS NOT NULL);
      CREATE INDEX deliveries_publish_due ON deliveries (publish_next_at)
        WHERE publish_state = 'pending';
      CREATE INDEX deliveries_thread_due ON deliveries (thread_next_at)
        WHERE thread_state = 'pending';
    `,
  },
  {
    version: 4,
    name: 'the tag of forum posts',
    sql: `
      ALTER TABLE guild_settings ADD COLUMN forum_tag_id TEXT;
    `,
  },
  {
    version: 5,
    name: 'the Discord scheduled event of each server and day, and when to look at them again',
    sql: `
      CREATE TABLE guild_events (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('live', 'removed')),
        fingerprint TEXT NOT NULL,
        starts_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (guild_id, observance_id, year)
      );
      CREATE TABLE guild_event_syncs (
        guild_id TEXT PRIMARY KEY,
        settings_version INTEGER NOT NULL,
        next_sync_at BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        problem TEXT CHECK (problem IN ('missing-permissions', 'limit', 'rejected', 'transient')),
        detail TEXT,
        synced_at BIGINT NOT NULL
      );
      CREATE INDEX guild_event_syncs_due ON guild_event_syncs (next_sync_at);
    `,
  },
  {
    version: 6,
    name: 'checks before each day and the alerts they sent',
    sql: `
      CREATE TABLE alert_checks (
        guild_id TEXT NOT NULL,
        observance_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        lead_days INTEGER NOT NULL CHECK (lead_days IN (1, 7)),
        status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'missed')),
        due_at BIGINT NOT NULL,
        closes_at BIGINT NOT NULL CHECK (closes_at > due_at),
        checked_at BIGINT,
        updated_at BIGINT NOT NULL,
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
        checked_at BIGINT NOT NULL,
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
        claimed_at BIGINT NOT NULL,
        PRIMARY KEY (guild_id, problem, baku_date)
      );
    `,
  },
];
