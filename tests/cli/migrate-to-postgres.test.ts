import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyDeliveryEvent } from '../../src/domain/delivery-lifecycle.js';
import type { DeliveryKey } from '../../src/domain/delivery-record.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { createSqliteStore } from '../../src/storage/open-sqlite-store.js';
import { openPostgresStore } from '../../src/storage/postgres/open-postgres-store.js';
import { SqliteGuildSettingsRepository } from '../../src/storage/sqlite-guild-settings-repository.js';
import { createTestDatabase } from '../support/postgres-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const T0 = new Date('2027-02-26T05:00:00Z');
const key = (guildId: string, year: number): DeliveryKey => ({
  guildId,
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year,
});

let dir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-'));
  database = await createTestDatabase('migrate');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

/** A SQLite database with two servers: one post sent, one planned, the scheduler's state. */
async function makeSqlite(path: string) {
  const db = openDatabase(path);
  const store = createSqliteStore(db);
  new SqliteGuildSettingsRepository(db).updateNow(
    '400000000000000001',
    { channelId: '600000000000000001', language: 'az', eveReminder: true },
    T0,
  );
  await store.settings.update('400000000000000002', { channelId: '600000000000000002' }, T0);
  const planned = [key('400000000000000001', 2027), key('400000000000000002', 2028)].map((k) => ({
    ...k,
    scheduledAt: T0,
    closesAt: new Date(T0.getTime() + 3_600_000),
    nonce: `nonce-${k.guildId}`,
  }));
  await store.deliveries.insertPlanned(planned, T0);
  const first = await store.deliveries.find(key('400000000000000001', 2027));
  if (!first) throw new Error('not planned');
  const claimed = applyDeliveryEvent(
    first,
    { type: 'claim', bootId: 'b', channelId: '600000000000000001', settingsVersion: 1 },
    T0,
  );
  if (claimed.kind !== 'move') throw new Error('not claimed');
  const sent = applyDeliveryEvent(claimed.record, { type: 'sent', messageId: '7000000001' }, T0);
  if (sent.kind !== 'move') throw new Error('not sent');
  await store.deliveries.save(claimed.record, first);
  // With its follow-ups (SQLite migration 4): a publish waiting for Discord, a thread started.
  await store.deliveries.save(
    {
      ...sent.record,
      publish: {
        state: 'pending',
        nextAt: new Date(T0.getTime() + 60_000),
        reason: 'rate-limited',
        detail: '429',
      },
      thread: { state: 'started', threadId: '7000000001' },
    },
    claimed.record,
  );
  await store.state.saveLastTickAt(T0);
  return store;
}

it('copies settings and the whole delivery record into Postgres, and running it twice changes nothing', async () => {
  const path = join(dir, 'bot.db');
  const sqlite = await makeSqlite(path);
  const migrate = () =>
    run('npm', ['run', 'migrate-to-postgres', '--', path], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url },
    });

  const first = await migrate();
  expect(first.stdout).toMatch(
    /^Copied 2 server settings and 2 deliveries from .*bot\.db to Postgres at 127\.0\.0\.1:\d+\/migrate_\w+\. Running the copy again changes nothing\.\n$/,
  );
  const second = await migrate();
  expect(second.stdout).toContain('Copied 2 server settings and 2 deliveries');

  const postgres = await openPostgresStore({
    url: database.url,
    bootId: 'check',
    clock: { now: () => T0 },
    logger: pino({ level: 'silent' }),
  });
  try {
    for (const guildId of ['400000000000000001', '400000000000000002']) {
      expect(await postgres.settings.find(guildId)).toEqual(await sqlite.settings.find(guildId));
    }
    for (const k of [key('400000000000000001', 2027), key('400000000000000002', 2028)]) {
      const copied = await postgres.deliveries.find(k);
      expect(copied).toBeDefined();
      expect(copied).toEqual(await sqlite.deliveries.find(k));
    }
    expect((await postgres.deliveries.find(key('400000000000000001', 2027)))?.publish).toEqual({
      state: 'pending',
      nextAt: new Date(T0.getTime() + 60_000),
      reason: 'rate-limited',
      detail: '429',
    });
    expect(await postgres.deliveries.countByStatus()).toEqual({ sent: 1, planned: 1 });
    expect(await postgres.deliveries.listGuildsToPlan()).toEqual(
      await sqlite.deliveries.listGuildsToPlan(),
    );
    expect(await postgres.state.findLastTickAt()).toEqual(T0);
  } finally {
    await postgres.close();
    await sqlite.close();
  }
});

it('says what to do, in one line, without DATABASE_URL or with a missing file', async () => {
  const env = { ...process.env, DATABASE_URL: '' };
  const missingUrl = await run('npm', ['run', 'migrate-to-postgres', '--', join(dir, 'bot.db')], {
    cwd: root,
    env,
  }).catch((error: { code: number; stderr: string }) => error);
  expect((missingUrl as { stderr: string }).stderr).toMatch(/^error: set DATABASE_URL/m);
  const missingFile = await run('npm', ['run', 'migrate-to-postgres', '--', join(dir, 'nope.db')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url },
  }).catch((error: { code: number; stderr: string }) => error);
  expect((missingFile as { code: number }).code).toBe(1);
  expect((missingFile as { stderr: string }).stderr).toMatch(/there is no SQLite database at/);
});
