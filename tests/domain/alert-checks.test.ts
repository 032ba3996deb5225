import { describe, expect, it } from 'vitest';
import { type AlertCheck, listAlertChecks } from '../../src/domain/alert-checks.js';
import {
  type AlertProblem,
  formatAlertDate,
  listProblemKeys,
} from '../../src/domain/alert-problem.js';
import { formatBakuIso } from '../../src/domain/baku-calendar.js';
import type { Observance } from '../../src/domain/observance.js';
import { describeInEachHostTimeZone } from '../support/host-time-zones.js';
import { getFixtureContent, makeSettings } from '../support/test-content.js';

const { observances } = getFixtureContent();
const january20 = observances.find((o) => o.id === 'january-20') as Observance;

/** An observance on another date, to reach the year's end and 29 February. */
function observanceOn(month: number, day: number): Observance {
  return { ...january20, id: `on-${month}-${day}`, month, day, moments: [] };
}

function summarize(checks: readonly AlertCheck[]) {
  return checks.map((check) => [
    check.observanceId,
    check.year,
    check.leadDays,
    formatBakuIso(check.at),
    formatBakuIso(check.closesAt),
  ]);
}

const baku = (iso: string) => new Date(`${iso}+04:00`);

describeInEachHostTimeZone('listAlertChecks', () => {
  it.each([
    {
      name: 'default settings: 7 and 1 days before each day post, at the post time',
      settings: makeSettings(),
      from: '2027-01-01T00:00:00',
      until: '2027-04-01T00:00:00',
      expected: [
        ['january-20', 2027, 7, '2027-01-13T09:00:00+04:00', '2027-01-19T09:00:00+04:00'],
        ['january-20', 2027, 1, '2027-01-19T09:00:00+04:00', '2027-01-20T09:00:00+04:00'],
        ['khojaly', 2027, 7, '2027-02-19T09:00:00+04:00', '2027-02-25T09:00:00+04:00'],
        ['khojaly', 2027, 1, '2027-02-25T09:00:00+04:00', '2027-02-26T09:00:00+04:00'],
        ['march-31', 2027, 7, '2027-03-24T09:00:00+04:00', '2027-03-30T09:00:00+04:00'],
        ['march-31', 2027, 1, '2027-03-30T09:00:00+04:00', '2027-03-31T09:00:00+04:00'],
      ],
    },
    {
      name: 'with the eve reminder, before the eve post: the first post of the occasion',
      settings: makeSettings({ eveReminder: true, enabledObservances: new Set(['january-20']) }),
      from: '2027-01-01T00:00:00',
      until: '2027-02-01T00:00:00',
      expected: [
        ['january-20', 2027, 7, '2027-01-12T09:00:00+04:00', '2027-01-18T09:00:00+04:00'],
        ['january-20', 2027, 1, '2027-01-18T09:00:00+04:00', '2027-01-19T09:00:00+04:00'],
      ],
    },
    {
      name: 'posting at 18:00 on 20 January: before the minute of silence at 12:00, which comes first',
      settings: makeSettings({ postTime: { hour: 18, minute: 0 } }),
      from: '2027-01-01T00:00:00',
      until: '2027-02-20T00:00:00',
      expected: [
        ['january-20', 2027, 7, '2027-01-13T12:00:00+04:00', '2027-01-19T12:00:00+04:00'],
        ['january-20', 2027, 1, '2027-01-19T12:00:00+04:00', '2027-01-20T12:00:00+04:00'],
        ['khojaly', 2027, 7, '2027-02-19T18:00:00+04:00', '2027-02-25T18:00:00+04:00'],
      ],
    },
    {
      name: 'posting at 18:00 without moment posts: at 18:00',
      settings: makeSettings({
        postTime: { hour: 18, minute: 0 },
        momentPosts: false,
        enabledObservances: new Set(['january-20']),
      }),
      from: '2027-01-01T00:00:00',
      until: '2027-02-01T00:00:00',
      expected: [
        ['january-20', 2027, 7, '2027-01-13T18:00:00+04:00', '2027-01-19T18:00:00+04:00'],
        ['january-20', 2027, 1, '2027-01-19T18:00:00+04:00', '2027-01-20T18:00:00+04:00'],
      ],
    },
    {
      name: 'an observance that is off has no checks',
      settings: makeSettings({ enabledObservances: new Set(['khojaly']) }),
      from: '2027-01-01T00:00:00',
      until: '2027-02-01T00:00:00',
      expected: [],
    },
    {
      name: 'early in the year, the checks of 20 January fall in January, after a December with none',
      settings: makeSettings(),
      from: '2026-12-01T00:00:00',
      until: '2027-01-14T00:00:00',
      expected: [['january-20', 2027, 7, '2027-01-13T09:00:00+04:00', '2027-01-19T09:00:00+04:00']],
    },
  ])('$name', ({ settings, from, until, expected }) => {
    expect(summarize(listAlertChecks(observances, settings, baku(from), baku(until)))).toEqual(
      expected,
    );
  });

  it('crosses the year end: 7 days before 3 January is 27 December of the year before', () => {
    const settings = makeSettings({ enabledObservances: new Set(['on-1-3']) });
    expect(
      summarize(
        listAlertChecks(
          [observanceOn(1, 3)],
          settings,
          baku('2026-12-20T00:00:00'),
          baku('2027-01-10T00:00:00'),
        ),
      ),
    ).toEqual([
      ['on-1-3', 2027, 7, '2026-12-27T09:00:00+04:00', '2027-01-02T09:00:00+04:00'],
      ['on-1-3', 2027, 1, '2027-01-02T09:00:00+04:00', '2027-01-03T09:00:00+04:00'],
    ]);
  });

  it.each([
    [2027, '2027-02-28T09:00:00+04:00', '2027-02-22T09:00:00+04:00'],
    [2028, '2028-02-29T09:00:00+04:00', '2028-02-23T09:00:00+04:00'],
  ])('counts calendar days across February in %i (a day before 1 March)', (year, one, seven) => {
    const settings = makeSettings({ enabledObservances: new Set(['on-3-1']) });
    const checks = listAlertChecks(
      [observanceOn(3, 1)],
      settings,
      baku(`${year}-02-01T00:00:00`),
      baku(`${year}-03-02T00:00:00`),
    );
    expect(summarize(checks)).toEqual([
      ['on-3-1', year, 7, seven, one],
      ['on-3-1', year, 1, one, `${year}-03-01T09:00:00+04:00`],
    ]);
  });

  it.each([
    {
      name: 'a bot back 2 days after the 7-day check still owes it',
      back: '2027-02-21T10:00:00',
      expected: [['khojaly', 2027, 7, '2027-02-19T09:00:00+04:00', '2027-02-25T09:00:00+04:00']],
    },
    {
      name: 'a bot back after the 1-day check opened owes only that one',
      back: '2027-02-25T10:00:00',
      expected: [['khojaly', 2027, 1, '2027-02-25T09:00:00+04:00', '2027-02-26T09:00:00+04:00']],
    },
    {
      name: 'a bot back after the first post owes no check',
      back: '2027-02-26T09:00:00',
      expected: [],
    },
  ])('downtime: $name', ({ back, expected }) => {
    const settings = makeSettings({ enabledObservances: new Set(['khojaly']) });
    const open = listAlertChecks(observances, settings, baku(back), baku(back)).filter(
      (check) => check.at.getTime() <= baku(back).getTime(),
    );
    expect(summarize(open)).toEqual(expected);
  });
});

describe('problem keys', () => {
  it('count each missing permission, and each channel, as a problem of its own', () => {
    const problems: AlertProblem[] = [
      { kind: 'channel-gone', channelId: 'c0' },
      { kind: 'channel-permissions', channelId: 'c1', missing: ['sendMessages', 'embedLinks'] },
      { kind: 'server-permissions', missing: ['createEvents'] },
      { kind: 'not-announcement', channelId: 'c1' },
    ];
    expect(listProblemKeys(problems)).toEqual([
      'channel-gone:c0',
      'channel:c1:sendMessages',
      'channel:c1:embedLinks',
      'server:createEvents',
      'not-announcement:c1',
    ]);
    expect(formatAlertDate({ year: 2027, month: 2, day: 9 })).toBe('2027-02-09');
  });
});
