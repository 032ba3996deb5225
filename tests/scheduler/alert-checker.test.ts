import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuildSettings } from '../../src/domain/guild-settings.js';
import type { DispatcherRole } from '../../src/scheduler/dispatcher-role.js';
import { AlertCheckPlanner } from '../../src/scheduler/plan-alert-checks.js';
import { AlertChecker } from '../../src/scheduler/run-alert-checks.js';
import type {
  AlertChannelAccess,
  Inspection,
  ServerInspector,
} from '../../src/scheduler/server-inspector.js';
import type { Store } from '../../src/storage/store.js';
import { FakePublisher } from '../support/fake-publisher.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';
import { TestClock } from '../support/test-clock.js';
import { getFixtureContent } from '../support/test-content.js';

const SET_UP_AT = '2027-02-10T08:00:00Z';
/** 09:00 Baku on 19 February: 7 days before the Khojaly day post. */
const SEVEN_DAYS_BEFORE = '2027-02-19T05:00:00Z';

/** Discord as the checks see it, scripted per server; counts what it was asked. */
class FakeInspector implements ServerInspector {
  readonly inspectRequests = 4;
  readonly alertChannelRequests = 4;
  inspections: Record<string, Inspection> = {};
  alertChannels: Record<string, AlertChannelAccess> = {};
  inspected: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  async inspect(settings: GuildSettings & { channelId: string }): Promise<Inspection> {
    this.inspected.push(settings.guildId);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight -= 1;
    return this.inspections[settings.guildId] ?? { ok: true, inspection: { problems: [] } };
  }

  async checkAlertChannel(_guildId: string, channelId: string): Promise<AlertChannelAccess> {
    return this.alertChannels[channelId] ?? 'ok';
  }
}

const missingSend = (channelId: string): Inspection => ({
  ok: true,
  inspection: {
    problems: [{ kind: 'channel-permissions', channelId, missing: ['sendMessages'] }],
    channelKind: 'text',
    communityChannelId: 'updates',
  },
});

describe.each(STORES)('the checks before each day, on $name', (kind) => {
  let opened: OpenedStore;
  let clock: TestClock;
  let inspector: FakeInspector;
  let publisher: FakePublisher;

  beforeEach(async () => {
    opened = await kind.open();
    for (const table of ['alert_checks', 'alert_check_plans', 'alert_results', 'alerts_sent'])
      await opened.exec(`DELETE FROM ${table}`);
    clock = new TestClock(SET_UP_AT);
    inspector = new FakeInspector();
    publisher = new FakePublisher(clock);
  });
  afterEach(() => opened.close());

  function checker(
    store: Store,
    options: { role?: DispatcherRole; isBusy?: () => boolean; concurrency?: number } = {},
  ): AlertChecker {
    const content = getFixtureContent();
    const logger = pino({ level: 'silent' });
    return new AlertChecker({
      content,
      settings: store.settings,
      alerts: store.alerts,
      planner: new AlertCheckPlanner({
        content,
        settings: store.settings,
        alerts: store.alerts,
        logger,
      }),
      inspector,
      publisher,
      clock,
      logger,
      requestsPerSecond: Number.POSITIVE_INFINITY,
      isBusy: options.isBusy ?? (() => false),
      ...(options.role ? { role: options.role } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  }

  async function setUpServers(count: number, extra: { alertsChannelId?: string } = {}) {
    const ids = Array.from({ length: count }, (_, i) => `g${i}`);
    for (const id of ids)
      await opened.store.settings.update(id, { channelId: `c-${id}`, ...extra }, clock.now());
    return ids;
  }

  it('checks each server once at its time, alerts once per problem, and retries one Discord did not answer', async () => {
    const [fine, broken, silent] = await setUpServers(3, { alertsChannelId: 'alerts' });
    if (!fine || !broken || !silent) throw new Error('servers');
    inspector.inspections[broken] = missingSend(`c-${broken}`);
    inspector.inspections[silent] = { ok: false, detail: '503' };
    const checks = checker(opened.store);

    clock.set('2027-02-19T04:59:00Z');
    expect(await checks.run(clock.now())).toMatchObject({ due: 0 });
    clock.set(SEVEN_DAYS_BEFORE);
    expect(await checks.run(clock.now())).toEqual({
      due: 3,
      checked: 2,
      withProblems: 1,
      alerted: 1,
      unavailable: 1,
    });
    expect(publisher.messages.map((m) => m.channelId)).toEqual(['alerts']);
    expect(publisher.messages[0]?.payload.allowed_mentions).toEqual({ parse: [] });
    expect((await opened.store.alerts.findResult(broken))?.alert).toMatchObject({
      via: 'alerts',
      channelId: 'alerts',
    });
    expect((await opened.store.alerts.findResult(fine))?.problems).toEqual([]);

    // Made checks are not made again; the unanswered one comes back 5 minutes later.
    clock.set('2027-02-19T05:04:00Z');
    expect(await checks.run(clock.now())).toMatchObject({ due: 0 });
    inspector.inspections[silent] = missingSend(`c-${silent}`);
    clock.set('2027-02-19T05:05:00Z');
    expect(await checks.run(clock.now())).toMatchObject({ due: 1, alerted: 1 });
    expect(publisher.messages).toHaveLength(2);
    expect(inspector.inspected.filter((id) => id === broken)).toHaveLength(1);
  });

  it('only the dispatcher checks; two processes that both think they are alert once', async () => {
    const [guildId] = await setUpServers(1);
    if (!guildId) throw new Error('servers');
    inspector.inspections[guildId] = missingSend(`c-${guildId}`);
    const standby: DispatcherRole = {
      isDispatcher: () => false,
      fence: () => undefined,
      confirm: async () => false,
    };
    clock.set(SEVEN_DAYS_BEFORE);
    expect(await checker(opened.store, { role: standby }).run(clock.now())).toMatchObject({
      due: 0,
    });
    expect(inspector.inspected).toEqual([]);

    const other = await opened.openAnother('boot-b');
    const [a, b] = await Promise.all([
      checker(opened.store).run(clock.now()),
      checker(other).run(clock.now()),
    ]);
    expect(publisher.messages.map((m) => m.channelId)).toEqual(['updates']);
    expect((a?.alerted ?? 0) + (b?.alerted ?? 0)).toBe(1);
  });

  it('waits while posts are being sent, and checks a few servers at a time', async () => {
    await setUpServers(12);
    let busy = true;
    const checks = checker(opened.store, { isBusy: () => busy, concurrency: 3 });
    clock.set(SEVEN_DAYS_BEFORE);
    expect(await checks.run(clock.now())).toMatchObject({ due: 12, checked: 0 });
    busy = false;
    expect(await checks.run(clock.now())).toMatchObject({ due: 12, checked: 12 });
    expect(inspector.maxInFlight).toBeGreaterThan(0);
    expect(inspector.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('records a channel that is no longer an announcement channel, and alerts about publishing', async () => {
    const [guildId] = await setUpServers(1);
    if (!guildId) throw new Error('servers');
    await opened.store.settings.update(guildId, { channelKind: 'announcement' }, clock.now());
    inspector.inspections[guildId] = {
      ok: true,
      inspection: {
        problems: [{ kind: 'not-announcement', channelId: `c-${guildId}` }],
        channelKind: 'text',
        communityChannelId: 'updates',
      },
    };
    clock.set(SEVEN_DAYS_BEFORE);
    await checker(opened.store).run(clock.now());
    expect((await opened.store.settings.find(guildId))?.channelKind).toBe('text');
    expect(publisher.messages[0]?.payload.content).toContain(
      'is no longer an announcement channel, so the posts will not be published',
    );
  });
});
