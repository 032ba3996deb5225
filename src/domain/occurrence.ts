import { addDays, type BakuDate, startOfBakuDay, toBakuDate } from './baku-calendar.js';
import type { Observance } from './observance.js';

export interface Occurrence {
  observanceId: string;
  year: number;
  date: BakuDate;
  /** Midnight in Baku at the start of the day. */
  startsAt: Date;
  /** Midnight in Baku at the end of the day. */
  endsAt: Date;
  anniversary: number;
}

/** 20 January 2027 marks the 37th anniversary of 20 January 1990. */
export function countAnniversary(observance: Pick<Observance, 'eventYear'>, year: number): number {
  return year - observance.eventYear;
}

export function occurrenceInYear(observance: Observance, year: number): Occurrence {
  const date = { year, month: observance.month, day: observance.day };
  return {
    observanceId: observance.id,
    year,
    date,
    startsAt: startOfBakuDay(date),
    endsAt: startOfBakuDay(addDays(date, 1)),
    anniversary: countAnniversary(observance, year),
  };
}

/**
 * The occurrence that is under way at `now` or comes next. "Next" means the Baku day has not
 * ended: on the day itself, members asking for the next observance want today's.
 */
export function findNextOccurrence(observance: Observance, now: Date): Occurrence {
  const { year } = toBakuDate(now);
  const thisYear = occurrenceInYear(observance, year);
  return now.getTime() < thisYear.endsAt.getTime()
    ? thisYear
    : occurrenceInYear(observance, year + 1);
}

/** All observances' next occurrences, soonest first. */
export function listNextOccurrences(
  observances: readonly Observance[],
  now: Date,
): Array<{ observance: Observance; occurrence: Occurrence }> {
  return observances
    .map((observance) => ({ observance, occurrence: findNextOccurrence(observance, now) }))
    .sort((a, b) => a.occurrence.startsAt.getTime() - b.occurrence.startsAt.getTime());
}
