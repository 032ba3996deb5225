import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryKey, DeliveryRecord } from '../../src/domain/delivery-record.js';
import type { ChannelKind, GuildSettingsPatch } from '../../src/domain/guild-settings.js';
import type { FollowUpOutcome } from '../../src/domain/post-follow-ups.js';
import { FollowUpRunner, type FollowUpTerm } from '../../src/scheduler/follow-up-post.js';
import type {
  ChannelKindAnswer,
  FollowUpPublisher,
} from '../../src/scheduler/follow-up-publisher.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { SqliteDeliveryRepository } from '../../src/storage/sqlite-delivery-repository.js';
import { SqliteGuildSettingsRepository } from '../../src/storage/sqlite-guild-settings-repository.js';
import { TestClock } from '../support/test-clock.js';
import { getFixtureContent } from '../support/test-content.js';

const T0 = new Date('2027-02-26T05:00:00Z');
const key: DeliveryKey = {
  guildId: 'g',
  observanceId: 'khojaly',
  kind: 'day',
  momentId: '',
  year: 2027,
};

/** Records every call and answers as told. */
class StubFollowUps implements FollowUpPublisher {
  readonly calls: string[] = [];
  crosspostAnswer: FollowUpOutcome | Error = { type: 'done' };
  kind: ChannelKind = 'announcement';

  async crosspost(channelId: string, messageId: string): Promise<FollowUpOutcome> {
    this.calls.push(`crosspost ${channelId} ${messageId}`);
    if (this.crosspostAnswer instanceof Error) throw this.crosspostAnswer;
    return this.crosspostAnswer;
  }

  async startThread(channelId: string, messageId: string, name: string) {
    this.calls.push(`thread ${channelId} ${messageId} ${name}`);
    return { type: 'done' as const, threadId: messageId };
  }

  async readChannelKind(channelId: string): Promise<ChannelKindAnswer> {
    this.calls.push(`kind ${channelId}`);
    return { outcome: 'kind', kind: this.kind };
  }
}

describe('the follow-ups of sent posts, run after the tick', () => {
  const db = openDatabase(':memory:');
  let deliveries: SqliteDeliveryRepository;
  let settings: SqliteGuildSettingsRepository;
  let publisher: StubFollowUps;
  let runner: FollowUpRunner;
  let clock: TestClock;
  const term = (postsWaiting = false): FollowUpTerm => ({
    pace: async () => {},
    postsWaiting: () => postsWaiting,
  });

  beforeEach(() => {
    db.exec('DELETE FROM deliveries; DELETE FROM guild_settings;');
    deliveries = new SqliteDeliveryRepository(db);
    settings = new SqliteGuildSettingsRepository(db);
    publisher = new StubFollowUps();
    clock = new TestClock(T0.toISOString());
    runner = new FollowUpRunner({
      content: getFixtureContent(),
      settings,
      deliveries,
      publisher,
      clock,
      logger: pino({ level: 'silent' }),
    });
  });

  async function sentPost(patch: GuildSettingsPatch, followUps: Partial<DeliveryRecord>) {
    settings.updateNow('g', { channelId: 'c', ...patch }, T0);
    await deliveries.insertPlanned(
      [{ ...key, scheduledAt: T0, closesAt: new Date('2027-02-26T20:00:00Z'), nonce: 'n' }],
      T0,
    );
    const planned = await deliveries.find(key);
    if (!planned) throw new Error('not planned');
    const { nextAttemptAt: _n, ...rest } = planned;
    await deliveries.save(
      { ...rest, status: 'sent', channelId: 'c', messageId: 'm', updatedAt: T0, ...followUps },
      planned,
    );
  }

  it('publishes with the recorded kind, and starts the thread named in the post language', async () => {
    await sentPost(
      { channelKind: 'announcement', thread: true, language: 'az' },
      {
        publish: { state: 'pending', nextAt: T0 },
        thread: { state: 'pending', nextAt: T0 },
      },
    );
    expect(await runner.runDue(T0, term())).toEqual({
      published: 1,
      threads: 1,
      waiting: 0,
      failed: 0,
    });
    expect(publisher.calls).toEqual(['crosspost c m', 'thread c m Xocalı soyqırımı günü, 2027']);
    const stored = await deliveries.find(key);
    expect(stored?.publish).toEqual({ state: 'published' });
    expect(stored?.thread).toEqual({ state: 'started', threadId: 'm' });
  });

  it('takes up, in the same tick, posts recorded after the tick began (the fan-out takes time)', async () => {
    const recordedAt = new Date(T0.getTime() + 20_000);
    await sentPost(
      { channelKind: 'announcement' },
      { publish: { state: 'pending', nextAt: recordedAt } },
    );
    clock.set(recordedAt);
    await runner.runDue(T0, term());
    expect((await deliveries.find(key))?.publish).toEqual({ state: 'published' });
  });

  it('posts go first: with posts waiting it does nothing, and the steps stay due', async () => {
    await sentPost({ channelKind: 'announcement' }, { publish: { state: 'pending', nextAt: T0 } });
    await runner.runDue(T0, term(true));
    expect(publisher.calls).toEqual([]);
    expect(await deliveries.listDueFollowUps(T0, 10)).toHaveLength(1);
  });

  it("asks Discord once for the kind of a channel set up before it was recorded, and records it; a text channel's post is not published", async () => {
    await sentPost({}, { publish: { state: 'pending', nextAt: T0 } });
    publisher.kind = 'text';
    await runner.runDue(T0, term());
    expect(publisher.calls).toEqual(['kind c']);
    expect((await settings.find('g'))?.channelKind).toBe('text');
    expect((await deliveries.find(key))?.publish).toBeUndefined();
  });

  it('publishing turned off since the post: nothing is published, and the step is dropped', async () => {
    await sentPost(
      { channelKind: 'announcement', publish: false },
      { publish: { state: 'pending', nextAt: T0 } },
    );
    await runner.runDue(T0, term());
    expect(publisher.calls).toEqual([]);
    expect((await deliveries.find(key))?.publish).toBeUndefined();
  });

  it('waits as long as Discord says, and an error inside leaves the step due', async () => {
    await sentPost({ channelKind: 'announcement' }, { publish: { state: 'pending', nextAt: T0 } });
    publisher.crosspostAnswer = { type: 'rate-limited', retryAfterMs: 40 * 60_000, detail: '429' };
    await runner.runDue(T0, term());
    const waiting = (await deliveries.find(key))?.publish;
    expect(waiting).toMatchObject({ state: 'pending', reason: 'rate-limited' });
    expect(waiting?.nextAt).toEqual(new Date(T0.getTime() + 40 * 60_000));
    const later = new Date(T0.getTime() + 40 * 60_000);
    publisher.crosspostAnswer = new Error('socket hang up');
    await runner.runDue(later, term());
    expect((await deliveries.find(key))?.publish).toEqual(waiting);
    publisher.crosspostAnswer = { type: 'done' };
    await runner.runDue(later, term());
    expect((await deliveries.find(key))?.publish).toEqual({ state: 'published' });
    expect(publisher.calls).toHaveLength(3);
  });

  it('one run at a time: a run started while another is going adds nothing', async () => {
    await sentPost({ channelKind: 'announcement' }, { publish: { state: 'pending', nextAt: T0 } });
    const [a, b] = await Promise.all([runner.runDue(T0, term()), runner.runDue(T0, term())]);
    expect(a.published + b.published).toBe(1);
    expect(publisher.calls).toEqual(['crosspost c m']);
  });
});
