import pino from 'pino';
import type { Content } from '../../src/domain/content.js';
import type { GuildSettingsPatch } from '../../src/domain/guild-settings.js';
import { DeliveryDispatcher } from '../../src/scheduler/dispatch-deliveries.js';
import { DeliveryPlanner } from '../../src/scheduler/plan-deliveries.js';
import { type Db, openDatabase } from '../../src/storage/open-database.js';
import { SqliteDeliveryRepository } from '../../src/storage/sqlite-delivery-repository.js';
import { SqliteGuildSettingsRepository } from '../../src/storage/sqlite-guild-settings-repository.js';
import { SqliteSchedulerStateRepository } from '../../src/storage/sqlite-scheduler-state-repository.js';
import { FakePublisher } from './fake-publisher.js';
import { TestClock } from './test-clock.js';
import { getFixtureContent } from './test-content.js';

/**
 * One "installation": a database, a clock and a fake Discord. `boot()` starts a scheduler process
 * over them; booting again simulates a restart (the previous process is simply abandoned, as a
 * crash would leave it).
 */
export class SchedulerHarness {
  readonly db: Db;
  readonly clock: TestClock;
  readonly publisher: FakePublisher;
  readonly settings: SqliteGuildSettingsRepository;
  readonly deliveries: SqliteDeliveryRepository;
  readonly content: Content = getFixtureContent();
  scheduler: DeliveryDispatcher;
  planner!: DeliveryPlanner;
  private boots = 0;

  constructor(start: string, path = ':memory:') {
    this.db = openDatabase(path);
    this.clock = new TestClock(start);
    this.publisher = new FakePublisher(this.clock);
    this.settings = new SqliteGuildSettingsRepository(this.db);
    this.deliveries = new SqliteDeliveryRepository(this.db);
    this.scheduler = this.boot();
  }

  boot(): DeliveryDispatcher {
    this.boots += 1;
    const state = new SqliteSchedulerStateRepository(this.db);
    const logger = pino({ level: 'silent' });
    const base = {
      content: this.content,
      settings: this.settings,
      deliveries: this.deliveries,
      state,
      logger,
    };
    this.planner = new DeliveryPlanner(base);
    this.scheduler = new DeliveryDispatcher({
      ...base,
      planner: this.planner,
      publisher: this.publisher,
      clock: this.clock,
      bootId: `boot-${this.boots}`,
      // The fake publisher has no rate limit; pacing is measured by `npm run bench`.
      globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    });
    // SQLite runs the statement at once, inside the call: no need to wait for the promise.
    void this.scheduler.recover();
    return this.scheduler;
  }

  configure(guildId: string, patch: GuildSettingsPatch = {}): void {
    this.settings.updateNow(
      guildId,
      { channelId: `channel-${guildId}`, ...patch },
      this.clock.now(),
    );
  }

  /** Moves the clock to the instant and runs the tick there (without awaiting hung sends). */
  async tickAt(at: string | Date): Promise<void> {
    this.clock.set(at);
    await this.scheduler.tick(this.clock.now());
    // The coming year is planned in the background; tests look at the table once it is done.
    await this.planner.settled();
  }

  /**
   * Starts a tick whose sends hang, as if the process died mid-send: resolves once the tick has
   * planned and claimed (it yields to the event loop while planning), leaving the sends hanging.
   */
  async tickAndCrash(at: string | Date): Promise<void> {
    this.clock.set(at);
    void this.scheduler.tick(this.clock.now());
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Ticks every minute from `from` up to and including `to`. */
  async tickEveryMinute(from: string, to: string): Promise<void> {
    for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 60_000) {
      await this.tickAt(new Date(t));
    }
  }

  sentKinds(channelId?: string): string[] {
    return this.publisher.messages
      .filter((m) => !channelId || m.channelId === channelId)
      .map((m) => `${m.channelId} ${m.payload.embeds[0]?.title}`);
  }
}
