import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface BotProcessOptions {
  /** dist/main.js itself, or a test or benchmark wrapper around it. */
  script: string;
  /** Fork it with an IPC channel (the wrappers), or spawn it as production does (main.js). */
  ipc: boolean;
  /** Node flags for the bot; never this process's own (under tsx they would load its loader). */
  execArgv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Its working folder: an empty temporary one, so that no developer's .env is read. */
  cwd: string;
  /** Keep every log line (tests read them), or only the last 20 (a 10,000-server benchmark). */
  keepAllLogs: boolean;
}

interface Reply {
  type: string;
  id?: number;
  error?: string;
  [key: string]: unknown;
}

/**
 * The built bot as its own OS process, for the tests and the benchmark alike. It leads its own
 * process group, so that stopping it leaves nothing behind. Its stdout (JSON log lines) is read
 * continuously, since a full pipe would block the bot. Every wait has a timeout whose error shows
 * the bot's last lines.
 */
export class BotProcess {
  /** `performance.now()` in this process just before the bot was started. */
  readonly spawnedAt: number;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its log lines: all of them, or the last 20 (see `keepAllLogs`). */
  readonly logs: string[] = [];
  /** Log lines at warn (40) or above, up to 1,000. */
  readonly warnings: string[] = [];
  /** Log lines where the process became or stopped being the dispatcher (Postgres), all kept. */
  readonly roleChanges: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = '';
  private nextId = 1;

  constructor(private readonly options: BotProcessOptions) {
    this.spawnedAt = performance.now();
    const spawnOptions = {
      cwd: options.cwd,
      env: options.env,
      detached: true,
    };
    this.child = options.ipc
      ? fork(options.script, [], {
          ...spawnOptions,
          execArgv: [...options.execArgv],
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        })
      : spawn(process.execPath, [...options.execArgv, options.script], {
          ...spawnOptions,
          stdio: 'pipe',
        });
    if (this.child.pid === undefined) throw new Error('could not start the bot process');
    this.pid = this.child.pid;
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onLog(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for a log line matching the pattern. */
  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line) return line;
      if (!this.running) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms\n${this.describe()}`);
  }

  /** Sends a request over IPC and resolves with the reply of type `answer`. */
  request(message: Record<string, unknown>, answer: string, timeoutMs: number): Promise<Reply> {
    const id = this.nextId++;
    const reply = this.waitForMessage(answer, timeoutMs, id, `${String(message.type)} request`);
    this.child.send({ ...message, id });
    return reply;
  }

  /** Sends a request without waiting for its answer. */
  send(message: Record<string, unknown>): void {
    this.child.send({ ...message, id: this.nextId++ });
  }

  /** Resolves with the first IPC message of that type (and id); rejects on error, exit or timeout. */
  waitForMessage(type: string, timeoutMs: number, id?: number, what = `'${type}'`): Promise<Reply> {
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
        else if (reply.type === 'error' || reply.type.endsWith('-failed'))
          finish(new Error(`the bot failed the ${what}: ${reply.error}`));
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
      if (!this.running) onExit();
    });
  }

  /** Ctrl-C in a terminal: SIGINT to the whole process group. */
  interrupt() {
    return this.stop('SIGINT');
  }

  /** A signal to the whole process group; resolves when the bot has exited. */
  stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.running) this.signalGroup(signal);
    return this.exited;
  }

  /** SIGKILL to the whole process group; safe to call at any time, including from 'exit'. */
  killGroup(): void {
    this.signalGroup('SIGKILL');
  }

  /** The last log lines and stderr, for error messages. */
  describe(): string {
    return [
      `bot pid ${this.pid} ${this.running ? 'still running' : `exited (${this.child.exitCode ?? this.child.signalCode})`}`,
      `stderr: ${this.stderr.trim() || '(empty)'}`,
      'last log lines:',
      ...this.logs.slice(-20).map((line) => `  ${line.slice(0, 400)}`),
    ].join('\n');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // Already gone.
    }
  }

  private onLog(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      this.logs.push(line);
      if (!this.options.keepAllLogs && this.logs.length > 20) this.logs.shift();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 40 && this.warnings.length < 1000) this.warnings.push(line);
      if (line.includes('the dispatcher"')) this.roleChanges.push(line);
    }
  }
}
