import { describe, expect, it } from 'vitest';
import {
  applyDeliveryEvent,
  DELIVERY_STATES,
  type DeliveryStatus,
  SENDING_LEASE_MS,
} from '../../src/domain/delivery-lifecycle.js';
import type { DeliveryKey, DeliveryRecord } from '../../src/domain/delivery-record.js';
import { DeliveryRepository } from '../../src/storage/delivery-repository.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { applyMigrations, openDatabase } from '../../src/storage/open-database.js';

const T0 = new Date('2027-02-26T05:00:00Z');
const CLOSES = new Date('2027-02-26T20:00:00Z');
const key = (guildId = 'g1'): DeliveryKey => ({
  guildId,
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
});

function setup() {
  const db = openDatabase(':memory:');
  const repo = new DeliveryRepository(db);
  return { db, repo };
}

function plan(repo: DeliveryRepository, guildId = 'g1'): DeliveryRecord {
  repo.insertPlanned([{ ...key(guildId), scheduledAt: T0, closesAt: CLOSES, nonce: 'n1' }], T0);
  const record = repo.find(key(guildId));
  if (!record) throw new Error('not planned');
  return record;
}

function claim(repo: DeliveryRepository, record: DeliveryRecord, at: Date, bootId = 'b1') {
  const t = applyDeliveryEvent(
    record,
    { type: 'claim', bootId, channelId: 'c', settingsVersion: 1 },
    at,
  );
  if (t.kind !== 'move') throw new Error('not due');
  return { ok: repo.save(t.record, record), record: t.record };
}

it('planned rows have one unique key, and planning again keeps the existing row', () => {
  const { repo } = setup();
  const first = plan(repo);
  expect(first).toMatchObject({ status: 'planned', attempts: 0, nextAttemptAt: T0 });
  claim(repo, first, T0);
  expect(
    repo.insertPlanned([{ ...key(), scheduledAt: T0, closesAt: CLOSES, nonce: 'n1' }], T0),
  ).toBe(0);
  expect(repo.find(key())?.status).toBe('sending');
});

it('a claim succeeds for exactly one of two processes holding the same view', () => {
  const { repo } = setup();
  const record = plan(repo);
  expect(claim(repo, record, T0, 'a').ok).toBe(true);
  expect(claim(repo, record, T0, 'b').ok).toBe(false);
  expect(repo.find(key())?.claimedBy).toBe('a');
});

it('lists due rows only between their next attempt and the end of their window', () => {
  const { repo } = setup();
  plan(repo);
  expect(repo.listDue(new Date(T0.getTime() - 1), 10)).toHaveLength(0);
  expect(repo.listDue(T0, 10)).toHaveLength(1);
  expect(repo.listDue(CLOSES, 10)).toHaveLength(0);
});

describe('closing windows is one statement that agrees with the lifecycle', () => {
  it.each(DELIVERY_STATES.filter((s) => s !== 'sending'))('%s', (status: DeliveryStatus) => {
    const { repo } = setup();
    const planned = plan(repo);
    const record: DeliveryRecord = {
      ...planned,
      status,
      ...(status === 'sent' || status === 'deleted' ? { messageId: 'm' } : {}),
      ...(status === 'in-doubt' ? { inDoubtSince: T0 } : {}),
      ...(status === 'failed' ? { reason: 'unknown-channel' as const } : {}),
    };
    if (!['planned', 'retry', 'in-doubt'].includes(status)) delete record.nextAttemptAt;
    expect(repo.save(record, planned)).toBe(true);
    repo.closeWindows(CLOSES);
    const pure = applyDeliveryEvent(record, { type: 'window-closed' }, CLOSES);
    const expected = pure.kind === 'move' ? pure.record : record;
    expect(repo.find(key())).toMatchObject({
      status: expected.status,
      ...(expected.reason ? { reason: expected.reason } : {}),
    });
  });
});

it("stale claims become in doubt: any of an earlier process, this process's past the lease", () => {
  const { repo } = setup();
  const mine = claim(repo, plan(repo, 'mine'), T0, 'me');
  claim(repo, plan(repo, 'old'), T0, 'earlier');
  expect(repo.expireClaims('me', new Date(T0.getTime() + 1000))).toBe(1);
  expect(repo.find(key('old'))).toMatchObject({ status: 'in-doubt', inDoubtSince: T0 });
  expect(repo.find(key('mine'))?.status).toBe('sending');
  expect(repo.expireClaims('me', new Date(T0.getTime() + SENDING_LEASE_MS))).toBe(1);
  expect(repo.find(key('mine'))).toMatchObject({
    status: 'in-doubt',
    inDoubtSince: mine.record.claimedAt,
  });
});

it('the CHECK constraints refuse a status or reason the lifecycle does not know', () => {
  const { db } = setup();
  const insert = (status: string, reason: string | null) =>
    db
      .prepare(
        `INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year, status,
          scheduled_at, closes_at, nonce, reason, next_attempt_at, updated_at)
          VALUES ('g', 'o', 'day', '', 2027, ?, 1, 2, 'n', ?, 1, 1)`,
      )
      .run(status, reason);
  expect(() => insert('lost', null)).toThrow(/CHECK/);
  expect(() => insert('planned', 'because')).toThrow(/CHECK/);
  expect(() => insert('planned', null)).not.toThrow();
});

it("the migration's status list is the lifecycle's", () => {
  const sql = MIGRATIONS.find((m) => m.version === 2)?.sql ?? '';
  const list = /status IN \(([^)]*)\)/.exec(sql)?.[1] ?? '';
  expect(
    list
      .match(/'[^']+'/g)
      ?.map((s) => s.slice(1, -1))
      .sort(),
  ).toEqual([...DELIVERY_STATES].sort());
});

it('migrating a version-1 database keeps every row; a retry in doubt becomes in-doubt', () => {
  const db = openDatabase(':memory:', MIGRATIONS.slice(0, 1));
  const insert = db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year,
    status, scheduled_at, closes_at, nonce, attempts, message_id, in_doubt_since, next_attempt_at, updated_at)
    VALUES (?, 'khojaly', 'day', '', 2027, ?, 1, 2, 'n', 1, ?, ?, ?, 1)`);
  insert.run('a', 'sent', 'm1', null, null);
  insert.run('b', 'retry', null, 1, 5);
  insert.run('c', 'retry', null, null, 5);
  insert.run('d', 'missed', null, null, null);
  applyMigrations(db, MIGRATIONS);
  const repo = new DeliveryRepository(db);
  expect(['a', 'b', 'c', 'd'].map((g) => repo.find(key(g))?.status)).toEqual([
    'sent',
    'in-doubt',
    'retry',
    'missed',
  ]);
});
