import { describe, expect, it } from 'vitest';
import {
  applyDeliveryEvent,
  chooseAttempt,
  computeRetryDelay,
  DELIVERY_STATES,
  type DeliveryEvent,
  type DeliveryEventType,
  type DeliveryStatus,
  FINAL_STATES,
  isCoveredByNonce,
  isDue,
  NONCE_SAFE_MS,
} from '../../src/domain/delivery-lifecycle.js';
import type { DeliveryRecord } from '../../src/domain/delivery-record.js';

const NOW = new Date('2027-02-26T05:10:00Z');
const OPEN = new Date('2027-02-26T20:00:00Z');
const CLOSED = new Date('2027-02-26T05:05:00Z');

/** One record per state, due at NOW, window open. */
function recordIn(status: DeliveryStatus, patch: Partial<DeliveryRecord> = {}): DeliveryRecord {
  const record: DeliveryRecord = {
    guildId: 'g',
    observanceId: 'khojaly',
    kind: 'day',
    momentId: '',
    year: 2027,
    status,
    scheduledAt: new Date('2027-02-26T05:00:00Z'),
    closesAt: OPEN,
    nonce: 'n'.repeat(25),
    attempts: status === 'planned' ? 0 : 1,
    late: false,
    updatedAt: new Date('2027-02-26T05:00:00Z'),
    channelId: 'c',
    ...(['planned', 'retry', 'in-doubt'].includes(status)
      ? { nextAttemptAt: new Date('2027-02-26T05:00:00Z') }
      : {}),
    ...(status === 'sending'
      ? { claimedAt: new Date('2027-02-26T05:09:00Z'), claimedBy: 'b' }
      : {}),
    ...(status === 'in-doubt' ? { inDoubtSince: new Date('2027-02-26T05:09:00Z') } : {}),
    ...(status === 'sent' || status === 'deleted' ? { messageId: 'm' } : {}),
  };
  return { ...record, ...patch };
}

const EVENTS: Record<DeliveryEventType, DeliveryEvent> = {
  claim: { type: 'claim', bootId: 'b2', channelId: 'c', settingsVersion: 2 },
  sent: { type: 'sent', messageId: 'm1' },
  found: { type: 'found', messageId: 'm0' },
  refused: { type: 'refused', reason: 'missing-permissions', detail: '50013' },
  transient: { type: 'transient', detail: '429' },
  'in-doubt': { type: 'in-doubt', detail: '503' },
  'history-unreadable': { type: 'history-unreadable', detail: 'no history' },
  deleted: { type: 'deleted', detail: '10008' },
  crashed: { type: 'crashed', detail: 'SQLITE_BUSY', sendStarted: true },
  'lease-expired': { type: 'lease-expired' },
  'window-closed': { type: 'window-closed' },
  'settings-changed': { type: 'settings-changed' },
  withdrawn: { type: 'withdrawn' },
};

type Expected = DeliveryStatus | 'remove' | '-';

/**
 * Every (state, event) pair: the state it leads to, 'remove' (the row goes), or '-' (ignored).
 * Columns, in order: claim, sent, found, refused, transient, in-doubt, history-unreadable,
 * deleted, crashed, lease-expired, window-closed (with the window closed), settings-changed,
 * withdrawn.
 */
const TABLE: Record<DeliveryStatus, Expected[]> = {
  // prettier-ignore
  planned: ['sending', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'missed', '-', 'remove'],
  sending: [
    '-',
    'sent',
    'sent',
    'failed',
    'retry',
    'in-doubt',
    'unconfirmed',
    'deleted',
    'in-doubt',
    'in-doubt',
    '-',
    '-',
    '-',
  ],
  retry: ['sending', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'missed', '-', 'missed'],
  'in-doubt': [
    'sending',
    '-',
    '-',
    '-',
    '-',
    '-',
    '-',
    '-',
    '-',
    '-',
    'unconfirmed',
    '-',
    'unconfirmed',
  ],
  failed: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'missed', 'retry', 'missed'],
  sent: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  deleted: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  missed: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  unconfirmed: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
};

const EVENT_ORDER = Object.keys(EVENTS) as DeliveryEventType[];

describe('every (state, event) pair', () => {
  it('the table covers every state and every event', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...DELIVERY_STATES].sort());
    for (const row of Object.values(TABLE)) expect(row).toHaveLength(EVENT_ORDER.length);
  });

  const cases = DELIVERY_STATES.flatMap((state) =>
    EVENT_ORDER.map((event, i) => [state, event, TABLE[state][i] as Expected] as const),
  );
  it.each(cases)('%s + %s → %s', (state, event, expected) => {
    const closes = event === 'window-closed' ? { closesAt: CLOSED } : {};
    const result = applyDeliveryEvent(recordIn(state, closes), EVENTS[event], NOW);
    const got =
      result.kind === 'move' ? result.record.status : result.kind === 'remove' ? 'remove' : '-';
    expect(got).toBe(expected);
  });
});

describe('what each transition records', () => {
  it('a claim counts the attempt, takes the channel and says whether the post is late', () => {
    const result = applyDeliveryEvent(recordIn('planned'), EVENTS.claim, NOW);
    expect(result).toMatchObject({
      kind: 'move',
      record: { status: 'sending', attempts: 1, claimedBy: 'b2', claimedAt: NOW, late: true },
    });
    expect(result.kind === 'move' && result.record.nextAttemptAt).toBe(undefined);
  });

  it('a claim is refused before the next attempt is due, or once the window has closed', () => {
    const early = recordIn('retry', { nextAttemptAt: new Date('2027-02-26T05:11:00Z') });
    expect(applyDeliveryEvent(early, EVENTS.claim, NOW).kind).toBe('ignore');
    expect(applyDeliveryEvent(recordIn('planned', { closesAt: NOW }), EVENTS.claim, NOW).kind).toBe(
      'ignore',
    );
    expect(isDue(recordIn('planned', { closesAt: NOW }), NOW)).toBe(false);
  });

  it('an unclear answer puts the post in doubt from the start of that attempt, with backoff', () => {
    const result = applyDeliveryEvent(recordIn('sending'), EVENTS['in-doubt'], NOW);
    expect(result).toMatchObject({
      record: {
        status: 'in-doubt',
        inDoubtSince: new Date('2027-02-26T05:09:00Z'),
        nextAttemptAt: new Date(NOW.getTime() + computeRetryDelay(1)),
      },
    });
  });

  it('once in doubt, a later clean failure keeps it in doubt', () => {
    const sending = recordIn('sending', { inDoubtSince: new Date('2027-02-26T05:01:00Z') });
    const result = applyDeliveryEvent(sending, EVENTS.transient, NOW);
    expect(result).toMatchObject({
      record: { status: 'in-doubt', inDoubtSince: new Date('2027-02-26T05:01:00Z') },
    });
  });

  it('an exception before the request went out is a plain retry, with the error recorded', () => {
    const result = applyDeliveryEvent(
      recordIn('sending'),
      { type: 'crashed', detail: 'render failed', sendStarted: false },
      NOW,
    );
    expect(result).toMatchObject({
      record: { status: 'retry', detail: 'internal error: render failed' },
    });
  });

  it('a stale claim is in doubt from its claim, due at once', () => {
    const result = applyDeliveryEvent(recordIn('sending'), EVENTS['lease-expired'], NOW);
    expect(result).toMatchObject({
      record: {
        status: 'in-doubt',
        inDoubtSince: new Date('2027-02-26T05:09:00Z'),
        nextAttemptAt: NOW,
        reason: 'interrupted',
      },
    });
  });

  it('a missed post says why: never tried (offline), or the last failure', () => {
    const closed = { closesAt: CLOSED };
    const planned = applyDeliveryEvent(recordIn('planned', closed), EVENTS['window-closed'], NOW);
    expect(planned).toMatchObject({ record: { status: 'missed', reason: 'offline' } });
    const failed = recordIn('failed', { ...closed, reason: 'unknown-channel' });
    expect(applyDeliveryEvent(failed, EVENTS['window-closed'], NOW)).toMatchObject({
      record: { status: 'missed', reason: 'unknown-channel' },
    });
  });

  it('the window rule does nothing while the window is open', () => {
    expect(applyDeliveryEvent(recordIn('retry'), EVENTS['window-closed'], NOW).kind).toBe('ignore');
  });

  it('a fixed refusal after an attempt in doubt comes back in doubt', () => {
    const failed = recordIn('failed', { inDoubtSince: new Date('2027-02-26T05:01:00Z') });
    expect(applyDeliveryEvent(failed, EVENTS['settings-changed'], NOW)).toMatchObject({
      record: { status: 'in-doubt', nextAttemptAt: NOW },
    });
  });
});

describe('how a claimed post is attempted', () => {
  const since = new Date('2027-02-26T05:00:00Z');
  it.each([
    ['never in doubt', undefined, 0, 'send'],
    ['in doubt, just now', since, 0, 'send'],
    ['in doubt, just inside the nonce margin', since, NONCE_SAFE_MS - 1, 'send'],
    ['in doubt, past the nonce margin', since, NONCE_SAFE_MS, 'check-first'],
  ] as const)('%s → %s', (_name, inDoubtSince, after, expected) => {
    const record = recordIn('sending', inDoubtSince ? { inDoubtSince } : {});
    expect(chooseAttempt(record, new Date(since.getTime() + after))).toBe(expected);
  });

  // A forum post carries no nonce: nothing but the search may say "not there" before a resend.
  it.each([
    ['a forum post never in doubt', undefined, 0, false, 'send'],
    ['a forum post in doubt, just now', since, 0, false, 'check-first'],
    [
      'a forum post in doubt, inside the nonce margin',
      since,
      NONCE_SAFE_MS - 1,
      false,
      'check-first',
    ],
    ['a forum post in doubt, past the nonce margin', since, NONCE_SAFE_MS, false, 'check-first'],
  ] as const)('%s → %s', (_name, inDoubtSince, after, covered, expected) => {
    const record = recordIn('sending', inDoubtSince ? { inDoubtSince } : {});
    expect(chooseAttempt(record, new Date(since.getTime() + after), covered)).toBe(expected);
  });

  it.each([
    ['a message to the channel of the attempt in doubt', 'c1', { id: 'c1', kind: 'text' }, true],
    ['a message to a channel set up before kinds were kept', 'c1', { id: 'c1' }, true],
    ['an announcement to the same channel', 'c1', { id: 'c1', kind: 'announcement' }, true],
    ['a forum post', 'c1', { id: 'c1', kind: 'forum' }, false],
    [
      'a message to another channel than the attempt in doubt',
      'c0',
      { id: 'c1', kind: 'text' },
      false,
    ],
    ['a first attempt', undefined, { id: 'c1', kind: 'text' }, true],
  ] as const)('the nonce covers %s: %s', (_name, inDoubtChannel, channel, expected) => {
    expect(isCoveredByNonce(inDoubtChannel, channel)).toBe(expected);
  });
});

it('final states are exactly those nothing moves out of', () => {
  const stuck = DELIVERY_STATES.filter((state) => TABLE[state].every((to) => to === '-'));
  expect(stuck.sort()).toEqual([...FINAL_STATES].sort());
});

it('retry delay: 1, 2, 4, 8 minutes, capped at 15', () => {
  expect([1, 2, 3, 4, 5, 9].map(computeRetryDelay)).toEqual(
    [1, 2, 4, 8, 15, 15].map((m) => m * 60_000),
  );
});
