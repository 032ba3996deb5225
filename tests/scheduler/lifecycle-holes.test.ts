import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SchedulerHarness } from '../support/scheduler-harness.js';

/**
 * Regression tests for the two holes of issue 9; both fail on the scheduler before it (verified
 * against commit d05e7bc).
 */
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('an exception after the claim never leaves a post stuck as "being sent"', () => {
  it('SQLITE_BUSY on the write that records a sent post: found and recorded later, sent once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'holes-'));
    const path = join(dir, 'bot.db');
    const h = new SchedulerHarness('2027-02-26T04:59:00Z', path);
    h.configure('g1');
    await h.tickAt('2027-02-26T04:59:00Z');
    // Another connection (a backup, say) holds the write lock while the send is in flight.
    h.db.pragma('busy_timeout = 0');
    const other = new Database(path);
    h.publisher.decide = () => {
      other.exec('BEGIN IMMEDIATE');
      return 'deliver';
    };
    // The old scheduler also failed to save its tick time here; only the delivery matters.
    await h.tickAt('2027-02-26T05:00:00Z').catch(() => {});
    other.exec('COMMIT');
    other.close();
    expect(h.publisher.countIn('channel-g1')).toBe(1);

    h.publisher.decide = () => 'deliver';
    await h.tickEveryMinute('2027-02-26T05:01:00Z', '2027-02-26T05:10:00Z');
    const [record] = await h.deliveries.listForGuild('g1', 5);
    expect(record).toMatchObject({ status: 'sent', messageId: h.publisher.messages[0]?.id });
    expect(h.publisher.countIn('channel-g1')).toBe(1);
  });
});

describe('Discord stores the message and still answers 5xx', () => {
  /** 5xx for `minutes` minutes from 05:00, each one after Discord stored the message. */
  async function run(minutes: number, historyReadable: boolean) {
    const h = new SchedulerHarness('2027-02-26T04:59:00Z');
    h.configure('g1');
    h.publisher.nonceWindowMs = 150_000;
    (h.publisher as { historyReadable?: boolean }).historyReadable = historyReadable;
    const failUntil = new Date('2027-02-26T05:00:00Z').getTime() + minutes * 60_000;
    h.publisher.decide = () =>
      h.clock.now().getTime() < failUntil
        ? ('store-then-server-error' as 'server-error')
        : 'deliver';
    await h.tickEveryMinute('2027-02-26T05:00:00Z', '2027-02-26T05:40:00Z');
    return h;
  }

  it('for longer than the nonce window: no duplicate, and the post is recorded as sent', async () => {
    const h = await run(8, true);
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'sent',
      messageId: h.publisher.messages[0]?.id,
    });
  });

  it('without Read Message History: no duplicate, and status says unconfirmed', async () => {
    const h = await run(8, false);
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({ status: 'unconfirmed' });
  });
});
