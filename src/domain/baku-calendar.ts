import { DateTime } from 'luxon';
import type { LocalTime } from './local-time.js';
import { BAKU_ZONE } from './observance.js';

/** A calendar date as it reads in Baku, independent of the host's time zone. */
export interface BakuDate {
  year: number;
  month: number;
  day: number;
}

export function toBakuDate(instant: Date): BakuDate {
  const local = DateTime.fromJSDate(instant, { zone: BAKU_ZONE });
  return { year: local.year, month: local.month, day: local.day };
}

/** The instant at which the given wall-clock time occurs on the given Baku date. */
export function atBakuTime(date: BakuDate, time: LocalTime): Date {
  return DateTime.fromObject({ ...date, hour: time.hour, minute: time.minute }, { zone: BAKU_ZONE })
    .toUTC()
    .toJSDate();
}

export function startOfBakuDay(date: BakuDate): Date {
  return atBakuTime(date, { hour: 0, minute: 0 });
}

/** Calendar arithmetic on the date alone: no time zone is involved, so it is exact and cheap. */
export function addDays(date: BakuDate, days: number): BakuDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

export function compareBakuDates(a: BakuDate, b: BakuDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Parses "YYYY-MM-DD" as a Baku date; undefined when it is not a real calendar date. */
export function parseBakuDate(text: string): BakuDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return compareBakuDates(addDays(date, 0), date) === 0 ? date : undefined;
}

/** Baku's UTC offset on that date, as "+04:00"; the footer of every post states it. */
export function formatBakuOffset(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: BAKU_ZONE }).toFormat('ZZ');
}

/** ISO 8601 with Baku's offset, e.g. 2027-01-20T09:00:00+04:00. */
export function formatBakuIso(instant: Date): string {
  return (
    DateTime.fromJSDate(instant, { zone: BAKU_ZONE }).toISO({ suppressMilliseconds: true }) ?? ''
  );
}

/** Baku's wall-clock time of day at an instant. */
export function toBakuClock(instant: Date): { hour: number; minute: number } {
  const local = DateTime.fromJSDate(instant, { zone: BAKU_ZONE });
  return { hour: local.hour, minute: local.minute };
}
