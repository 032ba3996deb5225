import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { DispatcherRole } from '../../scheduler/dispatcher-role.js';
import type { DispatcherFence } from '../delivery-repository.js';
import { connectionOptions, DISPATCHER_LOCK_KEY } from './open-postgres.js';

export interface ElectionTimings {
  /** How often a standby tries for the lock. */
  retryMs: number;
  /** How often the dispatcher proves to Postgres (and to itself) that it is alive. */
  heartbeatMs: number;
  /** A heartbeat unanswered this long: the dispatcher steps down. */
  heartbeatTimeoutMs: number;
  /**
   * Postgres ends the lock's session when it stays idle this long, releasing the lock: a process
   * that is paused (SIGSTOP, a frozen VM) keeps its TCP connection open but stops heartbeating.
   */
  idleSessionTimeoutMs: number;
}

/** Worst case from the dispatcher's death to a successor: idle timeout + one retry = 12 s < 15 s. */
export const DEFAULT_TIMINGS: ElectionTimings = {
  retryMs: 2_000,
  heartbeatMs: 2_000,
  heartbeatTimeoutMs: 5_000,
  idleSessionTimeoutMs: 10_000,
};

export type RoleChange =
  | { role: 'dispatcher'; epoch: number }
  | { role: 'standby'; reason: string };

/**
 * Elects the dispatcher with a Postgres session advisory lock, held on a connection of its own:
 * when the process dies or its connection is lost, Postgres releases the lock and a standby
 * takes it. Each winner raises the fencing epoch in `dispatcher_lease`, and the dispatcher's
 * writes carry it, so a former dispatcher that wakes up late cannot record over its successor.
 */
export class PostgresDispatcherElection implements DispatcherRole {
  private client: pg.Client | undefined;
  private epoch: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy = false;
  private watchdog: NodeJS.Timeout | undefined;
  private lastWoke = performance.now();

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly bootId: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onChange: (change: RoleChange) => void,
    private readonly timings: ElectionTimings = DEFAULT_TIMINGS,
  ) {}

  isDispatcher(): boolean {
    return this.epoch !== undefined;
  }

  fence(): DispatcherFence | undefined {
    return this.epoch === undefined ? undefined : { epoch: this.epoch };
  }

  /** True only if the lease still names this process's epoch as the newest. */
  async confirm(): Promise<boolean> {
    const epoch = this.epoch;
    if (epoch === undefined) return false;
    const { rows } = await this.pool.query<{ epoch: number }>(
      'SELECT epoch FROM dispatcher_lease WHERE id = 1',
    );
    if (rows[0]?.epoch === epoch) return true;
    this.stepDown('a newer dispatcher took over');
    return false;
  }

  /** Tries for the lock now, then keeps trying (or heartbeating) on a timer. */
  async start(): Promise<void> {
    this.watchPauses();
    await this.turn();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.epoch !== undefined) this.stepDown('shutting down');
    await this.closeClient();
  }

  /**
   * A process that was paused (SIGSTOP, a frozen VM, a stalled event loop) longer than the
   * heartbeat timeout must assume a successor took over. This timer is due before any timer set
   * before the pause by a request in flight (discord.js's 15 s timeout and retry), so the step
   * down, and the abort of this term's sends, come first when the process wakes.
   */
  private watchPauses(): void {
    const everyMs = 500;
    this.lastWoke = performance.now();
    this.watchdog = setInterval(() => {
      const now = performance.now();
      const asleepMs = now - this.lastWoke;
      this.lastWoke = now;
      if (asleepMs > this.timings.heartbeatTimeoutMs && this.epoch !== undefined) {
        this.stepDown(`this process was paused for ${Math.round(asleepMs / 1000)} s`);
        void this.closeClient();
      }
    }, everyMs);
    this.watchdog.unref();
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = this.epoch === undefined ? this.timings.retryMs : this.timings.heartbeatMs;
    this.timer = setTimeout(() => {
      void this.turn().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private async turn(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      if (this.epoch === undefined) await this.tryToLead();
      else await this.heartbeat();
    } catch (error) {
      if (this.epoch !== undefined)
        this.stepDown(`lost the connection to Postgres: ${message(error)}`);
      else this.logger.warn({ err: error }, 'could not take part in the dispatcher election');
      await this.closeClient();
    } finally {
      this.busy = false;
    }
  }

  private async tryToLead(): Promise<void> {
    const client = await this.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [DISPATCHER_LOCK_KEY],
    );
    if (!rows[0]?.locked) return;
    const lease = await client.query<{ epoch: number }>(
      `UPDATE dispatcher_lease SET epoch = epoch + 1, holder = $1, since = $2 WHERE id = 1
        RETURNING epoch`,
      [this.bootId, this.clock.now().getTime()],
    );
    const epoch = lease.rows[0]?.epoch;
    if (epoch === undefined)
      throw new Error('dispatcher_lease has no row; the schema is incomplete');
    this.epoch = epoch;
    this.logger.info({ epoch }, 'became the dispatcher');
    this.onChange({ role: 'dispatcher', epoch });
  }

  private async heartbeat(): Promise<void> {
    const client = await this.connect();
    const { rows } = await client.query<{ epoch: number }>(
      'SELECT epoch FROM dispatcher_lease WHERE id = 1',
    );
    if (rows[0]?.epoch !== this.epoch) {
      this.stepDown('a newer dispatcher took over');
      await this.closeClient();
    }
  }

  private stepDown(reason: string): void {
    if (this.epoch === undefined) return;
    const epoch = this.epoch;
    this.epoch = undefined;
    this.logger.warn({ epoch, reason }, 'no longer the dispatcher');
    this.onChange({ role: 'standby', reason });
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      ...connectionOptions(this.url),
      application_name: 'remembrance-bot dispatcher election',
      query_timeout: this.timings.heartbeatTimeoutMs,
      connectionTimeoutMillis: this.timings.heartbeatTimeoutMs,
      options: `-c idle_session_timeout=${this.timings.idleSessionTimeoutMs}`,
    });
    client.on('error', (error) => {
      // Postgres ended the session (a pause outlived the idle timeout) or the network dropped it.
      if (this.client === client) this.client = undefined;
      this.stepDown(`lost the connection to Postgres: ${error.message}`);
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = undefined;
      throw error;
    }
    return client;
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
