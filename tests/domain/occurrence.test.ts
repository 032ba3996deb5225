import { expect, it } from 'vitest';
import { formatBakuIso } from '../../src/domain/baku-calendar.js';
import { findObservance } from '../../src/domain/content.js';
import {
  countAnniversary,
  findNextOccurrence,
  listNextOccurrences,
} from '../../src/domain/occurrence.js';
import { describeInEachHostTimeZone } from '../support/host-time-zones.js';
import { getContent } from '../support/test-content.js';

const content = getContent();
const observance = (id: string) => findObservance(content, id);

describeInEachHostTimeZone('findNextOccurrence', () => {
  it.each([
    // [observance, now (UTC), expected Baku date of the next occurrence, anniversary]
    ['january-20', '2026-11-21T12:00:00Z', '2027-01-20T00:00:00+04:00', 37],
    // The last minute of the year in Baku, and the first of the next.
    ['january-20', '2026-12-31T19:59:00Z', '2027-01-20T00:00:00+04:00', 37],
    ['january-20', '2026-12-31T20:00:00Z', '2027-01-20T00:00:00+04:00', 37],
    // On the day itself, the day is still "next" until Baku midnight.
    ['january-20', '2027-01-19T20:00:00Z', '2027-01-20T00:00:00+04:00', 37],
    ['january-20', '2027-01-20T19:59:59Z', '2027-01-20T00:00:00+04:00', 37],
    ['january-20', '2027-01-20T20:00:00Z', '2028-01-20T00:00:00+04:00', 38],
    // 23:30 UTC on the 19th is already the 20th in Baku.
    ['january-20', '2027-01-19T23:30:00Z', '2027-01-20T00:00:00+04:00', 37],
    ['khojaly', '2027-02-25T19:59:00Z', '2027-02-26T00:00:00+04:00', 35],
    ['khojaly', '2027-02-26T20:00:00Z', '2028-02-26T00:00:00+04:00', 36],
    // 29 February 2028: a leap day between two observances.
    ['march-31', '2028-02-29T12:00:00Z', '2028-03-31T00:00:00+04:00', 110],
    ['khojaly', '2028-02-29T12:00:00Z', '2029-02-26T00:00:00+04:00', 37],
    ['march-31', '2027-03-31T19:59:59Z', '2027-03-31T00:00:00+04:00', 109],
    ['march-31', '2027-03-31T20:00:00Z', '2028-03-31T00:00:00+04:00', 110],
  ])('%s after %s is %s, the %sth anniversary', (id, now, startsAt, anniversary) => {
    const next = findNextOccurrence(observance(id), new Date(now));
    expect(formatBakuIso(next.startsAt)).toBe(startsAt);
    expect(next.anniversary).toBe(anniversary);
    expect(next.endsAt.getTime() - next.startsAt.getTime()).toBe(24 * 3600 * 1000);
  });

  it('lists all three soonest first, wrapping past the year end', () => {
    const ids = listNextOccurrences(content.observances, new Date('2027-03-01T00:00:00Z')).map(
      ({ observance }) => observance.id,
    );
    expect(ids).toEqual(['march-31', 'january-20', 'khojaly']);
  });
});

it('counts anniversaries from the year of the events', () => {
  expect(countAnniversary(observance('january-20'), 2027)).toBe(37);
  expect(countAnniversary(observance('khojaly'), 2027)).toBe(35);
  expect(countAnniversary(observance('march-31'), 2027)).toBe(109);
});
