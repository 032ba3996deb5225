import { existsSync } from 'node:fs';
import type pg from 'pg';
import { loadConfig } from '../config.js';
import { DELIVERY_COLUMNS } from '../storage/delivery-rows.js';
import { GUILD_EVENT_COLUMNS } from '../storage/guild-event-rows.js';
import { GUILD_SETTINGS_COLUMNS } from '../storage/guild-settings-rows.js';
import { openDatabase } from '../storage/open-database.js';
import { inTransaction } from '../storage/postgres/in-transaction.js';
import { applyPostgresMigrations, createPool } from '../storage/postgres/open-postgres.js';
import { runCli, UsageError } from './run-cli.js';

const USAGE =
  'npm run migrate-to-postgres -- <sqlite-file>   (DATABASE_URL names the Postgres database)';

/** Rows per INSERT: 21 columns × 1,000 stays well under Postgres's 65,535 parameters. */
const BATCH = 1_000;

interface Table {
  name: string;
  columns: readonly string[];
  key: readonly string[];
  /** When a row with the same key is already in Postgres, the copy replaces it only if this holds. */
  newer: string;
}

/**
 * Settings and the whole delivery record, copied as they are: both stores have the same columns.
 * A row already in Postgres is replaced only by a newer one, so running the copy twice changes
 * nothing, and a copy never undoes what a bot already running on Postgres has recorded.
 */
const TABLES: readonly Table[] = [
  {
    name: 'guild_settings',
    columns: GUILD_SETTINGS_COLUMNS,
    key: ['guild_id'],
    newer: 'excluded.version > guild_settings.version',
  },
  {
    name: 'deliveries',
    columns: DELIVERY_COLUMNS,
    key: ['guild_id', 'observance_id', 'kind', 'moment_id', 'year'],
    newer: 'excluded.updated_at > deliveries.updated_at',
  },
  {
    name: 'delivery_plans',
    columns: ['guild_id', 'settings_version'],
    key: ['guild_id'],
    newer: 'excluded.settings_version > delivery_plans.settings_version',
  },
  {
    // The events' ids, so that the bot on Postgres keeps them (and any deletion it respects).
    name: 'guild_events',
    columns: GUILD_EVENT_COLUMNS,
    key: ['guild_id', 'observance_id', 'year'],
    newer: 'excluded.updated_at > guild_events.updated_at',
  },
  {
    name: 'scheduler_state',
    columns: ['key', 'value'],
    key: ['key'],
    newer: 'excluded.value::bigint > scheduler_state.value::bigint',
  },
];

runCli(USAGE, () => {
  const [source, ...extra] = process.argv.slice(2);
  if (!source || extra.length > 0) throw new UsageError('name the SQLite file to copy');
  if (!existsSync(source)) throw new UsageError(`there is no SQLite database at ${source}`);
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { DATABASE_URL } = loadConfig({ ...process.env, DISCORD_TOKEN: 'not-needed-to-migrate' });
  if (!DATABASE_URL)
    throw new UsageError('set DATABASE_URL to the Postgres database to copy into (postgres://…)');
  copy(source, DATABASE_URL).then(
    (counts) => {
      const where = describeDatabase(DATABASE_URL);
      process.stdout.write(
        `Copied ${counts.guild_settings} server settings and ${counts.deliveries} deliveries from ${source} to ${where}. Running the copy again changes nothing.\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(
        `error: the copy failed, and nothing was written: ${error instanceof Error ? error.message : String(error)}. Check DATABASE_URL and that Postgres is up.\n`,
      );
      process.exitCode = 1;
    },
  );
});

async function copy(source: string, url: string): Promise<Record<string, number>> {
  // Brings an older SQLite file up to the current schema first, as the bot itself would.
  const sqlite = openDatabase(source);
  const pool = createPool(url);
  try {
    await applyPostgresMigrations(pool);
    const counts: Record<string, number> = {};
    // One transaction: a copy that fails half-way leaves Postgres as it was.
    await inTransaction(pool, async (client) => {
      for (const table of TABLES) {
        const rows = sqlite
          .prepare(`SELECT ${table.columns.join(', ')} FROM ${table.name}`)
          .all() as Array<Record<string, unknown>>;
        for (let start = 0; start < rows.length; start += BATCH)
          await insertBatch(client, table, rows.slice(start, start + BATCH));
        counts[table.name] = rows.length;
      }
    });
    return counts;
  } finally {
    sqlite.close();
    await pool.end();
  }
}

async function insertBatch(
  client: pg.PoolClient,
  table: Table,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const width = table.columns.length;
  const values = rows
    .map((_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`)
    .join(', ');
  const updates = table.columns
    .filter((column) => !table.key.includes(column))
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  await client.query(
    `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${values}
      ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${updates} WHERE ${table.newer}`,
    rows.flatMap((row) => table.columns.map((column) => row[column])),
  );
}

/** Host and database, never the password. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `Postgres at ${parsed.host}${parsed.pathname}`;
  } catch {
    return 'Postgres';
  }
}
