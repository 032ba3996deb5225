import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/domain/delivery-record.js';
import type { ChannelKind } from '../../src/domain/guild-settings.js';
import type { PostKind } from '../../src/domain/observance.js';
import {
  FOLLOW_UP_RETRY_MS,
  FOLLOW_UP_WINDOW_MS,
  type FollowUpOutcome,
  planFollowUps,
  settlePublish,
  settleThread,
} from '../../src/domain/post-follow-ups.js';

const SENT_AT = new Date('2027-02-26T05:00:00Z');
const NOW = new Date('2027-02-26T05:00:30Z');

function sentPost(kind: PostKind, extra: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    guildId: 'g',
    observanceId: 'khojaly',
    kind,
    momentId: kind === 'moment' ? 'silence' : '',
    year: 2027,
    status: 'sent',
    scheduledAt: SENT_AT,
    closesAt: new Date('2027-02-26T20:00:00Z'),
    nonce: 'n',
    attempts: 1,
    late: false,
    messageId: 'm',
    updatedAt: SENT_AT,
    ...extra,
  };
}

describe('which follow-ups a sent post owes', () => {
  // [publish, thread, channel kind, post kind] → [publish pending, thread pending]
  it.each<[boolean, boolean, ChannelKind | undefined, PostKind, boolean, boolean]>([
    [true, false, 'announcement', 'day', true, false],
    [true, false, 'announcement', 'eve', true, false],
    [true, false, 'announcement', 'moment', true, false],
    [false, false, 'announcement', 'day', false, false],
    [true, false, 'text', 'day', false, false],
    // Set up before the kind was recorded: looked up before publishing.
    [true, false, undefined, 'day', true, false],
    [true, true, 'forum', 'day', false, false],
    [false, true, 'text', 'day', false, true],
    [false, true, 'text', 'eve', false, false],
    [false, true, 'text', 'moment', false, false],
    [true, true, 'announcement', 'day', true, true],
    [false, true, undefined, 'day', false, true],
  ])('publish %s, thread %s, %s channel, %s post', (publish, thread, channelKind, kind, p, t) => {
    const planned = planFollowUps(
      sentPost(kind),
      { publish, thread, ...(channelKind ? { channelKind } : {}) },
      NOW,
    );
    expect(planned.publish).toEqual(p ? { state: 'pending', nextAt: NOW } : undefined);
    expect(planned.thread).toEqual(t ? { state: 'pending', nextAt: NOW } : undefined);
  });

  it('only for a sent post, and never over steps already recorded', () => {
    const settings = { publish: true, thread: true, channelKind: 'announcement' as const };
    expect(planFollowUps(sentPost('day', { status: 'retry' }), settings, NOW).publish).toBe(
      undefined,
    );
    const done = sentPost('day', {
      publish: { state: 'published' },
      thread: { state: 'started', threadId: 'm' },
    });
    expect(planFollowUps(done, settings, NOW)).toEqual(done);
  });
});

describe('one attempt at a step', () => {
  const pending = { state: 'pending' as const, nextAt: SENT_AT };
  const cases: Array<[string, FollowUpOutcome, Date, unknown]> = [
    ['done', { type: 'done' }, NOW, { state: 'published' }],
    ['not applicable after all', { type: 'not-applicable' }, NOW, undefined],
    [
      'rate limited: tried again when Discord says',
      { type: 'rate-limited', retryAfterMs: 45 * 60_000, detail: '429' },
      NOW,
      {
        state: 'pending',
        nextAt: new Date(NOW.getTime() + 45 * 60_000),
        reason: 'rate-limited',
        detail: '429',
      },
    ],
    [
      'transient: tried again in five minutes',
      { type: 'transient', detail: '503' },
      NOW,
      {
        state: 'pending',
        nextAt: new Date(NOW.getTime() + FOLLOW_UP_RETRY_MS),
        reason: 'transient',
        detail: '503',
      },
    ],
    [
      'refused: failed with the reason',
      { type: 'refused', reason: 'missing-permissions', detail: '403 50013' },
      NOW,
      { state: 'failed', reason: 'missing-permissions', detail: '403 50013' },
    ],
    [
      'a wait past a day after the post: given up',
      { type: 'rate-limited', retryAfterMs: 60 * 60_000, detail: '429' },
      new Date(SENT_AT.getTime() + FOLLOW_UP_WINDOW_MS - 30 * 60_000),
      { state: 'failed', reason: 'expired', detail: '429' },
    ],
  ];
  it.each(cases)('publish: %s', (_name, outcome, now, expected) => {
    expect(settlePublish(outcome, SENT_AT, now)).toEqual(expected);
  });

  it('thread: done records the thread id, and keeps a known one when Discord gave none', () => {
    expect(settleThread(pending, { type: 'done', threadId: 't' }, SENT_AT, NOW)).toEqual({
      state: 'started',
      threadId: 't',
    });
    expect(settleThread({ ...pending, threadId: 'm' }, { type: 'done' }, SENT_AT, NOW)).toEqual({
      state: 'started',
      threadId: 'm',
    });
  });
});
