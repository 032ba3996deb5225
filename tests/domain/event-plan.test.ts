import { describe, expect, it } from 'vitest';
import {
  type EventSettings,
  eventKey,
  eventSlot,
  findEventStart,
  findNextEventSync,
  identifyEventDay,
  isInCreationWindow,
  type ListedEvent,
  listEventSlots,
  planEventSync,
  type StoredEvent,
} from '../../src/domain/event-plan.js';
import { renderEvent } from '../../src/domain/render-event.js';
import { getContent, getFixtureContent } from '../support/test-content.js';

const content = getFixtureContent();
const { observances } = content;
const byId = (id: string) => {
  const found = observances.find((o) => o.id === id);
  if (!found) throw new Error(id);
  return found;
};
const ALL = new Set(['january-20', 'khojaly', 'march-31']);
const settings = (overrides: Partial<EventSettings> = {}): EventSettings => ({
  events: true,
  posting: true,
  postTime: { hour: 9, minute: 0 },
  enabledObservances: ALL,
  ...overrides,
});
const iso = (d: Date) => d.toISOString();

describe('when a day’s event starts', () => {
  it.each([
    ['january-20', { hour: 9, minute: 0 }, '2027-01-20T08:00:00.000Z'],
    ['january-20', { hour: 18, minute: 30 }, '2027-01-20T08:00:00.000Z'],
    ['khojaly', { hour: 9, minute: 0 }, '2027-02-26T05:00:00.000Z'],
    ['khojaly', { hour: 18, minute: 30 }, '2027-02-26T14:30:00.000Z'],
    ['march-31', { hour: 0, minute: 0 }, '2027-03-30T20:00:00.000Z'],
  ])('%s with the post time %o starts at %s', (id, postTime, expected) => {
    // 20 January starts at its moment (the minute of silence, 12:00 Baku), from data/.
    expect(iso(findEventStart(byId(id), 2027, postTime))).toBe(expected);
  });

  it('lasts an hour', () => {
    const slot = eventSlot(byId('khojaly'), 2027, { hour: 9, minute: 0 });
    expect(slot.endsAt.getTime() - slot.startsAt.getTime()).toBe(3600_000);
  });
});

describe('which days should have an event', () => {
  it.each([
    [
      'the new year',
      '2027-01-01T00:00:00Z',
      settings(),
      ['january-20/2027', 'khojaly/2027', 'march-31/2027'],
    ],
    [
      'during 20 January’s hour',
      '2027-01-20T08:30:00Z',
      settings(),
      ['january-20/2027', 'khojaly/2027', 'march-31/2027'],
    ],
    [
      'once it has ended',
      '2027-01-20T09:00:00Z',
      settings(),
      ['khojaly/2027', 'march-31/2027', 'january-20/2028'],
    ],
    // 23:00 on 31 December in Baku is still 2027 there; 02:00 on 1 January is 2028.
    [
      'at the year’s end in Baku',
      '2027-12-31T19:00:00Z',
      settings(),
      ['january-20/2028', 'khojaly/2028', 'march-31/2028'],
    ],
    [
      'with Khojaly off',
      '2027-01-01T00:00:00Z',
      settings({ enabledObservances: new Set(['january-20', 'march-31']) }),
      ['january-20/2027', 'march-31/2027'],
    ],
    ['with events off', '2027-01-01T00:00:00Z', settings({ events: false }), []],
    ['with posting stopped', '2027-01-01T00:00:00Z', settings({ posting: false }), []],
  ])('at %s', (_, now, given, expected) => {
    const slots = listEventSlots(observances, given, new Date(now));
    expect(slots.map((s) => eventKey(s.observanceId, s.year))).toEqual(expected);
  });

  it.each([
    ['15 days before', 15 * 24 * 3600_000, false],
    ['exactly 14 days before', 14 * 24 * 3600_000, true],
    ['a day before', 24 * 3600_000, true],
    ['two minutes before', 120_000, true],
    ['30 seconds before: too close to reach Discord in time', 30_000, false],
    ['after the start', -1, false],
  ])('is created %s: %s', (_, ahead, expected) => {
    const startsAt = new Date('2027-02-26T05:00:00Z');
    const now = new Date(startsAt.getTime() - ahead);
    expect(isInCreationWindow({ startsAt }, now)).toBe(expected);
  });

  it('knows which day an event of the bot’s is for by its Baku date', () => {
    expect(identifyEventDay(observances, new Date('2027-02-26T14:30:00Z'))).toEqual({
      observanceId: 'khojaly',
      year: 2027,
    });
    // 23:30 on 25 February UTC is 03:30 on 26 February in Baku.
    expect(identifyEventDay(observances, new Date('2027-02-25T23:30:00Z'))?.observanceId).toBe(
      'khojaly',
    );
    expect(identifyEventDay(observances, new Date('2027-02-25T12:00:00Z'))).toBeUndefined();
  });
});

describe('what to do in a server', () => {
  const now = new Date('2027-01-10T00:00:00Z');
  const slots = listEventSlots(observances, settings(), now);
  const january = slots.find((s) => s.observanceId === 'january-20');
  const khojaly = slots.find((s) => s.observanceId === 'khojaly');
  if (!january || !khojaly) throw new Error('fixture');
  const fingerprints = new Map(
    slots.map((s) => [eventKey(s.observanceId, s.year), `fp-${s.observanceId}`]),
  );
  const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
    observanceId: 'january-20',
    year: 2027,
    eventId: '1000',
    state: 'live',
    fingerprint: 'fp-january-20',
    startsAt: january.startsAt,
    ...overrides,
  });
  const listed = (
    id: string,
    status: ListedEvent['status'] = 'scheduled',
    startsAt = january.startsAt,
  ): ListedEvent => ({
    id,
    startsAt,
    status,
  });
  const plan = (input: {
    stored?: StoredEvent[];
    listed?: ListedEvent[];
    slots?: typeof slots;
    at?: Date;
  }) =>
    planEventSync({
      observances,
      slots: input.slots ?? slots,
      fingerprints,
      stored: input.stored ?? [],
      listed: input.listed ?? [],
      now: input.at ?? now,
    });

  it('creates the events within 14 days and nothing else (20 January, not yet Khojaly)', () => {
    expect(plan({})).toEqual([{ kind: 'create', slot: january }]);
  });

  it('creates Khojaly’s once its window opens', () => {
    const at = new Date(khojaly.startsAt.getTime() - 14 * 24 * 3600_000);
    const later = listEventSlots(observances, settings(), at);
    const actions = planEventSync({
      observances,
      slots: later,
      fingerprints,
      stored: [],
      listed: [],
      now: at,
    });
    expect(actions.map((a) => a.kind === 'create' && a.slot.observanceId)).toEqual(['khojaly']);
  });

  it('does nothing when the recorded event is there and up to date', () => {
    expect(plan({ stored: [stored()], listed: [listed('1000')] })).toEqual([]);
  });

  it('updates it when what it should say changed (a post time, a language, the channel)', () => {
    expect(plan({ stored: [stored({ fingerprint: 'old' })], listed: [listed('1000')] })).toEqual([
      { kind: 'update', slot: january, eventId: '1000', patch: true },
    ]);
  });

  it('adopts an event of its own it has no record of (created just before a crash), and deletes any second one', () => {
    expect(plan({ listed: [listed('2000'), listed('1500')] })).toEqual([
      { kind: 'update', slot: january, eventId: '1500', patch: true },
      { kind: 'delete', eventId: '2000' },
    ]);
  });

  it('respects a moderator’s deletion or cancellation: records it, and does not recreate it', () => {
    expect(plan({ stored: [stored()], listed: [] })).toEqual([
      { kind: 'mark-removed', observanceId: 'january-20', year: 2027 },
    ]);
    expect(plan({ stored: [stored()], listed: [listed('1000', 'canceled')] })).toEqual([
      { kind: 'mark-removed', observanceId: 'january-20', year: 2027 },
    ]);
    expect(plan({ stored: [stored({ state: 'removed' })], listed: [] })).toEqual([]);
  });

  it('leaves an event alone once it has started', () => {
    const at = new Date(january.startsAt.getTime() + 60_000);
    const running = listEventSlots(observances, settings(), at);
    expect(
      planEventSync({
        observances,
        slots: running,
        fingerprints: new Map(),
        stored: [stored()],
        listed: [listed('1000', 'active')],
        now: at,
      }),
    ).toEqual([]);
  });

  it('deletes the bot’s events when events are turned off, or the day is turned off, or posting stops', () => {
    const off = plan({ slots: [], stored: [stored()], listed: [listed('1000'), listed('3000')] });
    expect(off).toEqual([
      { kind: 'delete', eventId: '1000' },
      { kind: 'forget', observanceId: 'january-20', year: 2027 },
      { kind: 'delete', eventId: '3000' },
    ]);
    const januaryOff = listEventSlots(
      observances,
      settings({ enabledObservances: new Set(['khojaly', 'march-31']) }),
      now,
    );
    expect(plan({ slots: januaryOff, stored: [stored()], listed: [listed('1000')] })).toEqual([
      { kind: 'delete', eventId: '1000' },
      { kind: 'forget', observanceId: 'january-20', year: 2027 },
    ]);
  });

  it('forgets last year’s record at the year’s end without touching its event', () => {
    const at = new Date('2028-01-06T09:00:00Z');
    const next = listEventSlots(observances, settings(), at);
    const lastYear = stored({ startsAt: new Date('2027-01-20T08:00:00Z') });
    const actions = planEventSync({
      observances,
      slots: next,
      fingerprints: new Map(),
      stored: [lastYear],
      listed: [listed('1000', 'completed')],
      now: at,
    });
    expect(actions).toEqual([
      { kind: 'create', slot: next.find((s) => s.observanceId === 'january-20') },
      { kind: 'forget', observanceId: 'january-20', year: 2027 },
    ]);
  });

  it('looks again when the next window opens, or daily while an event is ahead', () => {
    expect(findNextEventSync(slots, now, false)?.toISOString()).toBe('2027-02-12T05:00:00.000Z');
    expect(findNextEventSync(slots, now, true)?.toISOString()).toBe('2027-01-11T00:00:00.000Z');
    expect(findNextEventSync([], now, false)).toBeUndefined();
  });
});

describe('what an event says', () => {
  const real = getContent();
  it.each(['en', 'az', 'ru', 'tr'])(
    'in %s: the name, Baku time and where to read, within Discord’s limits, pinging no one',
    (locale) => {
      for (const observance of real.observances) {
        const words = real.languages.get(locale)?.bot.events;
        if (!words) throw new Error(locale);
        const slot = eventSlot(observance, 2027, { hour: 9, minute: 0 });
        const event = renderEvent(real, words, slot, locale, '123456789012345678');
        expect(event.name).toBe(observance.text[locale]?.name);
        expect(event.location.length).toBeLessThanOrEqual(100);
        expect(event.location).toContain('(UTC+4)');
        expect(event.location).toContain(observance.id === 'january-20' ? '12:00' : '09:00');
        expect(event.description.length).toBeLessThanOrEqual(1000);
        expect(event.description).toContain('<#123456789012345678>');
        expect(event.description).toContain('/observance sources');
        expect(event.description).not.toMatch(/@everyone|@here|<@&?\d/);
      }
    },
  );

  it('keeps the whole sourced summary when it fits', () => {
    const words = getContent().languages.get('en')?.bot.events;
    if (!words) throw new Error('en');
    const khojaly = getContent().observances.find((o) => o.id === 'khojaly');
    if (!khojaly) throw new Error('khojaly');
    const event = renderEvent(
      getContent(),
      words,
      eventSlot(khojaly, 2027, { hour: 9, minute: 0 }),
      'en',
      '1',
    );
    expect(event.description).toContain(khojaly.text.en?.summary.text);
    expect(event.location).toBe('09:00 Baku time (UTC+4), online');
  });
});
