import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyDeliveryEvent,
  DELIVERY_STATES,
  type DeliveryStatus,
  SENDING_LEASE_MS,
} from '../../src/domain/delivery-lifecycle.js';
import type { DeliveryKey, DeliveryRecord } from '../../src/domain/delivery-record.js';
import type { DeliveryRepository } from '../../src/storage/delivery-repository.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { applyMigrations, openDatabase } from '../../src/storage/open-database.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { SqliteDeliveryRepository } from '../../src/storage/sqlite-delivery-repository.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

const T0 = new Date('2027-02-26T05:00:00Z');
const CLOSES = new Date('2027-02-26T20:00:00Z');
const key = (guildId = 'g1'): DeliveryKey => ({
  guildId,
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
});

async function plan(repo: DeliveryRepository, guildId = 'g1'): Promise<DeliveryRecord> {
  await repo.insertPlanned(
    [{ ...key(guildId), scheduledAt: T0, closesAt: CLOSES, nonce: 'n1' }],
    T0,
  );
  const record = await repo.find(key(guildId));
  if (!record) throw new Error('not planned');
  return record;
}

async function claim(
  repo: DeliveryRepository,
  record: DeliveryRecord,
  at: Date,
  bootId = 'b1',
  fence?: { epoch: number },
) {
  const t = applyDeliveryEvent(
    record,
    { type: 'claim', bootId, channelId: 'c', settingsVersion: 1 },
    at,
  );
  if (t.kind !== 'move') throw new Error('not due');
  return { ok: await repo.save(t.record, record, fence), record: t.record };
}

// The contract: every test below runs against real SQLite and a real Postgres server.
describe.each(STORES)('deliveries in $name', (kind) => {
  let opened: OpenedStore;
  let repo: DeliveryRepository;
  beforeEach(async () => {
    opened = await kind.open();
    repo = opened.store.deliveries;
  });
  afterEach(() => opened.close());

  it('planned rows have one unique key, and planning again keeps the existing row', async () => {
    const first = await plan(repo);
    expect(first).toMatchObject({ status: 'planned', attempts: 0, nextAttemptAt: T0 });
    await claim(repo, first, T0);
    expect(
      await repo.insertPlanned([{ ...key(), scheduledAt: T0, closesAt: CLOSES, nonce: 'n1' }], T0),
    ).toBe(0);
    expect((await repo.find(key()))?.status).toBe('sending');
  });

  it('a record comes back exactly as it was saved, every field', async () => {
    const planned = await plan(repo);
    const full: DeliveryRecord = {
      ...planned,
      status: 'in-doubt',
      channelId: '600000000000000000',
      attempts: 3,
      late: true,
      messageId: '700000000000000000',
      reason: 'transient',
      detail: 'HTTP 503 "ünïcode" \'quotes\'',
      settingsVersion: 7,
      claimedBy: 'boot',
      claimedAt: new Date(T0.getTime() + 1),
      inDoubtSince: new Date(T0.getTime() + 2),
      nextAttemptAt: new Date(T0.getTime() + 3),
      updatedAt: new Date(T0.getTime() + 4),
    };
    expect(await repo.save(full, planned)).toBe(true);
    expect(await repo.find(key())).toEqual(full);
  });

  it('a claim succeeds for exactly one of two processes holding the same view', async () => {
    const record = await plan(repo);
    const [a, b] = await Promise.all([claim(repo, record, T0, 'a'), claim(repo, record, T0, 'b')]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect((await repo.find(key()))?.claimedBy).toBe(a.ok ? 'a' : 'b');
  });

  it('lists due rows only between their next attempt and the end of their window', async () => {
    await plan(repo);
    expect(await repo.listDue(new Date(T0.getTime() - 1), 10)).toHaveLength(0);
    expect(await repo.listDue(T0, 10)).toHaveLength(1);
    expect(await repo.listDue(CLOSES, 10)).toHaveLength(0);
    expect(await repo.listDueKeys(T0)).toEqual([key()]);
    expect(await repo.listDueKeys(CLOSES)).toEqual([]);
  });

  describe('closing windows is one statement that agrees with the lifecycle', () => {
    it.each(DELIVERY_STATES.filter((s) => s !== 'sending'))(
      '%s',
      async (status: DeliveryStatus) => {
        const planned = await plan(repo);
        const record: DeliveryRecord = {
          ...planned,
          status,
          ...(status === 'sent' || status === 'deleted' ? { messageId: 'm' } : {}),
          ...(status === 'in-doubt' ? { inDoubtSince: T0 } : {}),
          ...(status === 'failed' ? { reason: 'unknown-channel' as const } : {}),
        };
        if (!['planned', 'retry', 'in-doubt'].includes(status)) delete record.nextAttemptAt;
        expect(await repo.save(record, planned)).toBe(true);
        await repo.closeWindows(CLOSES);
        const pure = applyDeliveryEvent(record, { type: 'window-closed' }, CLOSES);
        const expected = pure.kind === 'move' ? pure.record : record;
        expect(await repo.find(key())).toMatchObject({
          status: expected.status,
          ...(expected.reason ? { reason: expected.reason } : {}),
        });
      },
    );
  });

  it("stale claims become in doubt: any of an earlier process, this process's past the lease", async () => {
    const mine = await claim(repo, await plan(repo, 'mine'), T0, 'me');
    await claim(repo, await plan(repo, 'old'), T0, 'earlier');
    expect(await repo.expireClaims('me', new Date(T0.getTime() + 1000))).toBe(1);
    expect(await repo.find(key('old'))).toMatchObject({ status: 'in-doubt', inDoubtSince: T0 });
    expect((await repo.find(key('mine')))?.status).toBe('sending');
    expect(await repo.expireClaims('me', new Date(T0.getTime() + SENDING_LEASE_MS))).toBe(1);
    expect(await repo.find(key('mine'))).toMatchObject({
      status: 'in-doubt',
      inDoubtSince: mine.record.claimedAt,
    });
  });

  it("writes a server's plan at once: withdrawals, moves, new rows and the settings version", async () => {
    await opened.store.settings.update('g1', { channelId: 'c1' }, T0);
    expect(await repo.listGuildsToPlan()).toEqual(['g1']);
    const planned = await plan(repo, 'g1');
    const inserted = await repo.writePlans(
      [
        {
          guildId: 'g1',
          remove: [planned],
          save: [],
          insert: [
            { ...key('g1'), year: 2028, scheduledAt: T0, closesAt: CLOSES, nonce: 'n2' },
            { ...key('g1'), year: 2029, scheduledAt: T0, closesAt: CLOSES, nonce: 'n3' },
          ],
          settingsVersion: 1,
        },
      ],
      T0,
    );
    expect(inserted).toBe(2);
    expect(await repo.find(key('g1'))).toBeUndefined();
    expect((await repo.listPlanned('g1', T0, 10)).map((r) => r.year)).toEqual([2028, 2029]);
    expect(await repo.listGuildsToPlan()).toEqual([]);
    expect(await repo.countByStatus()).toEqual({ planned: 2 });
  });

  it('lists the attempted and settled deliveries of one server, the latest change first', async () => {
    const a = await claim(repo, await plan(repo, 'g1'), T0);
    await plan(repo, 'g2');
    expect((await repo.listForGuild('g1', 10)).map((r) => r.status)).toEqual(['sending']);
    expect(await repo.listForGuild('g2', 10)).toEqual([]);
    expect((await repo.listUnsettledForGuild('g1')).map((r) => r.status)).toEqual(['sending']);
    expect(a.ok).toBe(true);
  });

  it('the CHECK constraints refuse a status or reason the lifecycle does not know', async () => {
    const insert = (status: string, reason: string | null) =>
      opened.exec(
        `INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year, status,
          scheduled_at, closes_at, nonce, reason, next_attempt_at, updated_at)
          VALUES ('g', 'o', 'day', '', 2027, ?, 1, 2, 'n', ?, 1, 1)`,
        [status, reason],
      );
    await expect(insert('lost', null)).rejects.toThrow(/check/i);
    await expect(insert('planned', 'because')).rejects.toThrow(/check/i);
    await expect(insert('planned', null)).resolves.toBeUndefined();
  });
});

describe('the fencing epoch (Postgres: several processes)', () => {
  const postgres = STORES.find((s) => s.name === 'Postgres');
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await (postgres?.open() ?? Promise.reject(new Error('no Postgres store')));
  });
  afterEach(() => opened.close());

  it('a write carrying an epoch that is no longer the newest changes nothing', async () => {
    const repo = opened.store.deliveries;
    const record = await plan(repo);
    await opened.exec('UPDATE dispatcher_lease SET epoch = 5');
    expect((await claim(repo, record, T0, 'old', { epoch: 4 })).ok).toBe(false);
    expect((await repo.find(key()))?.status).toBe('planned');
    expect((await claim(repo, record, T0, 'new', { epoch: 5 })).ok).toBe(true);
    expect((await repo.find(key()))?.claimedBy).toBe('new');
  });
});

describe('schema', () => {
  const statusList = (sql: string) =>
    (/status IN \(([^)]*)\)/.exec(sql)?.[1] ?? '')
      .match(/'[^']+'/g)
      ?.map((s) => s.slice(1, -1))
      .sort();

  it("both stores' status lists are the lifecycle's", () => {
    const sqlite = MIGRATIONS.find((m) => m.version === 2)?.sql ?? '';
    const postgres = POSTGRES_MIGRATIONS.find((m) => m.version === 1)?.sql ?? '';
    expect(statusList(sqlite)).toEqual([...DELIVERY_STATES].sort());
    expect(statusList(postgres)).toEqual([...DELIVERY_STATES].sort());
  });

  it('migrating a version-1 SQLite database keeps every row; a retry in doubt becomes in-doubt', async () => {
    const db = openDatabase(':memory:', MIGRATIONS.slice(0, 1));
    const insert =
      db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year,
      status, scheduled_at, closes_at, nonce, attempts, message_id, in_doubt_since, next_attempt_at, updated_at)
      VALUES (?, 'khojaly', 'day', '', 2027, ?, 1, 2, 'n', 1, ?, ?, ?, 1)`);
    insert.run('a', 'sent', 'm1', null, null);
    insert.run('b', 'retry', null, 1, 5);
    insert.run('c', 'retry', null, null, 5);
    insert.run('d', 'missed', null, null, null);
    applyMigrations(db, MIGRATIONS);
    const repo = new SqliteDeliveryRepository(db);
    const statuses = await Promise.all(['a', 'b', 'c', 'd'].map((g) => repo.find(key(g))));
    expect(statuses.map((r) => r?.status)).toEqual(['sent', 'in-doubt', 'retry', 'missed']);
  });
});
