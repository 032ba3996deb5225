import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A bot started as its own OS process; its stdout log lines and stderr are collected. */
export class BotProcess {
  readonly logs: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer = '';
  private nextId = 1;

  /** `group`: the process leads its own process group, and stopping it signals the whole group. */
  constructor(
    readonly child: ChildProcess,
    private readonly group = false,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      this.logs.push(...lines.filter((line) => line.trim() !== ''));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Waits for a log line matching the pattern (the bot logs JSON lines). */
  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `no log line matching ${pattern} within ${timeoutMs} ms; stderr: ${this.stderr}; logs:\n${this.logs.slice(-20).join('\n')}`,
    );
  }

  /** For the test-clock process: move its clock to `at` and run a tick there, resolving when it ends. */
  tick(at: string): Promise<unknown> {
    return this.request({ type: 'tick', at }, 'ticked');
  }

  /** Moves the clock without ticking (the next start-up catch-up uses it). */
  setClock(at: string): Promise<unknown> {
    return this.request({ type: 'set-clock', at }, 'clock-set');
  }

  /** Starts a tick without waiting for it: for killing the process in the middle of a fan-out. */
  startTick(at: string): void {
    this.child.send({ type: 'tick', at, id: this.nextId++ });
  }

  private request(message: Record<string, unknown>, answer: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: {
        type: string;
        id: number;
        summary?: unknown;
        error?: string;
      }) => {
        if (reply.id !== id) return;
        this.child.off('message', onMessage);
        if (reply.type === answer) resolve(reply.summary);
        else reject(new Error(reply.error ?? `unexpected reply ${reply.type}`));
      };
      this.child.on('message', onMessage);
      this.child.send({ ...message, id });
    });
  }

  /** Ctrl-C in a terminal: SIGINT to the whole process group. */
  async interrupt() {
    if (this.child.pid && this.child.exitCode === null) process.kill(-this.child.pid, 'SIGINT');
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      // npm exits on a signal without waiting for the bot; signal the whole group so none is left.
      if (this.group && this.child.pid) process.kill(-this.child.pid, signal);
      else this.child.kill(signal);
    }
    return this.exited;
  }
}

/** `npm start`, exactly as the README says, with the given environment. */
export function spawnNpmStart(env: NodeJS.ProcessEnv): BotProcess {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: 'pipe',
    detached: true,
  });
  return new BotProcess(child, true);
}

/** `node dist/main.js` from another folder (so no .env is read), as the Dockerfile runs it. */
export function spawnNode(env: NodeJS.ProcessEnv, cwd: string): BotProcess {
  return new BotProcess(
    spawn(process.execPath, [`${ROOT}/dist/main.js`], { cwd, env: cleanEnv(env), stdio: 'pipe' }),
  );
}

/**
 * The built bot with a clock the test controls. Resolves once its gateway is ready and, unless
 * told not to, once its start-up catch-up has finished sending, so that tests are deterministic.
 */
export async function forkBotWithTestClock(
  env: NodeJS.ProcessEnv,
  clockStart: string,
  { waitForCatchUp = true } = {},
): Promise<BotProcess> {
  const child = fork(`${ROOT}/tests/support/bot-with-test-clock.mjs`, {
    cwd: ROOT,
    env: { ...cleanEnv(env), TEST_CLOCK_START: clockStart },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const bot = new BotProcess(child);
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type === (waitForCatchUp ? 'caught-up' : 'ready')) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    void bot.exited.then(({ code }) =>
      reject(new Error(`bot exited with ${code} before it was ready: ${bot.stderr}`)),
    );
  });
  return bot;
}

/** The environment without any DISCORD_ or bot variables of the developer's own. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(DISCORD_|DATABASE_|SHARD_|LOG_LEVEL|HEALTH_)/.test(key),
    ),
  );
  return { ...base, ...env };
}

export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
