import { addDays, atBakuTime, toBakuClock, toBakuDate } from './baku-calendar.js';
import type { Observance } from './observance.js';
import { listPostsOnBakuDate, type PostSettings } from './post-schedule.js';

/** How many Baku calendar days before an occasion's first post its checks come. */
export type CheckLead = 7 | 1;
export const CHECK_LEADS: readonly CheckLead[] = [7, 1];

/**
 * A re-check of everything one server's settings need from Discord, ahead of one observance.
 *
 * "7 days before" is exact: the check is due at the Baku wall-clock time of the server's first
 * post of that occasion (the eve reminder when it is on, else the day post, or the minute of
 * silence if the post time is later), 7 Baku calendar days earlier; "1 day before" likewise. A
 * check is worth making until the next one is due (the 7-day check) or until the first post
 * itself (the 1-day check): a bot that was down catches up on the one check still open.
 */
export interface AlertCheck {
  observanceId: string;
  /** The year of the observance day. */
  year: number;
  leadDays: CheckLead;
  at: Date;
  closesAt: Date;
  /** The occasion's first post for this server, which the check looks ahead to. */
  firstPostAt: Date;
}

/**
 * The checks for one server's settings whose window [at, closesAt) overlaps [from, until), in
 * time order. An observance that is off has none.
 */
export function listAlertChecks(
  observances: readonly Observance[],
  settings: PostSettings,
  from: Date,
  until: Date,
): AlertCheck[] {
  const checks: AlertCheck[] = [];
  // The 7-day check of an occasion early next year can open before the end of this one.
  const firstYear = toBakuDate(from).year;
  const lastYear = toBakuDate(until).year + 1;
  for (const observance of observances) {
    if (!settings.enabledObservances.has(observance.id)) continue;
    for (let year = firstYear; year <= lastYear; year++) {
      const firstPostAt = findFirstPost(observance, year, settings);
      if (!firstPostAt) continue;
      const date = toBakuDate(firstPostAt);
      const clock = toBakuClock(firstPostAt);
      const at = (lead: CheckLead) => atBakuTime(addDays(date, -lead), clock);
      const windows: Array<[CheckLead, Date, Date]> = [
        [7, at(7), at(1)],
        [1, at(1), firstPostAt],
      ];
      for (const [leadDays, checkAt, closesAt] of windows) {
        if (checkAt.getTime() < until.getTime() && closesAt.getTime() > from.getTime()) {
          checks.push({
            observanceId: observance.id,
            year,
            leadDays,
            at: checkAt,
            closesAt,
            firstPostAt,
          });
        }
      }
    }
  }
  return checks.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.observanceId.localeCompare(b.observanceId),
  );
}

/** The earliest post of one occasion (the eve belongs to the day after it) for these settings. */
function findFirstPost(
  observance: Observance,
  year: number,
  settings: PostSettings,
): Date | undefined {
  const day = { year, month: observance.month, day: observance.day };
  const only: PostSettings = { ...settings, enabledObservances: new Set([observance.id]) };
  const posts = [
    ...listPostsOnBakuDate([observance], addDays(day, -1), only),
    ...listPostsOnBakuDate([observance], day, only),
  ].filter((post) => post.year === year);
  return posts.reduce<Date | undefined>(
    (first, post) => (!first || post.at.getTime() < first.getTime() ? post.at : first),
    undefined,
  );
}
