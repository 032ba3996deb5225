import pg from 'pg';
import pino from 'pino';
import { openDatabase } from '../../src/storage/open-database.js';
import { createSqliteStore } from '../../src/storage/open-sqlite-store.js';
import type { ElectionTimings } from '../../src/storage/postgres/dispatcher-election.js';
import { openPostgresStore } from '../../src/storage/postgres/open-postgres-store.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase } from './postgres-database.js';

export interface OpenedStore {
  store: Store;
  /** Runs raw SQL (for CHECK constraints and the like); `?` placeholders, in both dialects. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Another process's view of the same database (Postgres), or the same store (SQLite). */
  openAnother(bootId: string, timings?: ElectionTimings): Promise<Store>;
  close(): Promise<void>;
}

let fileDatabase: ReturnType<typeof createTestDatabase> | undefined;

async function runOn(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

const silent = pino({ level: 'silent' });
const clock = { now: () => new Date('2027-02-26T05:00:00Z') };

/** Each contract test runs against both real stores: SQLite in memory, and a fresh Postgres database. */
export const STORES: ReadonlyArray<{ name: string; open(): Promise<OpenedStore> }> = [
  {
    name: 'SQLite',
    async open() {
      const db = openDatabase(':memory:');
      const store = createSqliteStore(db);
      return {
        store,
        async exec(sql, params = []) {
          db.prepare(sql).run(...params);
        },
        openAnother: async () => store,
        close: () => store.close(),
      };
    },
  },
  {
    name: 'Postgres',
    async open() {
      // One database per test file (created at the first test), emptied before each test.
      fileDatabase ??= createTestDatabase('contract');
      const database = await fileDatabase;
      const opened: Store[] = [];
      const openOne = async (bootId: string, timings?: ElectionTimings) => {
        const store = await openPostgresStore({
          url: database.url,
          bootId,
          clock,
          logger: silent,
          ...(timings ? { timings } : {}),
        });
        opened.push(store);
        return store;
      };
      const store = await openOne('boot-a');
      await runOn(
        database.url,
        `TRUNCATE guild_settings, deliveries, delivery_plans, scheduler_state, guild_events,
          guild_event_syncs;
          UPDATE dispatcher_lease SET epoch = 0, holder = NULL, since = NULL`,
      );
      return {
        store,
        async exec(sql, params = []) {
          let n = 0;
          await runOn(
            database.url,
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          );
        },
        openAnother: openOne,
        async close() {
          await Promise.all(opened.map((s) => s.close().catch(() => {})));
        },
      };
    },
  },
];
