import { expect, it } from 'vitest';
import type { GuildSettingsPatch } from '../../src/domain/guild-settings.js';
import { SchedulerHarness } from '../support/scheduler-harness.js';

/**
 * A year of ticks (a leap year, 1 December 2027 to 1 December 2028) for servers with
 * varied settings, with settings changes, outages and a crash in the middle of a fan-out. An
 * independent oracle lists what each server must receive; the run must match it exactly.
 */
const START = '2027-12-01T00:00:00Z';
const END = '2028-12-01T00:00:00Z';

interface Change {
  at: string;
  patch: GuildSettingsPatch;
}

const GUILDS: Record<string, Change[]> = {
  defaults: [{ at: START, patch: {} }],
  eveEvening: [{ at: START, patch: { eveReminder: true, postTime: { hour: 18, minute: 30 } } }],
  midnightAz: [
    { at: START, patch: { momentPosts: false, language: 'az', postTime: { hour: 0, minute: 0 } } },
  ],
  lastMinute: [{ at: START, patch: { eveReminder: true, postTime: { hour: 23, minute: 59 } } }],
  januaryOnly: [
    {
      at: START,
      patch: { disabledObservances: ['khojaly', 'march-31'], silent: true, roleId: '42' },
    },
  ],
  changesMind: [
    { at: START, patch: { eveReminder: true } },
    // On quiet days: between the observances.
    {
      at: '2028-02-01T12:00:00Z',
      patch: { postTime: { hour: 6, minute: 15 }, disabledObservances: ['march-31'] },
    },
    { at: '2028-03-10T12:00:00Z', patch: { disabledObservances: [], eveReminder: false } },
  ],
  // Sets the bot up on the morning of 26 February, after the 09:00 post: that one is not owed.
  joinsLate: [{ at: '2028-02-26T07:00:00Z', patch: { eveReminder: true } }],
  // Stops posting in March.
  leaves: [
    { at: START, patch: {} },
    { at: '2028-03-15T00:00:00Z', patch: { channelId: null } },
  ],
};

/** Outages: no ticks from `from` until `to`, then a restart. */
const OUTAGES = [
  // Restart inside the day post's window: late post; the silence at 12:00 is on time.
  { from: '2028-01-20T04:30:00Z', to: '2028-01-20T06:00:30Z' },
  // Two whole days around Khojaly: its eve and day posts are missed for everyone then set up.
  { from: '2028-02-24T23:00:00Z', to: '2028-02-27T00:00:00Z' },
  // A short one over the last-minute posters' eve post.
  { from: '2028-03-30T19:58:00Z', to: '2028-03-30T20:00:00Z' },
];
/** The 09:00 fan-out on 31 March dies after claiming this server's post, before sending it. */
const CRASH = { at: '2028-03-31T05:00:00Z', guild: 'defaults', restartAt: '2028-03-31T05:00:40Z' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How close to a post time the ticks come every minute. */
const AROUND = 5 * MINUTE;

/**
 * The next tick: every minute from five minutes before each post time any server is owed until
 * five minutes after it; every hour in between, where no post falls due. The oracle below reads
 * the ticks actually made, so the sparse stretches cannot hide a post.
 */
function makeTickSchedule(postTimes: readonly number[]): (t: number) => number {
  return (t) => {
    const near = postTimes.find((at) => at + AROUND >= t);
    if (near !== undefined && near - AROUND <= t) return t + MINUTE;
    return near === undefined ? t + HOUR : Math.min(t + HOUR, near - AROUND);
  };
}

it('delivers exactly the expected posts over a year, across restarts, outages and a crash', {
  timeout: 120_000,
}, async () => {
  const h = new SchedulerHarness(START);
  const changes = Object.entries(GUILDS)
    .flatMap(([guild, list]) =>
      list.map((change) => ({ guild, at: new Date(change.at).getTime(), patch: change.patch })),
    )
    .sort((a, b) => a.at - b.at);
  const outages = OUTAGES.map((o) => ({
    from: new Date(o.from).getTime(),
    to: new Date(o.to).getTime(),
  }));
  const ticks: number[] = [];
  let crashed = false;
  const nextTick = makeTickSchedule(
    [
      ...new Set(Object.values(GUILDS).flatMap((list) => owedPosts(list).map((post) => post.at))),
    ].sort((a, b) => a - b),
  );

  const tick = async (t: number) => {
    while (changes[0] && changes[0].at <= t) {
      const change = changes.shift();
      if (!change) break;
      h.clock.set(new Date(change.at));
      h.settings.updateNow(
        change.guild,
        { channelId: `channel-${change.guild}`, ...change.patch },
        h.clock.now(),
      );
    }
    ticks.push(t);
    if (!crashed && t === new Date(CRASH.at).getTime()) {
      crashed = true;
      h.publisher.decide = (channel) => (channel === `channel-${CRASH.guild}` ? 'hang' : 'deliver');
      await h.tickAndCrash(new Date(t));
      h.publisher.decide = () => 'deliver';
      h.clock.set(CRASH.restartAt);
      h.boot();
      ticks.push(new Date(CRASH.restartAt).getTime());
      await h.tickAt(CRASH.restartAt);
      return;
    }
    await h.tickAt(new Date(t));
  };

  for (let t = new Date(START).getTime(); t < new Date(END).getTime(); t = nextTick(t)) {
    const outage = outages.find((o) => t >= o.from && t < o.to);
    if (outage) {
      if (nextTick(t) >= outage.to) {
        h.clock.set(new Date(outage.to));
        h.boot();
        await tick(outage.to);
      }
      continue;
    }
    await tick(t);
  }

  // The oracle: for each server and each post its settings called for, was any tick inside the
  // post's window? Then exactly one message, late when the first such tick was a minute or more
  // after its time; otherwise a "missed" record.
  const expected = new Map<string, string>();
  for (const [guild, list] of Object.entries(GUILDS)) {
    for (const post of owedPosts(list)) {
      const first = ticks.find((t) => t >= post.at && t < post.closesAt);
      const key = `${guild} ${post.observanceId}/${post.kind}/${post.year}`;
      expected.set(
        key,
        first === undefined ? 'missed' : first - post.at >= MINUTE ? 'sent late' : 'sent',
      );
    }
  }

  const actual = new Map<string, string>();
  for (const message of h.publisher.messages) {
    const guild = message.channelId.replace('channel-', '');
    const record = (await h.deliveries.listForGuild(guild, 100)).find(
      (r) => r.messageId === message.id,
    );
    const key = `${guild} ${record?.observanceId}/${record?.kind}/${record?.year}`;
    expect(actual.has(key), `${key} was sent twice`).toBe(false);
    const late =
      message.payload.embeds[0]?.description.startsWith('*This post was due at') ?? false;
    actual.set(key, late ? 'sent late' : 'sent');
  }
  for (const guild of Object.keys(GUILDS)) {
    for (const record of await h.deliveries.listForGuild(guild, 100)) {
      if (record.status === 'sent' || record.status === 'planned') continue;
      expect(record.status).toBe('missed');
      actual.set(`${guild} ${record.observanceId}/${record.kind}/${record.year}`, 'missed');
    }
  }

  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  // The scenario exercises every path it claims to.
  const outcomes = [...expected.values()];
  expect(outcomes.filter((o) => o === 'sent').length).toBeGreaterThan(15);
  expect(outcomes).toContain('sent late');
  expect(outcomes).toContain('missed');
  expect(
    h.publisher.messages.find((m) => m.channelId === 'channel-januaryOnly')?.payload
      .allowed_mentions,
  ).toEqual({
    parse: [],
    roles: ['42'],
  });
});

/**
 * The oracle's own calendar, written from the observances' definitions and nothing in src/:
 * Baku is UTC+4 all year (no daylight saving since 2016).
 */
const BAKU_OFFSET_MS = 4 * 3600_000;
const ORACLE_OBSERVANCES = [
  { id: 'january-20', month: 1, day: 20, moments: [{ id: 'silence', hour: 12, minute: 0 }] },
  { id: 'khojaly', month: 2, day: 26, moments: [] },
  { id: 'march-31', month: 3, day: 31, moments: [] },
] as const;

interface OraclePost {
  observanceId: string;
  kind: 'eve' | 'day' | 'moment';
  year: number;
  at: number;
  closesAt: number;
}

interface OracleSettings {
  hour: number;
  minute: number;
  eve: boolean;
  moments: boolean;
  disabled: readonly string[];
}

function bakuInstant(year: number, month: number, day: number, hour: number, minute: number) {
  return Date.UTC(year, month - 1, day, hour, minute) - BAKU_OFFSET_MS;
}

/** Every post these settings call for, in the observance years around the simulated one. */
function oraclePosts(settings: OracleSettings): OraclePost[] {
  const posts: OraclePost[] = [];
  for (const year of [2027, 2028, 2029]) {
    for (const o of ORACLE_OBSERVANCES) {
      if (settings.disabled.includes(o.id)) continue;
      const endOfDay = bakuInstant(year, o.month, o.day + 1, 0, 0);
      const day = bakuInstant(year, o.month, o.day, settings.hour, settings.minute);
      posts.push({ observanceId: o.id, kind: 'day', year, at: day, closesAt: endOfDay });
      if (settings.eve) {
        const eve = day - 24 * 3600_000;
        posts.push({
          observanceId: o.id,
          kind: 'eve',
          year,
          at: eve,
          closesAt: endOfDay - 24 * 3600_000,
        });
      }
      if (settings.moments) {
        for (const m of o.moments) {
          const at = bakuInstant(year, o.month, o.day, m.hour, m.minute);
          posts.push({ observanceId: o.id, kind: 'moment', year, at, closesAt: at + 15 * MINUTE });
        }
      }
    }
  }
  return posts;
}

/** The posts a server's settings called for during the year, setting by setting. */
function owedPosts(changes: readonly Change[]): OraclePost[] {
  const posts: OraclePost[] = [];
  let settings: OracleSettings = { hour: 9, minute: 0, eve: false, moments: true, disabled: [] };
  let active = false;
  let activeSince = 0;
  changes.forEach((change, index) => {
    const from = new Date(change.at).getTime();
    const until = new Date(changes[index + 1]?.at ?? END).getTime();
    const { patch } = change;
    if (patch.channelId === null) {
      active = false;
      return;
    }
    if (!active) activeSince = from;
    active = true;
    settings = {
      hour: patch.postTime?.hour ?? settings.hour,
      minute: patch.postTime?.minute ?? settings.minute,
      eve: patch.eveReminder ?? settings.eve,
      moments: patch.momentPosts ?? settings.moments,
      disabled: patch.disabledObservances ?? settings.disabled,
    };
    for (const post of oraclePosts(settings)) {
      if (post.at >= from && post.at < until && post.at >= activeSince) posts.push(post);
    }
  });
  return posts;
}
