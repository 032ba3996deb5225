import {
  addDays,
  atBakuTime,
  type BakuDate,
  compareBakuDates,
  startOfBakuDay,
  toBakuDate,
} from './baku-calendar.js';
import type { LocalTime } from './local-time.js';
import type { Observance, PostKind } from './observance.js';

/** A server's choices that decide which posts it gets and when. */
export interface PostSettings {
  postTime: LocalTime;
  eveReminder: boolean;
  momentPosts: boolean;
  enabledObservances: ReadonlySet<string>;
}

export const DEFAULT_POST_TIME: LocalTime = { hour: 9, minute: 0 };

/** How long after its moment a moment post still makes sense. */
export const MOMENT_WINDOW_MS = 15 * 60 * 1000;

export interface ScheduledPost {
  observanceId: string;
  kind: PostKind;
  /** Set for moment posts: an observance may have several moments. */
  momentId?: string;
  /** The year of the observance day (the eve of 20 January 2027 belongs to 2027). */
  year: number;
  /** The Baku date the post goes out on. */
  date: BakuDate;
  at: Date;
  /** After this instant a late post no longer makes sense and the delivery counts as missed. */
  closesAt: Date;
}

/**
 * The posts due on one Baku date for one server's settings: the eve reminder for tomorrow's
 * observances, and the day and moment posts for today's.
 */
export function listPostsOnBakuDate(
  observances: readonly Observance[],
  date: BakuDate,
  settings: PostSettings,
): ScheduledPost[] {
  const tomorrow = addDays(date, 1);
  const endOfDay = startOfBakuDay(tomorrow);
  const posts: ScheduledPost[] = [];
  for (const observance of observances) {
    if (!settings.enabledObservances.has(observance.id)) continue;
    if (settings.eveReminder && isObservedOn(observance, tomorrow)) {
      posts.push({
        observanceId: observance.id,
        kind: 'eve',
        year: tomorrow.year,
        date,
        at: atBakuTime(date, settings.postTime),
        closesAt: endOfDay,
      });
    }
    if (!isObservedOn(observance, date)) continue;
    posts.push({
      observanceId: observance.id,
      kind: 'day',
      year: date.year,
      date,
      at: atBakuTime(date, settings.postTime),
      closesAt: endOfDay,
    });
    if (!settings.momentPosts) continue;
    for (const moment of observance.moments) {
      const at = atBakuTime(date, moment);
      posts.push({
        observanceId: observance.id,
        kind: 'moment',
        momentId: moment.id,
        year: date.year,
        date,
        at,
        closesAt: new Date(at.getTime() + MOMENT_WINDOW_MS),
      });
    }
  }
  return posts.sort(comparePosts);
}

/** Posts scheduled at or after `from` and before `until`, in time order. */
export function listPostsBetween(
  observances: readonly Observance[],
  from: Date,
  until: Date,
  settings: PostSettings,
): ScheduledPost[] {
  return listPostsAround(observances, from, until, settings).filter(
    (post) => post.at.getTime() >= from.getTime() && post.at.getTime() < until.getTime(),
  );
}

/**
 * Posts whose delivery window [at, closesAt) overlaps [from, until]: what a tick at `until`
 * must still deliver, or record as missed, when the previous tick ran at `from`.
 */
export function listPostsOverlapping(
  observances: readonly Observance[],
  from: Date,
  until: Date,
  settings: PostSettings,
): ScheduledPost[] {
  return listPostsAround(observances, from, until, settings).filter(
    (post) => post.at.getTime() <= until.getTime() && post.closesAt.getTime() > from.getTime(),
  );
}

function listPostsAround(
  observances: readonly Observance[],
  from: Date,
  until: Date,
  settings: PostSettings,
): ScheduledPost[] {
  // A moment window can run past midnight, so the day before `from` may still hold open posts.
  const last = toBakuDate(until);
  const posts: ScheduledPost[] = [];
  for (let date = addDays(toBakuDate(from), -1); compareBakuDates(date, last) <= 0; ) {
    if (mayHavePosts(observances, date))
      posts.push(...listPostsOnBakuDate(observances, date, settings));
    date = addDays(date, 1);
  }
  return posts;
}

function isObservedOn(observance: Observance, date: BakuDate): boolean {
  return observance.month === date.month && observance.day === date.day;
}

/** A cheap pre-check: most days of the year are neither an observance nor its eve. */
function mayHavePosts(observances: readonly Observance[], date: BakuDate): boolean {
  const tomorrow = addDays(date, 1);
  return observances.some((o) => isObservedOn(o, date) || isObservedOn(o, tomorrow));
}

function comparePosts(a: ScheduledPost, b: ScheduledPost): number {
  return a.at.getTime() - b.at.getTime() || a.observanceId.localeCompare(b.observanceId);
}

/** Whether any post at all can be open between the two instants: most minutes of a year, no. */
export function mayHavePostsBetween(
  observances: readonly Observance[],
  from: Date,
  until: Date,
): boolean {
  const last = toBakuDate(until);
  for (
    let date = addDays(toBakuDate(from), -1);
    compareBakuDates(date, last) <= 0;
    date = addDays(date, 1)
  ) {
    if (mayHavePosts(observances, date)) return true;
  }
  return false;
}
