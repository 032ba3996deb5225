import pg from 'pg';
import type { Migration } from '../migrations.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** BIGINT (epoch ms, counts) as a number: every value the bot stores is far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Key of the session advisory lock that elects the dispatcher (any fixed 64-bit number). */
export const DISPATCHER_LOCK_KEY = 7_214_302_001;

/** Seconds a session may sit idle inside a transaction before Postgres ends it (a paused process). */
const IDLE_IN_TRANSACTION_MS = 10_000;

export function connectionOptions(url: string): pg.ClientConfig {
  return { connectionString: url, types, application_name: 'remembrance-bot' };
}

/**
 * A pool for the repositories. A process that is paused in the middle of a transaction must not
 * hold its row locks for ever: Postgres ends such a session after 10 s.
 */
export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    ...connectionOptions(url),
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    options: `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  // A dropped idle connection is replaced on the next query; the error itself needs no handling.
  pool.on('error', () => {});
  return pool;
}

/** Same rule as SQLite's `applyMigrations`, with a lock so that two processes starting at once agree. */
export async function applyPostgresMigrations(
  pool: pg.Pool,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
  now: Date = new Date(),
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two processes starting together: the second waits here until the first has migrated.
    await client.query('SELECT pg_advisory_xact_lock($1)', [DISPATCHER_LOCK_KEY + 1]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new Error(
        `The database was written by a newer version of the bot (schema ${newest}, this version knows ${known}). Upgrade the bot.`,
      );
    }
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, now.getTime()],
      );
      ran.push(migration.version);
    }
    await client.query('COMMIT');
    return ran;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
