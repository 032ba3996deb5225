import { describe, expect, it } from 'vitest';
import { SUPPRESS_NOTIFICATIONS } from '../../src/domain/message-payload.js';
import { describeInEachHostTimeZone } from '../support/host-time-zones.js';
import { SchedulerHarness } from '../support/scheduler-harness.js';

const JAN_20 = {
  eve: '2027-01-19T05:00:00.000Z',
  day: '2027-01-20T05:00:00.000Z',
  moment: '2027-01-20T08:00:00.000Z',
};

describeInEachHostTimeZone('each kind fires at its Baku time', () => {
  it('sends the eve, the day and the minute of silence at 09:00, 09:00 and 12:00 Baku time', async () => {
    const h = new SchedulerHarness('2027-01-19T04:50:00Z');
    h.configure('g1', { eveReminder: true });
    await h.tickEveryMinute('2027-01-19T04:50:00Z', '2027-01-20T08:30:00Z');
    expect(
      h.publisher.messages.map((m) => [m.at.toISOString(), m.payload.embeds[0]?.title]),
    ).toEqual([
      [JAN_20.eve, 'Tomorrow: National Mourning Day'],
      [JAN_20.day, 'National Mourning Day'],
      [JAN_20.moment, 'One minute of silence · 12:00 Baku time'],
    ]);
    expect(
      h.publisher.messages.every((m) => !m.payload.embeds[0]?.description.includes('sent late')),
    ).toBe(true);
  });
});

describe('exactly once across crashes', () => {
  it('sends once when the process died between claiming and sending', async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'hang';
    await h.tickAndCrash(JAN_20.day);
    expect((await h.deliveries.listForGuild('g1', 5))[0]?.status).toBe('sending');

    h.publisher.decide = () => 'deliver';
    h.clock.set('2027-01-20T05:00:30Z');
    h.boot();
    await h.tickAt('2027-01-20T05:01:00Z');
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('sends once when the process died between sending and recording (the nonce dedups)', async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'deliver-then-hang';
    await h.tickAndCrash(JAN_20.day);
    expect(h.publisher.countIn('channel-g1')).toBe(1);

    h.publisher.decide = () => 'deliver';
    h.boot();
    await h.tickAt('2027-01-20T05:01:00Z');
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    const [message] = h.publisher.messages;
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'sent',
      messageId: message?.id,
    });
    // Further ticks, by this process or yet another one, send nothing more.
    await h.tickEveryMinute('2027-01-20T05:02:00Z', '2027-01-20T05:10:00Z');
    h.boot();
    await h.tickAt('2027-01-20T06:00:00Z');
    expect(h.publisher.calls).toBe(2);
  });

  it("after Discord's duplicate protection may have expired, finds the post in the channel instead of resending", async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'deliver-then-hang';
    await h.tickAndCrash(JAN_20.day);

    h.publisher.decide = () => 'deliver';
    h.boot();
    await h.tickAt('2027-01-20T05:10:00Z');
    expect(h.publisher.calls).toBe(1);
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'sent',
      messageId: h.publisher.messages[0]?.id,
    });
  });

  it('a post in doubt that a moderator has since deleted is recorded as deleted, never sent again', async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'timeout';
    await h.tickAt(JAN_20.day);
    h.publisher.deleteMessage(h.publisher.messages[0]?.id ?? '');

    h.publisher.decide = () => 'deliver';
    await h.tickEveryMinute('2027-01-20T05:01:00Z', '2027-01-20T05:30:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    expect(h.publisher.calls).toBe(2);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'deleted',
      reason: 'message-deleted',
    });
  });

  it('without Read Message History, marks such a post unconfirmed and never resends it', async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'deliver-then-hang';
    await h.tickAndCrash(JAN_20.day);

    h.publisher.decide = () => 'deliver';
    h.publisher.historyReadable = false;
    h.boot();
    await h.tickEveryMinute('2027-01-20T05:10:00Z', '2027-01-20T05:20:00Z');
    expect(h.publisher.calls).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'unconfirmed',
      reason: 'history-unreadable',
    });
  });

  it('a send that timed out (it may have arrived) is retried with the same nonce: one message', async () => {
    const h = new SchedulerHarness('2027-01-20T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'timeout';
    await h.tickAt(JAN_20.day);
    expect((await h.deliveries.listForGuild('g1', 5))[0]?.status).toBe('in-doubt');
    h.publisher.decide = () => 'deliver';
    await h.tickAt('2027-01-20T05:01:00Z');
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]?.status).toBe('sent');
  });
});

describe('catch-up after downtime, at both edges of each window', () => {
  /** The bot ran until `downFrom`, then started again at `upAt`. */
  async function restart(downFrom: string, upAt: string) {
    const h = new SchedulerHarness('2027-01-18T00:00:00Z');
    h.configure('g1', { eveReminder: true });
    await h.tickAt(downFrom);
    h.clock.set(upAt);
    h.boot();
    await h.tickAt(upAt);
    const sent = h.publisher.messages.map((m) => ({
      title: m.payload.embeds[0]?.title,
      late: m.payload.embeds[0]?.description.startsWith('*This post was due at') ?? false,
    }));
    const missed = (await h.deliveries.listForGuild('g1', 10))
      .filter((r) => r.status === 'missed')
      .map((r) => `${r.kind}:${r.reason}`);
    return { sent, missed };
  }

  it.each([
    [
      'eve, last second of the eve',
      '2027-01-19T04:00:00Z',
      '2027-01-19T19:59:59Z',
      ['Tomorrow: National Mourning Day'],
      [],
    ],
    ['eve, at midnight', '2027-01-19T04:00:00Z', '2027-01-19T20:00:00Z', [], ['eve:offline']],
    [
      'day, last second of the day',
      '2027-01-20T04:00:00Z',
      '2027-01-20T19:59:59Z',
      ['National Mourning Day'],
      ['moment:offline'],
    ],
    [
      'day, at midnight',
      '2027-01-20T04:00:00Z',
      '2027-01-20T20:00:00Z',
      [],
      ['moment:offline', 'day:offline'],
    ],
    [
      'moment, 14:59 after',
      '2027-01-20T07:00:00Z',
      '2027-01-20T08:14:59Z',
      ['National Mourning Day', 'One minute of silence · 12:00 Baku time'],
      [],
    ],
    [
      'moment, 15 minutes after',
      '2027-01-20T07:00:00Z',
      '2027-01-20T08:15:00Z',
      ['National Mourning Day'],
      ['moment:offline'],
    ],
  ])('%s', async (_name, downFrom, upAt, sentTitles, missed) => {
    const result = await restart(downFrom, upAt);
    expect(result.sent.map((s) => s.title)).toEqual(sentTitles);
    expect(result.sent.every((s) => s.late)).toBe(true);
    expect(result.missed.sort()).toEqual([...missed].sort());
  });

  it('says when it is late, and when the post was due', async () => {
    const { sent } = await restart('2027-01-20T04:00:00Z', '2027-01-20T10:00:00Z');
    expect(sent[0]?.late).toBe(true);
  });

  it('does not owe posts that were due before the server set the bot up', async () => {
    const h = new SchedulerHarness('2027-01-20T06:00:00Z');
    h.configure('g1');
    await h.tickEveryMinute('2027-01-20T06:00:00Z', '2027-01-20T08:00:00Z');
    expect(h.publisher.messages.map((m) => m.payload.embeds[0]?.title)).toEqual([
      'One minute of silence · 12:00 Baku time',
    ]);
  });
});

describe('failures the admin must fix', () => {
  it('records a deleted channel, does not retry, and does not hold up other servers', async () => {
    const h = new SchedulerHarness('2027-02-26T04:59:00Z');
    h.configure('g1');
    h.configure('g2');
    h.publisher.decide = (channel) => (channel === 'channel-g1' ? 'unknown-channel' : 'deliver');
    await h.tickEveryMinute('2027-02-26T05:00:00Z', '2027-02-26T05:30:00Z');
    expect(h.publisher.calls).toBe(2);
    expect(h.publisher.countIn('channel-g2')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'failed',
      reason: 'unknown-channel',
    });

    // The admin picks another channel: the post goes out there, late, once.
    h.settings.updateNow('g1', { channelId: 'channel-new' }, h.clock.now());
    h.publisher.decide = () => 'deliver';
    await h.tickEveryMinute('2027-02-26T05:31:00Z', '2027-02-26T05:40:00Z');
    expect(h.publisher.countIn('channel-new')).toBe(1);
    expect((await h.deliveries.listForGuild('g1', 5))[0]?.status).toBe('sent');
  });

  it('marks a refusal that is never fixed as missed when its window closes, keeping the reason', async () => {
    const h = new SchedulerHarness('2027-02-26T04:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'forbidden';
    await h.tickAt('2027-02-26T05:00:00Z');
    await h.tickAt('2027-02-26T20:00:00Z');
    expect((await h.deliveries.listForGuild('g1', 5))[0]).toMatchObject({
      status: 'missed',
      reason: 'missing-permissions',
    });
  });
});

describe('transient failures', () => {
  it('retries 5xx with backoff while the post makes sense, then sends once, saying it is late', async () => {
    const h = new SchedulerHarness('2027-02-26T04:59:00Z');
    h.configure('g1');
    let failures = 2;
    h.publisher.decide = () => (failures-- > 0 ? 'server-error' : 'deliver');
    const calls: string[] = [];
    for (const at of ['05:00', '05:01', '05:02', '05:03', '05:04']) {
      const before = h.publisher.calls;
      await h.tickAt(`2027-02-26T${at}:00Z`);
      if (h.publisher.calls > before) calls.push(at);
    }
    expect(calls).toEqual(['05:00', '05:01', '05:03']);
    expect(h.publisher.countIn('channel-g1')).toBe(1);
    expect(h.publisher.messages[0]?.payload.embeds[0]?.description).toMatch(
      /^\*This post was due at 09:00 Baku time/,
    );
  });

  it('gives up on a moment post that keeps failing once its 15 minutes pass', async () => {
    const h = new SchedulerHarness('2027-01-20T07:59:00Z');
    h.configure('g1');
    h.publisher.decide = () => 'rate-limited';
    await h.tickEveryMinute('2027-01-20T08:00:00Z', '2027-01-20T08:20:00Z');
    const moment = (await h.deliveries.listForGuild('g1', 5)).find((r) => r.kind === 'moment');
    expect(moment).toMatchObject({ status: 'missed', reason: 'transient' });
  });
});

describe('settings', () => {
  it('applies a change made between the eve and the day', async () => {
    const h = new SchedulerHarness('2027-02-25T04:59:00Z');
    h.configure('g1', { eveReminder: true });
    await h.tickAt('2027-02-25T05:00:00Z');
    h.settings.updateNow(
      'g1',
      { language: 'az', postTime: { hour: 18, minute: 0 }, roleId: '111', silent: true },
      h.clock.now(),
    );
    await h.tickEveryMinute('2027-02-26T04:55:00Z', '2027-02-26T05:05:00Z');
    expect(h.publisher.messages).toHaveLength(1);
    await h.tickEveryMinute('2027-02-26T13:58:00Z', '2027-02-26T14:02:00Z');
    const [eve, day] = h.publisher.messages;
    expect(eve?.payload.embeds[0]?.title).toBe('Tomorrow: Day of the Khojaly Genocide');
    expect(day?.at.toISOString()).toBe('2027-02-26T14:00:00.000Z');
    expect(day?.payload.embeds[0]?.title).toBe('Xocalı soyqırımı günü');
    expect(day?.payload.content).toBe('<@&111>');
    expect(day?.payload.allowed_mentions).toEqual({ parse: [], roles: ['111'] });
    expect(day?.payload.flags).toBe(SUPPRESS_NOTIFICATIONS);
  });

  it('stops posting when the channel is removed or the observance switched off', async () => {
    const h = new SchedulerHarness('2027-02-25T04:59:00Z');
    h.configure('g1', { eveReminder: true });
    h.configure('g2', { eveReminder: true });
    await h.tickAt('2027-02-25T05:00:00Z');
    h.settings.updateNow('g1', { channelId: null }, h.clock.now());
    h.settings.updateNow('g2', { disabledObservances: ['khojaly'] }, h.clock.now());
    await h.tickEveryMinute('2027-02-26T04:59:00Z', '2027-02-26T05:01:00Z');
    expect(h.publisher.messages).toHaveLength(2);
  });
});

describe('many servers', () => {
  it('delivers to 1,000 servers in one tick, exactly once each', async () => {
    const h = new SchedulerHarness('2027-03-31T04:59:00Z');
    h.db.transaction(() => {
      for (let i = 0; i < 1000; i++) h.configure(`g${i}`, { language: i % 2 ? 'az' : 'en' });
    })();
    await h.tickAt('2027-03-31T05:00:00Z');
    expect(h.publisher.messages).toHaveLength(1000);
    expect(new Set(h.publisher.messages.map((m) => m.channelId)).size).toBe(1000);
    await h.tickAt('2027-03-31T05:01:00Z');
    expect(h.publisher.calls).toBe(1000);
    expect(await h.deliveries.countByStatus()).toMatchObject({ sent: 1000 });
    expect(Object.keys(await h.deliveries.countByStatus()).sort()).toEqual(['planned', 'sent']);
  });
});
