import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Content } from '../domain/content.js';
import { type DeliveryKey, formatDeliveryKey } from '../domain/delivery-record.js';
import type { DeliveryRepository } from '../storage/delivery-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import type { SchedulerStateRepository } from '../storage/scheduler-state-repository.js';
import { type DeliveryOutcome, deliverOne } from './deliver-one.js';
import { type DispatcherRole, SOLE_DISPATCHER } from './dispatcher-role.js';
import type { FollowUpRunner } from './follow-up-post.js';
import type { DeliveryPlanner } from './plan-deliveries.js';
import type { Publisher } from './publisher.js';
import { RequestPacer } from './request-pacer.js';
import type { EventSyncer } from './sync-events.js';

export interface DispatchDeps {
  content: Content;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  state: SchedulerStateRepository;
  planner: DeliveryPlanner;
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
  /** Identifies this process in claims, so a restart can tell its predecessor's sends apart. */
  bootId: string;
  /** Discord's global requests per second for this bot; `Infinity` turns pacing off (tests). */
  globalRequestsPerSecond: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Whether this process is the one that sends; by default it always is (one SQLite process). */
  role?: DispatcherRole;
  /** Keeps the servers' Discord scheduled events; run by the dispatcher once a tick's sends end. */
  events?: EventSyncer;
  /** Publishing sent posts and starting their threads, after each tick's posts. */
  followUps?: FollowUpRunner;
}

export interface TickSummary {
  queued: number;
  sent: number;
  failed: number;
  retrying: number;
  inDoubt: number;
  /** Windows that closed before their post could go out (missed, or unconfirmed if in doubt). */
  closed: number;
  unconfirmed: number;
  deleted: number;
}

/**
 * Each tick: settles what can no longer go out, brings the plan up to date, then claims and sends
 * every due row, paced under Discord's global limit. The database is the queue: nothing but the
 * keys of this tick's work lives in memory.
 */
export class DeliveryDispatcher {
  private readonly concurrency: number;
  private readonly pacer: RequestPacer;
  /** Deliveries queued or being sent by this process, by key. */
  private readonly busy = new Set<string>();
  private readonly queue: Array<{ key: DeliveryKey; done: (outcome: DeliveryOutcome) => void }> =
    [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  /** The tick's follow-up run (publishing, threads), which a graceful stop lets finish. */
  private followUpRun: Promise<unknown> = Promise.resolve();
  private readonly role: DispatcherRole;
  /** Aborts this dispatcher term's sends, when the process stops being the dispatcher. */
  private sends: AbortController;

  constructor(private readonly deps: DispatchDeps) {
    this.concurrency = deps.concurrency ?? 25;
    this.sends = this.startTerm();
    this.pacer = new RequestPacer(deps.globalRequestsPerSecond);
    this.role = deps.role ?? SOLE_DISPATCHER;
  }

  /** At start-up, before the first tick: sends an earlier process left unfinished become in doubt. */
  async recover(): Promise<number> {
    const recovered = await this.deps.deliveries.expireClaims(
      this.deps.bootId,
      this.deps.clock.now(),
    );
    if (recovered > 0) {
      this.deps.logger.warn({ recovered }, 'resuming sends interrupted by a previous shutdown');
    }
    return recovered;
  }

  /** Runs one tick at `now`, resolving once its sends have ended. */
  async tick(now: Date = this.deps.clock.now()): Promise<TickSummary> {
    const summary: TickSummary = {
      queued: 0,
      sent: 0,
      failed: 0,
      retrying: 0,
      inDoubt: 0,
      closed: 0,
      unconfirmed: 0,
      deleted: 0,
    };
    if (this.stopped) return summary;
    const { deliveries, state, planner } = this.deps;
    if (!this.role.isDispatcher()) {
      // A standby plans (settings changed through its commands) and leaves the rest to the dispatcher.
      await planner.plan(now, await state.findLastTickAt());
      return summary;
    }
    const stale = await deliveries.expireClaims(this.deps.bootId, now);
    if (stale > 0) this.deps.logger.warn({ stale }, 'claims outlived their lease; now in doubt');
    summary.closed = await deliveries.closeWindows(now);
    await planner.plan(now, await state.findLastTickAt());
    await state.saveLastTickAt(now);

    const jobs: Promise<void>[] = [];
    for (const key of await deliveries.listDueKeys(now)) {
      const id = formatDeliveryKey(key);
      if (this.busy.has(id)) continue;
      jobs.push(this.enqueue(id, key).then((outcome) => count(summary, outcome)));
    }
    summary.queued = jobs.length;
    await Promise.all(jobs);
    if (this.deps.followUps && !this.stopped && this.role.isDispatcher()) {
      const run = this.deps.followUps.runDue(now, {
        pace: (requests) => this.pacer.take(requests),
        fence: this.role.fence(),
        signal: this.sends.signal,
        // Posts go first, and a stopping process starts no more steps.
        postsWaiting: () => this.stopped || this.queue.length > 0 || this.inFlight.size > 0,
      });
      this.followUpRun = run;
      await run;
    }
    if (!this.stopped && this.inFlight.size === 0 && this.queue.length === 0) {
      planner.continueAhead();
      // Events are never urgent (14 days ahead): they wait until no post is on its way.
      await this.syncEvents(now);
    }
    if (summary.queued + summary.closed > 0) {
      this.deps.logger.info({ at: now.toISOString(), ...summary }, 'tick finished');
    }
    return summary;
  }

  private async syncEvents(now: Date): Promise<void> {
    const { events, logger } = this.deps;
    if (!events) return;
    const role = this.role;
    try {
      const synced = await events.syncDue(now, {
        pace: (requests) => this.pacer.take(requests),
        confirmDispatcher: () => role.confirm(),
        signal: this.sends.signal,
      });
      if (synced > 0) logger.debug({ synced }, 'scheduled events looked at');
    } catch (error) {
      logger.error({ err: error }, 'syncing scheduled events failed; the next tick tries again');
    }
  }

  /** Whether no delivery is queued or being sent: other work (the checks before a day) may go on. */
  isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0;
  }

  /**
   * This process is no longer the dispatcher: its queued deliveries are dropped (they stay due in
   * the table, for the successor), and sends not yet on the wire are aborted.
   */
  /**
   * A term's signal has one listener per send in flight (up to `concurrency`), all removed when
   * each send ends: more than Node's default of 10 is expected, not a leak.
   */
  private startTerm(): AbortController {
    const term = new AbortController();
    setMaxListeners(this.concurrency + 1, term.signal);
    return term;
  }

  abandonQueue(): void {
    this.sends.abort();
    this.sends = this.startTerm();
    for (const job of this.queue.splice(0)) job.done('skipped');
  }

  /** Stops taking new work and waits (up to the bound) for sends already started to finish. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    // Queued but unclaimed deliveries stay due in the table: the next start-up sends them.
    for (const job of this.queue.splice(0)) job.done('skipped');
    this.busy.clear();
    const settled = Promise.allSettled([...this.inFlight, this.followUpRun]).then(() => true);
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(resolve, timeoutMs, false).unref(),
    );
    return Promise.race([settled, timeout]);
  }

  private enqueue(id: string, key: DeliveryKey): Promise<DeliveryOutcome> {
    this.busy.add(id);
    return new Promise<DeliveryOutcome>((resolve) => {
      this.queue.push({
        key,
        done: (outcome) => {
          this.busy.delete(id);
          resolve(outcome);
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.concurrency) {
      const job = this.queue.shift();
      if (!job) return;
      let outcome: DeliveryOutcome = 'skipped';
      if (!this.role.isDispatcher()) {
        job.done(outcome);
        continue;
      }
      const role = this.role;
      // One signal per send, tied to this term's: the REST client adds a listener to the signal
      // it is given and never removes it, so a shared one would gather one per post.
      const term = this.sends.signal;
      const send = new AbortController();
      const abortSend = () => send.abort();
      term.addEventListener('abort', abortSend, { once: true });
      const running = deliverOne(
        {
          ...this.deps,
          pace: (requests) => this.pacer.take(requests),
          fence: role.fence(),
          confirmDispatcher: () => role.confirm(),
          signal: send.signal,
        },
        job.key,
      )
        .then((result) => {
          outcome = result;
        })
        .catch((error: unknown) => {
          // Even recording the error failed (the database is locked, say): the claim's lease
          // runs out and a later tick takes the delivery up again, in doubt.
          this.deps.logger.error(
            { err: error, delivery: formatDeliveryKey(job.key) },
            'could not record a delivery',
          );
        })
        .finally(() => {
          term.removeEventListener('abort', abortSend);
          this.inFlight.delete(running);
          job.done(outcome);
          this.pump();
        });
      this.inFlight.add(running);
    }
  }
}

function count(summary: TickSummary, outcome: DeliveryOutcome): void {
  switch (outcome) {
    case 'sent':
      summary.sent += 1;
      break;
    case 'failed':
      summary.failed += 1;
      break;
    case 'retry':
      summary.retrying += 1;
      break;
    case 'in-doubt':
      summary.inDoubt += 1;
      break;
    case 'unconfirmed':
      summary.unconfirmed += 1;
      break;
    case 'deleted':
      summary.deleted += 1;
      break;
    default:
      break;
  }
}
