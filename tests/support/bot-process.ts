import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BotProcess as HarnessBotProcess } from '../../harness/bot-process.js';

const runFile = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The built bot as its own OS process (harness/bot-process.ts, shared with the benchmark), with
 * the requests bot-with-test-clock.mjs answers. Every log line is kept: tests read them.
 */
export class BotProcess extends HarnessBotProcess {
  /** Moves its clock to `at` and runs a tick there, resolving with the tick's summary. */
  async tick(at: string): Promise<unknown> {
    return (await this.request({ type: 'tick', at }, 'ticked', 120_000)).summary;
  }

  /** Moves the clock without ticking (the next start-up catch-up uses it). */
  async setClock(at: string): Promise<void> {
    await this.request({ type: 'set-clock', at }, 'clock-set', 20_000);
  }

  /** Starts a tick without waiting for it: for killing the process in the middle of a fan-out. */
  startTick(at: string): void {
    this.send({ type: 'tick', at });
  }
}

const RUNTIME = JSON.parse(readFileSync(`${ROOT}/deploy/node-runtime.json`, 'utf8')) as {
  nodeFlags: string[];
  env: Record<string, string>;
};

/**
 * `node dist/main.js` with production's Node flags and environment (what `npm start`, the
 * Dockerfile and the systemd unit run; tests/deploy-files.test.ts keeps them the same), from a
 * folder of the caller's, so that no developer's .env is read. In its own process group, so that
 * `interrupt` is a terminal's Ctrl-C. Never through npm: `npm start` would rebuild dist/ while
 * other tests run bots from it.
 */
export function spawnNode(env: NodeJS.ProcessEnv, cwd: string): BotProcess {
  return new BotProcess({
    script: `${ROOT}/dist/main.js`,
    ipc: false,
    execArgv: RUNTIME.nodeFlags,
    env: { ...cleanEnv(env), ...RUNTIME.env },
    cwd,
    keepAllLogs: true,
  });
}

/** A script of the build (such as `register-commands.js`) run by node in `cwd`, to completion. */
export function runBuiltScript(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ stdout: string; stderr: string }> {
  return runFile(process.execPath, [`${ROOT}/dist/${script}`], { cwd, env: cleanEnv(env) });
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
  // An empty working folder of its own: no .env of the developer's can leak into the bot.
  const cwd = mkdtempSync(join(tmpdir(), 'bot-cwd-'));
  const bot = new BotProcess({
    script: `${ROOT}/tests/support/bot-with-test-clock.mjs`,
    ipc: true,
    execArgv: [],
    env: { ...cleanEnv(env), TEST_CLOCK_START: clockStart },
    cwd,
    keepAllLogs: true,
  });
  void bot.exited.then(() => rmSync(cwd, { recursive: true, force: true }));
  await bot.waitForMessage(waitForCatchUp ? 'caught-up' : 'ready', 60_000);
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
