import { describe, expect, it } from 'vitest';
import { formatBakuIso } from '../../src/domain/baku-calendar.js';
import type { Observance } from '../../src/domain/observance.js';
import {
  listPostsBetween,
  listPostsOnBakuDate,
  listPostsOverlapping,
  type ScheduledPost,
} from '../../src/domain/post-schedule.js';
import { describeInEachHostTimeZone } from '../support/host-time-zones.js';
import { getContent, makeSettings } from '../support/test-content.js';

const { observances } = getContent();

function summarize(posts: readonly ScheduledPost[]) {
  return posts.map((post) => ({
    id: post.observanceId,
    kind: post.kind,
    year: post.year,
    at: formatBakuIso(post.at),
    closesAt: formatBakuIso(post.closesAt),
  }));
}

describeInEachHostTimeZone('listPostsOnBakuDate', () => {
  it('posts the day at 09:00 and the silence at 12:00 on 20 January by default', () => {
    expect(
      summarize(
        listPostsOnBakuDate(observances, { year: 2027, month: 1, day: 20 }, makeSettings()),
      ),
    ).toEqual([
      {
        id: 'january-20',
        kind: 'day',
        year: 2027,
        at: '2027-01-20T09:00:00+04:00',
        closesAt: '2027-01-21T00:00:00+04:00',
      },
      {
        id: 'january-20',
        kind: 'moment',
        year: 2027,
        at: '2027-01-20T12:00:00+04:00',
        closesAt: '2027-01-20T12:15:00+04:00',
      },
    ]);
  });

  it('posts the eve reminder the day before, at the post time, only when it is on', () => {
    const date = { year: 2027, month: 1, day: 19 };
    expect(listPostsOnBakuDate(observances, date, makeSettings())).toEqual([]);
    expect(
      summarize(listPostsOnBakuDate(observances, date, makeSettings({ eveReminder: true }))),
    ).toEqual([
      {
        id: 'january-20',
        kind: 'eve',
        year: 2027,
        at: '2027-01-19T09:00:00+04:00',
        closesAt: '2027-01-20T00:00:00+04:00',
      },
    ]);
  });

  it('leaves out moment posts when they are off, and disabled observances entirely', () => {
    const date = { year: 2027, month: 1, day: 20 };
    expect(
      summarize(listPostsOnBakuDate(observances, date, makeSettings({ momentPosts: false }))).map(
        (p) => p.kind,
      ),
    ).toEqual(['day']);
    expect(
      listPostsOnBakuDate(
        observances,
        date,
        makeSettings({ enabledObservances: new Set(['khojaly']) }),
      ),
    ).toEqual([]);
  });

  it.each([
    // A post time of 00:00 Baku falls on the previous UTC day.
    [{ hour: 0, minute: 0 }, '2027-02-26T00:00:00+04:00', '2027-02-25T20:00:00.000Z'],
    [{ hour: 23, minute: 59 }, '2027-02-26T23:59:00+04:00', '2027-02-26T19:59:00.000Z'],
    [{ hour: 18, minute: 30 }, '2027-02-26T18:30:00+04:00', '2027-02-26T14:30:00.000Z'],
  ])('honours the post time %o', (postTime, local, utc) => {
    const [post] = listPostsOnBakuDate(
      observances,
      { year: 2027, month: 2, day: 26 },
      makeSettings({ postTime }),
    );
    expect(post && formatBakuIso(post.at)).toBe(local);
    expect(post?.at.toISOString()).toBe(utc);
  });

  it('handles leap years: nothing on 29 February, the eve of 31 March on 30 March', () => {
    const settings = makeSettings({ eveReminder: true });
    expect(listPostsOnBakuDate(observances, { year: 2028, month: 2, day: 29 }, settings)).toEqual(
      [],
    );
    expect(
      summarize(listPostsOnBakuDate(observances, { year: 2028, month: 3, day: 30 }, settings)),
    ).toEqual([
      {
        id: 'march-31',
        kind: 'eve',
        year: 2028,
        at: '2028-03-30T09:00:00+04:00',
        closesAt: '2028-03-31T00:00:00+04:00',
      },
    ]);
    expect(
      summarize(listPostsOnBakuDate(observances, { year: 2028, month: 2, day: 25 }, settings))[0]
        ?.at,
    ).toBe('2028-02-25T09:00:00+04:00');
  });

  it('puts the eve of a 1 January observance on 31 December, belonging to the new year', () => {
    const newYear: Observance = {
      ...observances[0],
      id: 'new-year',
      month: 1,
      day: 1,
      moments: [],
    } as Observance;
    const settings = makeSettings({ eveReminder: true, enabledObservances: new Set(['new-year']) });
    expect(
      summarize(listPostsOnBakuDate([newYear], { year: 2026, month: 12, day: 31 }, settings)),
    ).toEqual([
      {
        id: 'new-year',
        kind: 'eve',
        year: 2027,
        at: '2026-12-31T09:00:00+04:00',
        closesAt: '2027-01-01T00:00:00+04:00',
      },
    ]);
  });
});

describeInEachHostTimeZone('listPostsBetween', () => {
  it('lists a year of posts across the year end, in time order', () => {
    const posts = listPostsBetween(
      observances,
      new Date('2026-11-21T00:00:00Z'),
      new Date('2027-11-21T00:00:00Z'),
      makeSettings({ eveReminder: true }),
    );
    expect(summarize(posts).map((p) => `${p.id}/${p.kind} ${p.at}`)).toEqual([
      'january-20/eve 2027-01-19T09:00:00+04:00',
      'january-20/day 2027-01-20T09:00:00+04:00',
      'january-20/moment 2027-01-20T12:00:00+04:00',
      'khojaly/eve 2027-02-25T09:00:00+04:00',
      'khojaly/day 2027-02-26T09:00:00+04:00',
      'march-31/eve 2027-03-30T09:00:00+04:00',
      'march-31/day 2027-03-31T09:00:00+04:00',
    ]);
  });
});

describe('listPostsOverlapping (delivery windows)', () => {
  const at = (iso: string) => new Date(iso);
  const open = (now: string) =>
    listPostsOverlapping(observances, at(now), at(now), makeSettings({ eveReminder: true })).map(
      (post) => `${post.observanceId}/${post.kind}`,
    );

  it.each([
    ['2027-01-19T04:59:59Z', []],
    ['2027-01-19T05:00:00Z', ['january-20/eve']],
    ['2027-01-19T19:59:59Z', ['january-20/eve']],
    // At Baku midnight the eve closes and the day has not begun (its post is at 09:00).
    ['2027-01-19T20:00:00Z', []],
    ['2027-01-20T05:00:00Z', ['january-20/day']],
    ['2027-01-20T08:00:00Z', ['january-20/day', 'january-20/moment']],
    ['2027-01-20T08:14:59Z', ['january-20/day', 'january-20/moment']],
    ['2027-01-20T08:15:00Z', ['january-20/day']],
    ['2027-01-20T19:59:59Z', ['january-20/day']],
    ['2027-01-20T20:00:00Z', []],
  ])('at %s the open posts are %j', (now, expected) => {
    expect(open(now)).toEqual(expected);
  });

  it('finds every window that overlapped a stretch of downtime', () => {
    const posts = listPostsOverlapping(
      observances,
      at('2027-01-18T00:00:00Z'),
      at('2027-03-01T00:00:00Z'),
      makeSettings({ eveReminder: true }),
    );
    expect(posts.map((post) => `${post.observanceId}/${post.kind}`)).toEqual([
      'january-20/eve',
      'january-20/day',
      'january-20/moment',
      'khojaly/eve',
      'khojaly/day',
    ]);
  });
});
