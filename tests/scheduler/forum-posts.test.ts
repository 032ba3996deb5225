import { describe, expect, it } from 'vitest';
import { SchedulerHarness } from '../support/scheduler-harness.js';

/**
 * A forum post has no nonce, so each of these would post twice if the scheduler resent it the way
 * it resends a channel message inside the nonce window.
 */
function forumServer(): SchedulerHarness {
  const h = new SchedulerHarness('2027-02-26T04:59:00Z');
  h.configure('g1', { channelKind: 'forum', forumTagId: 'tag-1' });
  return h;
}

describe('forum posts', () => {
  it('start a forum post titled with the day and the year, with the tag', async () => {
    const h = forumServer();
    await h.tickAt('2027-02-26T05:00:00Z');
    expect(h.publisher.messages).toMatchObject([
      { channelId: 'channel-g1', nonce: '', title: 'Day of the Khojaly Genocide 2027' },
    ]);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({ status: 'sent' });
  });

  it('Discord stores the post and answers 5xx: found on the next minute, not posted again', async () => {
    const h = forumServer();
    let failing = true;
    h.publisher.decide = () => (failing ? 'store-then-server-error' : 'deliver');
    await h.tickAt('2027-02-26T05:00:00Z');
    failing = false;
    // Well inside any nonce window: a channel message would be resent here with its nonce.
    await h.tickEveryMinute('2027-02-26T05:01:00Z', '2027-02-26T05:05:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect(h.publisher.checks).toHaveLength(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'sent',
      messageId: h.publisher.messages[0]?.id,
    });
  });

  it('a crash after the post was created: the restarted scheduler finds it', async () => {
    const h = forumServer();
    h.publisher.decide = () => 'deliver-then-hang';
    await h.tickAndCrash('2027-02-26T05:00:00Z');
    h.publisher.decide = () => 'deliver';
    h.boot();
    await h.tickEveryMinute('2027-02-26T05:00:30Z', '2027-02-26T05:03:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({ status: 'sent' });
  });

  it('a crash before the post was created: the search says "absent", then it is posted once', async () => {
    const h = forumServer();
    h.publisher.decide = () => 'hang';
    await h.tickAndCrash('2027-02-26T05:00:00Z');
    h.publisher.decide = () => 'deliver';
    h.boot();
    await h.tickEveryMinute('2027-02-26T05:00:30Z', '2027-02-26T05:03:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect(h.publisher.checks.length).toBeGreaterThanOrEqual(1);
  });

  it('no search possible (no Read Message History): never resent, unconfirmed', async () => {
    const h = forumServer();
    h.publisher.historyReadable = false;
    let failing = true;
    h.publisher.decide = () => (failing ? 'store-then-server-error' : 'deliver');
    await h.tickAt('2027-02-26T05:00:00Z');
    failing = false;
    await h.tickEveryMinute('2027-02-26T05:01:00Z', '2027-02-26T05:05:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'unconfirmed',
      reason: 'history-unreadable',
    });
  });

  it('the search keeps failing (Discord down): never resent, unconfirmed once the window closes', async () => {
    const h = forumServer();
    h.publisher.failChecks = true;
    h.publisher.decide = () => 'store-then-server-error';
    await h.tickAt('2027-02-26T05:00:00Z');
    h.publisher.decide = () => 'deliver';
    await h.tickEveryMinute('2027-02-26T05:01:00Z', '2027-02-26T05:40:00Z');
    await h.tickAt('2027-02-26T20:00:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({ status: 'unconfirmed' });
  });
});
