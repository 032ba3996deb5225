import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/event-plan.js';
import type { Store } from '../../src/storage/store.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

const t0 = new Date('2027-01-01T00:00:00Z');
const t1 = new Date('2027-01-02T00:00:00Z');

const event = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  observanceId: 'january-20',
  year: 2027,
  eventId: '900000000000000001',
  state: 'live',
  fingerprint: 'abc',
  startsAt: new Date('2027-01-20T08:00:00Z'),
  ...overrides,
});

describe.each(STORES)('scheduled events in $name', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await kind.open();
    store = opened.store;
  });
  afterEach(() => opened.close());

  it('stores one event per server, day and year, replaced in place', async () => {
    await store.events.saveEvent('g1', event(), t0);
    await store.events.saveEvent('g1', event({ observanceId: 'khojaly', eventId: '2' }), t0);
    await store.events.saveEvent('g1', event({ fingerprint: 'def', state: 'removed' }), t1);
    await store.events.saveEvent('g2', event({ eventId: '3' }), t0);
    expect(await store.events.listForGuild('g1')).toEqual([
      event({ fingerprint: 'def', state: 'removed' }),
      event({ observanceId: 'khojaly', eventId: '2' }),
    ]);
    await store.events.forget('g1', 'khojaly', 2027);
    expect(await store.events.forgetRemoved('g1')).toBe(1);
    expect(await store.events.listForGuild('g1')).toEqual([]);
    expect(await store.events.listForGuild('g2')).toHaveLength(1);
  });

  it('refuses a state it does not know', async () => {
    await expect(
      opened.exec("INSERT INTO guild_events VALUES ('g', 'o', 2027, 'e', 'gone', 'f', 1, 1)"),
    ).rejects.toThrow();
  });

  it('lists as due the servers with events on whose settings changed or whose next look has come', async () => {
    await store.settings.update('off', { channelId: 'c' }, t0);
    await store.settings.update('no-channel', { events: true }, t0);
    const on = await store.settings.update('on', { channelId: 'c', events: true }, t0);
    expect(await store.events.listDue(t0, 10)).toEqual(['on']);

    await store.events.saveSync({
      guildId: 'on',
      settingsVersion: on.version,
      attempts: 0,
      syncedAt: t0,
      nextSyncAt: t1,
    });
    expect(await store.events.listDue(t0, 10)).toEqual([]);
    expect(await store.events.listDue(t1, 10)).toEqual(['on']);

    // Turned off: due once more, to delete its events, then not again until its settings change.
    const off = await store.settings.update('on', { events: false }, t0);
    expect(await store.events.listDue(t0, 10)).toEqual(['on']);
    await store.events.saveSync({
      guildId: 'on',
      settingsVersion: off.version,
      attempts: 1,
      problem: 'missing-permissions',
      detail: '403 50013: Missing Permissions',
      syncedAt: t0,
    });
    expect(await store.events.listDue(t1, 10)).toEqual([]);
    expect(await store.events.findSync('on')).toEqual({
      guildId: 'on',
      settingsVersion: off.version,
      attempts: 1,
      problem: 'missing-permissions',
      detail: '403 50013: Missing Permissions',
      syncedAt: t0,
    });
    expect(await store.events.findSync('off')).toBeUndefined();
  });

  it('lists the most overdue first, up to the limit', async () => {
    for (const id of ['a', 'b', 'c']) {
      const s = await store.settings.update(id, { channelId: 'c', events: true }, t0);
      await store.events.saveSync({
        guildId: id,
        settingsVersion: s.version,
        attempts: 0,
        syncedAt: t0,
        nextSyncAt: new Date(t0.getTime() - (id === 'b' ? 2000 : 1000)),
      });
    }
    expect(await store.events.listDue(t0, 2)).toEqual(['b', 'a']);
  });
});
