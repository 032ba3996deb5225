import { fileURLToPath } from 'node:url';
import { BotProcess } from '../harness/bot-process.js';
import type { TickSummary } from '../src/scheduler/dispatch-deliveries.js';
import { onCleanup } from './cleanup.js';
import { type ProcMemory, readProcMemory } from './proc-status.js';

export type { TickSummary };

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD_SCRIPT = fileURLToPath(new URL('./bot-child.mjs', import.meta.url));

/** What bot-child.mjs reports once the gateway is ready; times are ms since the child started. */
export interface ChildReady {
  bootedMs: number;
  importedMs: number;
  readyMs: number;
  guilds: number;
  shards: number;
}

export interface ChildStats {
  memory: NodeJS.MemoryUsage;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rest: {
    selfLimitedGlobal: number;
    selfLimitedRoute: number;
    responses: number;
    received429: number;
  };
  guilds: number;
  channels: number;
}

export interface StartBotChildOptions {
  env: NodeJS.ProcessEnv;
  /** ISO time the bot's clock starts at (it then runs at real speed). */
  clockStart: string;
  cwd: string;
  readyTimeoutMs: number;
  /** e.g. ['--cpu-prof', '--cpu-prof-dir', dir] when profiling. */
  execArgv?: string[];
}

/**
 * The bot as bench/bot-child.mjs runs it, through the process harness the tests use too
 * (harness/bot-process.ts), with the benchmark's requests: stats, memory, heap snapshots. Only
 * the last log lines are kept: a 10,000-server run logs too much to hold.
 */
export class BotChild {
  private constructor(private readonly process: BotProcess) {}

  /** Forks the bot and resolves once its gateway is ready. */
  static async start(
    options: StartBotChildOptions,
  ): Promise<{ bot: BotChild; ready: ChildReady; readyAt: number }> {
    const process = new BotProcess({
      script: CHILD_SCRIPT,
      ipc: true,
      // Never inherit this process's flags: under tsx they would load its loader into the bot.
      execArgv: options.execArgv ?? [],
      env: { ...options.env, BENCH_CLOCK_START: options.clockStart },
      cwd: options.cwd,
      keepAllLogs: false,
    });
    const forget = onCleanup(() => process.killGroup());
    void process.exited.then(forget);
    try {
      const ready = (await process.waitForMessage(
        'ready',
        options.readyTimeoutMs,
      )) as unknown as ChildReady;
      return { bot: new BotChild(process), ready, readyAt: performance.now() };
    } catch (error) {
      process.killGroup();
      throw error;
    }
  }

  /** `performance.now()` in this process just before the fork. */
  get spawnedAt(): number {
    return this.process.spawnedAt;
  }

  /** Log lines at warn (40) or above, with their text, for the report's sanity checks. */
  get warnings(): readonly string[] {
    return this.process.warnings;
  }

  /** Log lines where the process became or stopped being the dispatcher (Postgres). */
  get roleChanges(): readonly string[] {
    return this.process.roleChanges;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** Jumps the bot's clock to `at` and runs a tick there; resolves when that tick's sends end. */
  async tick(at: string, timeoutMs: number): Promise<{ summary: TickSummary; ms: number }> {
    const reply = await this.process.request({ type: 'tick', at }, 'ticked', timeoutMs);
    return { summary: reply.summary as TickSummary, ms: reply.ms as number };
  }

  async stats(): Promise<ChildStats> {
    return (await this.process.request({ type: 'stats' }, 'stats', 10_000)).stats as ChildStats;
  }

  async resetLoopDelay(): Promise<void> {
    await this.process.request({ type: 'reset-loop-delay' }, 'loop-delay-reset', 10_000);
  }

  async heapSnapshot(path: string): Promise<string> {
    return (await this.process.request({ type: 'heap-snapshot', path }, 'heap-snapshot', 300_000))
      .path as string;
  }

  procMemory(): ProcMemory {
    return readProcMemory(this.process.pid);
  }

  /** A clean shutdown (so --cpu-prof can write its profile), then SIGKILL if it takes too long. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.process.running) return;
    this.process.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.killGroup(), timeoutMs);
    await this.process.exited;
    clearTimeout(timer);
    this.process.killGroup();
  }

  killGroup(): void {
    this.process.killGroup();
  }

  /** The last log lines and stderr, for error messages. */
  describe(): string {
    return this.process.describe();
  }
}
