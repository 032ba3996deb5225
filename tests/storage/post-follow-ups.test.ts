import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryKey, DeliveryRecord } from '../../src/domain/delivery-record.js';
import type { DeliveryRepository } from '../../src/storage/delivery-repository.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

const T0 = new Date('2027-02-26T05:00:00Z');
const CLOSES = new Date('2027-02-26T20:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const key = (guildId = 'g1'): DeliveryKey => ({
  guildId,
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
});

/** A planned row moved straight to sent, with the given follow-ups: as deliverOne saves it. */
async function sent(
  repo: DeliveryRepository,
  followUps: Pick<DeliveryRecord, 'publish' | 'thread'>,
  guildId = 'g1',
): Promise<DeliveryRecord> {
  await repo.insertPlanned(
    [{ ...key(guildId), scheduledAt: T0, closesAt: CLOSES, nonce: `n-${guildId}` }],
    T0,
  );
  const planned = await repo.find(key(guildId));
  if (!planned) throw new Error('not planned');
  const { nextAttemptAt: _next, ...rest } = planned;
  const record: DeliveryRecord = {
    ...rest,
    status: 'sent',
    messageId: '700000000000000000',
    attempts: 1,
    updatedAt: T0,
    ...followUps,
  };
  expect(await repo.save(record, planned)).toBe(true);
  return record;
}

// The follow-up columns (SQLite migration 4, Postgres migration 3), against both real stores.
describe.each(STORES)('follow-ups of a sent post in $name', (kind) => {
  let opened: OpenedStore;
  let repo: DeliveryRepository;
  beforeEach(async () => {
    opened = await kind.open();
    repo = opened.store.deliveries;
  });
  afterEach(() => opened.close());

  it('come back exactly as saved with the sent state, every field', async () => {
    const record = await sent(repo, {
      publish: {
        state: 'pending',
        nextAt: at(45),
        reason: 'rate-limited',
        detail: '429 "ünïcode" \'quotes\'',
      },
      thread: { state: 'started', threadId: '700000000000000000' },
    });
    expect(await repo.find(key())).toEqual(record);
  });

  it('a post without follow-ups has none', async () => {
    await sent(repo, {});
    const found = await repo.find(key());
    expect(found?.publish).toBeUndefined();
    expect(found?.thread).toBeUndefined();
  });

  it('lists sent posts whose publish or thread is due, not before, and not once settled', async () => {
    await sent(repo, { publish: { state: 'pending', nextAt: at(10) } }, 'g1');
    await sent(repo, { thread: { state: 'pending', nextAt: at(20) } }, 'g2');
    await sent(repo, { publish: { state: 'published' }, thread: { state: 'failed' } }, 'g3');
    const due = async (minutes: number) =>
      (await repo.listDueFollowUps(at(minutes), 10)).map((r) => r.guildId).sort();
    expect(await due(9)).toEqual([]);
    expect(await due(10)).toEqual(['g1']);
    expect(await due(20)).toEqual(['g1', 'g2']);
    expect(await repo.listDueFollowUps(at(20), 1)).toHaveLength(1);
  });

  it('saves follow-ups only while they are as read: of two writers, one records', async () => {
    const record = await sent(repo, { publish: { state: 'pending', nextAt: T0 } });
    const published: DeliveryRecord = { ...record, publish: { state: 'published' } };
    const waiting: DeliveryRecord = {
      ...record,
      publish: { state: 'pending', nextAt: at(60), reason: 'rate-limited', detail: '429' },
    };
    const results = await Promise.all([
      repo.saveFollowUps(published, record),
      repo.saveFollowUps(waiting, record),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await repo.find(key());
    expect(stored?.publish).toEqual(results[0] ? published.publish : waiting.publish);
    // Nothing else moved: the post is still sent, at its time.
    expect(stored).toMatchObject({ status: 'sent', updatedAt: T0, attempts: 1 });
  });

  it('never writes follow-ups onto a post that is not sent', async () => {
    await repo.insertPlanned([{ ...key(), scheduledAt: T0, closesAt: CLOSES, nonce: 'n' }], T0);
    const planned = await repo.find(key());
    if (!planned) throw new Error('not planned');
    expect(await repo.saveFollowUps({ ...planned, publish: { state: 'published' } }, planned)).toBe(
      false,
    );
    expect((await repo.find(key()))?.publish).toBeUndefined();
  });

  it('refuses a pending step without its next attempt (CHECK)', async () => {
    await sent(repo, {});
    await expect(
      opened.exec("UPDATE deliveries SET publish_state = 'pending' WHERE guild_id = 'g1'"),
    ).rejects.toThrow(/CHECK|check/);
    await expect(
      opened.exec("UPDATE deliveries SET thread_state = 'waiting' WHERE guild_id = 'g1'"),
    ).rejects.toThrow(/CHECK|check/);
  });

  it('a fenced save goes through only while the fence is the newest epoch', async () => {
    if (kind.name !== 'Postgres') return;
    const record = await sent(repo, { publish: { state: 'pending', nextAt: T0 } });
    await opened.exec('UPDATE dispatcher_lease SET epoch = 5 WHERE id = 1');
    const next = { ...record, publish: { state: 'published' as const } };
    expect(await repo.saveFollowUps(next, record, { epoch: 4 })).toBe(false);
    expect(await repo.saveFollowUps(next, record, { epoch: 5 })).toBe(true);
  });
});
