import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ListedEvent } from '../../src/domain/event-plan.js';
import type { EventPayload } from '../../src/domain/render-event.js';
import { DeliveryDispatcher } from '../../src/scheduler/dispatch-deliveries.js';
import type { DispatcherRole } from '../../src/scheduler/dispatcher-role.js';
import { DeliveryPlanner } from '../../src/scheduler/plan-deliveries.js';
import type {
  EventsFailureKind,
  EventsResult,
  ScheduledEventsApi,
} from '../../src/scheduler/scheduled-events-api.js';
import { EVENT_SYNC_BATCH, EventSyncer, type SyncTurn } from '../../src/scheduler/sync-events.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { createSqliteStore } from '../../src/storage/open-sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { TestClock } from '../support/test-clock.js';
import { getFixtureContent } from '../support/test-content.js';

/** Discord's scheduled events at the bot's own interface, with failures on demand. */
class FakeEventsApi implements ScheduledEventsApi {
  readonly events = new Map<string, { guildId: string; payload: EventPayload }>();
  readonly calls: string[] = [];
  failWith: EventsFailureKind | undefined;
  private next = 1000;

  async listOwn(guildId: string): Promise<EventsResult<ListedEvent[]>> {
    this.calls.push(`list ${guildId}`);
    return {
      ok: true,
      value: [...this.events]
        .filter(([, e]) => e.guildId === guildId)
        .map(([id, e]) => ({ id, startsAt: e.payload.startsAt, status: 'scheduled' as const })),
    };
  }

  async create(guildId: string, payload: EventPayload): Promise<EventsResult<{ eventId: string }>> {
    this.calls.push(`create ${guildId}`);
    if (this.failWith) return { ok: false, kind: this.failWith, detail: this.failWith };
    const eventId = String(this.next++);
    this.events.set(eventId, { guildId, payload });
    return { ok: true, value: { eventId } };
  }

  async update(guildId: string, eventId: string, payload: EventPayload) {
    this.calls.push(`update ${guildId}`);
    this.events.set(eventId, { guildId, payload });
    return { ok: true as const, value: undefined };
  }

  async remove(guildId: string, eventId: string) {
    this.calls.push(`delete ${guildId}`);
    this.events.delete(eventId);
    return { ok: true as const, value: undefined };
  }
}

const content = getFixtureContent();
const logger = pino({ level: 'silent' });
/** Khojaly's window opens on 12 February 2027 at 05:00 UTC (09:00 Baku, 14 days ahead). */
const IN_WINDOW = new Date('2027-02-12T06:00:00Z');

let store: Store;
let api: FakeEventsApi;
let syncer: EventSyncer;
let paced: number;
const turn: SyncTurn = {
  pace: async (requests) => {
    paced += requests;
  },
  confirmDispatcher: async () => true,
};

beforeEach(() => {
  store = createSqliteStore(openDatabase(':memory:'));
  api = new FakeEventsApi();
  syncer = new EventSyncer({
    content,
    settings: store.settings,
    events: store.events,
    api,
    logger,
  });
  paced = 0;
});

async function configure(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.settings.update(`g${i}`, { channelId: `c${i}`, events: true }, IN_WINDOW);
  }
}

describe('the events sync', () => {
  it(`looks at ${EVENT_SYNC_BATCH} servers a tick, paced request by request, the rest on the next`, async () => {
    await configure(EVENT_SYNC_BATCH + 50);
    expect(await syncer.syncDue(IN_WINDOW, turn)).toBe(EVENT_SYNC_BATCH);
    expect(paced).toBe(2 * EVENT_SYNC_BATCH);
    expect(api.events.size).toBe(EVENT_SYNC_BATCH);
    expect(await syncer.syncDue(IN_WINDOW, turn)).toBe(50);
    expect(api.events.size).toBe(EVENT_SYNC_BATCH + 50);
    expect(await syncer.syncDue(IN_WINDOW, turn)).toBe(0);
  });

  it('retries after a Discord error, later each time, and daily without the permission; at once after a settings change', async () => {
    await configure(1);
    api.failWith = 'transient';
    await syncer.syncDue(IN_WINDOW, turn);
    expect(await store.events.findSync('g0')).toMatchObject({
      problem: 'transient',
      attempts: 1,
      nextSyncAt: new Date(IN_WINDOW.getTime() + 5 * 60_000),
    });
    const later = new Date(IN_WINDOW.getTime() + 5 * 60_000);
    await syncer.syncDue(later, turn);
    expect((await store.events.findSync('g0'))?.nextSyncAt).toEqual(
      new Date(later.getTime() + 10 * 60_000),
    );

    api.failWith = 'missing-permissions';
    const third = new Date(later.getTime() + 10 * 60_000);
    await syncer.syncDue(third, turn);
    expect(await store.events.findSync('g0')).toMatchObject({
      problem: 'missing-permissions',
      nextSyncAt: new Date(third.getTime() + 24 * 3600_000),
    });
    expect(await store.events.listDue(third, 10)).toEqual([]);

    api.failWith = undefined;
    await store.settings.update('g0', { events: true }, third);
    expect(await syncer.syncDue(third, turn)).toBe(1);
    expect(api.events.size).toBe(1);
    expect((await store.events.findSync('g0'))?.problem).toBeUndefined();
  });

  it('runs only in the dispatcher: a standby process never touches events', async () => {
    await configure(1);
    const clock = new TestClock(IN_WINDOW);
    const standby: DispatcherRole = {
      isDispatcher: () => false,
      fence: () => undefined,
      confirm: async () => false,
    };
    const base = {
      content,
      settings: store.settings,
      deliveries: store.deliveries,
      state: store.state,
      logger,
    };
    const dispatcher = (role?: DispatcherRole) =>
      new DeliveryDispatcher({
        ...base,
        planner: new DeliveryPlanner(base),
        publisher: {
          publish: async () => ({ ok: true, messageId: '1' }),
          startForumPost: async () => ({ ok: true, messageId: '1' }),
          findPosted: async () => ({ outcome: 'absent' }),
        },
        clock,
        bootId: 'b',
        globalRequestsPerSecond: Number.POSITIVE_INFINITY,
        events: syncer,
        ...(role ? { role } : {}),
      });
    await dispatcher(standby).tick(IN_WINDOW);
    expect(api.calls).toEqual([]);
    await dispatcher().tick(IN_WINDOW);
    expect(api.calls).toEqual(['list g0', 'create g0']);
  });
});
