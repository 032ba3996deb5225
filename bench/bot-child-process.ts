import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';
import { type ProcMemory, readProcMemory } from './proc-status.js';

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

import type { TickSummary } from '../src/scheduler/dispatch-deliveries.js';

export type { TickSummary };

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
  /** Another script speaking bot-child.mjs's IPC protocol, for experiments. */
  script?: string;
}

interface Reply {
  type: string;
  id?: number;
  error?: string;
  [key: string]: unknown;
}

/**
 * The bot as a separate OS process, in its own process group so that killing the group leaves
 * nothing behind. Its stdout (JSON log lines) is drained continuously, since a full pipe would
 * block the bot, and only a tail is kept for error messages.
 */
export class BotChild {
  /** `performance.now()` in this process just before the fork. */
  readonly spawnedAt: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Log lines at warn (40) or above, with their text, for the report's sanity checks. */
  readonly warnings: string[] = [];
  /** Log lines where the process became or stopped being the dispatcher (Postgres). */
  readonly roleChanges: string[] = [];
  private readonly tail: string[] = [];
  private stderr = '';
  private partial = '';
  private nextId = 1;
  private exitInfo: string | null = null;
  private readonly forget: () => void;

  private constructor(options: StartBotChildOptions) {
    this.spawnedAt = performance.now();
    this.child = fork(options.script ?? CHILD_SCRIPT, [], {
      cwd: options.cwd,
      env: { ...options.env, BENCH_CLOCK_START: options.clockStart },
      // Never inherit this process's flags: under tsx they would load its loader into the bot.
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    if (this.child.pid === undefined) throw new Error('could not start the bot process');
    this.pid = this.child.pid;
    this.forget = onCleanup(() => this.killGroup());
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onLog(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.child.once('exit', (code, signal) => {
      this.exitInfo = `exited with ${signal ?? `code ${code}`}`;
      this.forget();
    });
  }

  /** Forks the bot and resolves once its gateway is ready. */
  static async start(
    options: StartBotChildOptions,
  ): Promise<{ bot: BotChild; ready: ChildReady; readyAt: number }> {
    const bot = new BotChild(options);
    try {
      const ready = (await bot.waitFor('ready', options.readyTimeoutMs)) as unknown as ChildReady;
      return { bot, ready, readyAt: performance.now() };
    } catch (error) {
      bot.killGroup();
      throw error;
    }
  }

  /** Jumps the bot's clock to `at` and runs a tick there; resolves when that tick's sends end. */
  async tick(at: string, timeoutMs: number): Promise<{ summary: TickSummary; ms: number }> {
    const reply = await this.request({ type: 'tick', at }, 'ticked', timeoutMs);
    return { summary: reply.summary as TickSummary, ms: reply.ms as number };
  }

  async stats(): Promise<ChildStats> {
    return (await this.request({ type: 'stats' }, 'stats', 10_000)).stats as ChildStats;
  }

  async resetLoopDelay(): Promise<void> {
    await this.request({ type: 'reset-loop-delay' }, 'loop-delay-reset', 10_000);
  }

  async heapSnapshot(path: string): Promise<string> {
    return (await this.request({ type: 'heap-snapshot', path }, 'heap-snapshot', 300_000))
      .path as string;
  }

  procMemory(): ProcMemory {
    return readProcMemory(this.pid);
  }

  /** A clean shutdown (so --cpu-prof can write its profile), then SIGKILL if it takes too long. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.exitInfo !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop', id: this.nextId++ });
    const timer = setTimeout(() => this.killGroup(), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.killGroup();
  }

  /** SIGKILL to the whole process group; safe to call at any time, including from 'exit'. */
  killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** The last log lines and stderr, for error messages. */
  describe(): string {
    return [
      `bot pid ${this.pid} ${this.exitInfo ?? 'still running'}`,
      `stderr: ${this.stderr.trim() || '(empty)'}`,
      'last log lines:',
      ...this.tail.map((line) => `  ${line.slice(0, 400)}`),
    ].join('\n');
  }

  private onLog(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      this.tail.push(line);
      if (line.includes('the dispatcher"')) this.roleChanges.push(line);
      if (this.tail.length > 20) this.tail.shift();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 40 && this.warnings.length < 1000) this.warnings.push(line);
    }
  }

  private request(
    message: Record<string, unknown>,
    answer: string,
    timeoutMs: number,
  ): Promise<Reply> {
    const id = this.nextId++;
    const reply = this.waitFor(answer, timeoutMs, id, `${String(message.type)} request`);
    this.child.send({ ...message, id });
    return reply;
  }

  /** Resolves with the first IPC message of that type (and id); rejects on error, exit or timeout. */
  private waitFor(
    type: string,
    timeoutMs: number,
    id?: number,
    what = `'${type}'`,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const finish = (error: Error | null, reply?: Reply) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else if (reply) resolve(reply);
      };
      const onMessage = (reply: Reply) => {
        if (id !== undefined && reply.id !== id) return;
        if (reply.type === type) finish(null, reply);
        else if (reply.type === 'error')
          finish(new Error(`bot failed the ${what}: ${reply.error}`));
      };
      const onExit = () =>
        finish(new Error(`the bot exited while waiting for ${what}\n${this.describe()}`));
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}\n${this.describe()}`,
            ),
          ),
        timeoutMs,
      );
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      if (this.exitInfo !== null) onExit();
    });
  }
}
