import { beforeEach, expect, it } from 'vitest';
import type { DeliveryKey } from '../../src/storage/delivery-record.js';
import { type ClaimRequest, DeliveryRepository } from '../../src/storage/delivery-repository.js';
import { openDatabase } from '../../src/storage/open-database.js';

let repo: DeliveryRepository;
const key: DeliveryKey = {
  guildId: 'g1',
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
};
const at = new Date('2027-02-26T05:00:00Z');
const closes = new Date('2027-02-26T20:00:00Z');
const claim = (overrides: Partial<ClaimRequest> = {}): boolean =>
  repo.claim({
    key,
    expected: undefined,
    channelId: 'c1',
    scheduledAt: at,
    closesAt: closes,
    nonce: 'n1',
    late: false,
    settingsVersion: 1,
    bootId: 'boot-a',
    now: at,
    ...overrides,
  });

beforeEach(() => {
  repo = new DeliveryRepository(openDatabase(':memory:'));
});

it('lets exactly one claimant send a new delivery', () => {
  expect(claim()).toBe(true);
  expect(claim({ bootId: 'boot-b' })).toBe(false);
  expect(repo.find(key)).toMatchObject({
    status: 'sending',
    attempts: 1,
    claimedBy: 'boot-a',
    nonce: 'n1',
    channelId: 'c1',
  });
});

it('re-claims a retry only from the state the caller saw', () => {
  claim();
  repo.markRetry(
    key,
    { reason: 'transient', detail: '503', nextAttemptAt: new Date(at.getTime() + 60_000) },
    at,
  );
  expect(claim({ expected: { status: 'retry', attempts: 0 } })).toBe(false);
  expect(claim({ expected: { status: 'retry', attempts: 1 } })).toBe(true);
  expect(claim({ expected: { status: 'retry', attempts: 1 } })).toBe(false);
  expect(repo.find(key)).toMatchObject({ status: 'sending', attempts: 2 });
});

it('records the message id, and keeps the first moment of doubt across retries', () => {
  claim();
  const doubt = new Date(at.getTime() + 1000);
  repo.markRetry(
    key,
    { reason: 'transient', detail: 'timeout', nextAttemptAt: closes, inDoubtSince: doubt },
    at,
  );
  repo.markRetry(
    key,
    { reason: 'transient', detail: '429', nextAttemptAt: closes, inDoubtSince: closes },
    at,
  );
  expect(repo.find(key)?.inDoubtSince).toEqual(doubt);
  repo.markSent(key, 'm1', at);
  expect(repo.find(key)).toMatchObject({ status: 'sent', messageId: 'm1' });
  expect(repo.find(key)?.reason).toBeUndefined();
});

it('turns sends left by an earlier process into in-doubt retries, and leaves its own alone', () => {
  claim();
  claim({ key: { ...key, guildId: 'g2' }, bootId: 'boot-b' });
  const now = new Date(at.getTime() + 30_000);
  expect(repo.recoverOrphans('boot-b', now)).toBe(1);
  expect(repo.find(key)).toMatchObject({
    status: 'retry',
    inDoubtSince: at,
    nextAttemptAt: now,
    reason: 'interrupted',
  });
  expect(repo.find({ ...key, guildId: 'g2' })?.status).toBe('sending');
});

it('sweeps retries and refusals whose window closed to missed, keeping the reason', () => {
  claim();
  repo.markFailed(key, { reason: 'missing-permissions', detail: '50013' }, at);
  expect(repo.expireClosed(new Date(closes.getTime() - 1))).toBe(0);
  expect(repo.expireClosed(closes)).toBe(1);
  expect(repo.find(key)).toMatchObject({ status: 'missed', reason: 'missing-permissions' });
});

it('records a missed post without overwriting an existing record', () => {
  repo.insertMissed({
    key,
    scheduledAt: at,
    closesAt: closes,
    nonce: 'n1',
    reason: 'offline',
    now: closes,
  });
  expect(repo.find(key)).toMatchObject({ status: 'missed', reason: 'offline', attempts: 0 });
  expect(claim()).toBe(false);
  expect(repo.listForSlot(key).settled.has('g1')).toBe(true);
  expect(repo.listForSlot(key).open.size).toBe(0);
  expect(repo.listForGuild('g1', 10)).toHaveLength(1);
  expect(repo.countByStatus()).toEqual({ missed: 1 });
});
