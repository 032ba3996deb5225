import { expect, it } from 'vitest';
import type { ScheduledPost } from '../../src/domain/post-schedule.js';
import { computeRetryDelay, decideDelivery } from '../../src/scheduler/decide-delivery.js';
import type { DeliveryRecord } from '../../src/storage/delivery-record.js';

const post: ScheduledPost = {
  observanceId: 'khojaly',
  kind: 'day',
  year: 2027,
  date: { year: 2027, month: 2, day: 26 },
  at: new Date('2027-02-26T05:00:00Z'),
  closesAt: new Date('2027-02-26T20:00:00Z'),
};

const base: DeliveryRecord = {
  guildId: 'g',
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
  status: 'retry',
  scheduledAt: post.at,
  closesAt: post.closesAt,
  nonce: 'n',
  attempts: 1,
  late: false,
  settingsVersion: 3,
  updatedAt: post.at,
};
const record = (patch: Partial<DeliveryRecord>): DeliveryRecord => ({ ...base, ...patch });
const at = (iso: string) => new Date(iso);

it.each<[string, DeliveryRecord | undefined, string, boolean, unknown]>([
  ['new, on time', undefined, '2027-02-26T05:00:00Z', false, { action: 'send', late: false }],
  [
    'new, 59 s after its time',
    undefined,
    '2027-02-26T05:00:59Z',
    false,
    { action: 'send', late: false },
  ],
  ['new, a minute late', undefined, '2027-02-26T05:01:00Z', false, { action: 'send', late: true }],
  [
    'new, last instant of the window',
    undefined,
    '2027-02-26T19:59:59.999Z',
    false,
    { action: 'send', late: true },
  ],
  ['new, window closed', undefined, '2027-02-26T20:00:00Z', false, { action: 'miss' }],
  ['already queued here', undefined, '2027-02-26T05:00:00Z', true, { action: 'wait' }],
  ['sent', record({ status: 'sent' }), '2027-02-26T06:00:00Z', false, { action: 'wait' }],
  ['missed', record({ status: 'missed' }), '2027-02-26T06:00:00Z', false, { action: 'wait' }],
  [
    'unconfirmed',
    record({ status: 'unconfirmed' }),
    '2027-02-26T06:00:00Z',
    false,
    { action: 'wait' },
  ],
  [
    'sending in this process',
    record({ status: 'sending' }),
    '2027-02-26T06:00:00Z',
    false,
    { action: 'wait' },
  ],
  [
    'retry not yet due',
    record({ nextAttemptAt: at('2027-02-26T05:02:00Z') }),
    '2027-02-26T05:01:00Z',
    false,
    { action: 'wait' },
  ],
  [
    'retry due',
    record({ nextAttemptAt: at('2027-02-26T05:02:00Z') }),
    '2027-02-26T05:02:00Z',
    false,
    { action: 'send', late: true },
  ],
  [
    'retry in doubt, inside the nonce window',
    record({ inDoubtSince: at('2027-02-26T05:00:00Z') }),
    '2027-02-26T05:01:59Z',
    false,
    { action: 'send', late: true },
  ],
  [
    'retry in doubt, nonce window passed',
    record({ inDoubtSince: at('2027-02-26T05:00:00Z') }),
    '2027-02-26T05:02:00Z',
    false,
    { action: 'give-up' },
  ],
  [
    'retry, window closed (the sweep records it)',
    record({}),
    '2027-02-26T20:00:00Z',
    false,
    { action: 'wait' },
  ],
  [
    'refused, settings unchanged',
    record({ status: 'failed', settingsVersion: 4 }),
    '2027-02-26T06:00:00Z',
    false,
    { action: 'wait' },
  ],
  [
    'refused, settings changed since',
    record({ status: 'failed', settingsVersion: 2 }),
    '2027-02-26T06:00:00Z',
    false,
    { action: 'send', late: true },
  ],
])('%s', (_name, current, now, inFlight, expected) => {
  expect(
    decideDelivery({ post, record: current, settingsVersion: 4, now: at(now), inFlight }),
  ).toEqual(expected);
});

it('backs off 1, 2, 4, 8 minutes, capped at 15', () => {
  expect([1, 2, 3, 4, 5, 6, 20].map(computeRetryDelay)).toEqual([
    60e3, 120e3, 240e3, 480e3, 900e3, 900e3, 900e3,
  ]);
});
