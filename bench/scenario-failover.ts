import type { BenchGuild } from './bench-guilds.js';
import { BEFORE_DAY_POST, CONFIGURED_AT, DAY_POST_AT } from './bench-times.js';
import { startBenchWorld } from './bench-world.js';
import { BotChild } from './bot-child-process.js';
import { progress } from './progress.js';
import { sleep } from './wait-until.js';

export interface FailoverResult {
  servers: number;
  /** SIGKILL: the process dies, its connections close. SIGSTOP: it is frozen, connections open. */
  signal: 'SIGKILL' | 'SIGSTOP';
  /** Posts already at the fake when the dispatcher was stopped. */
  postsBeforeDeath: number;
  /** From the signal to the successor's "became the dispatcher" log line. */
  takeoverMs: number;
  /** From the signal to the first post the successor sent. */
  failoverMs: number;
  lost: number;
  duplicated: number;
}

const POLL_MS = 5;

/**
 * Two bot processes on one Postgres, one shard each. The dispatcher starts the day post's fan-out;
 * a quarter of the way through it gets the signal. The clock starts there, and stops at the first
 * post the fake receives after the other process logged that it became the dispatcher.
 */
export async function measureFailover(
  guilds: readonly BenchGuild[],
  databaseUrl: string,
  signal: 'SIGKILL' | 'SIGSTOP',
  readyTimeoutMs: number,
  execArgv: string[],
): Promise<FailoverResult> {
  const world = await startBenchWorld(guilds, CONFIGURED_AT, 'fixed', databaseUrl, 2);
  const { fake } = world;
  const bots: BotChild[] = [];
  const start = async (shard: number) => {
    const { bot } = await BotChild.start({
      env: { ...world.env, SHARD_COUNT: '2', SHARD_IDS: String(shard) },
      clockStart: BEFORE_DAY_POST,
      cwd: world.dir,
      readyTimeoutMs,
      execArgv,
    });
    bots.push(bot);
    return bot;
  };
  try {
    progress(`failover (${signal}), ${guilds.length} servers: starting two bot processes`);
    const first = await start(0);
    await until(() => became(first) !== undefined, 30_000, 'the first process to lead');
    const second = await start(1);
    // The standby's clock to 09:00 Baku too (a standby's tick only plans).
    await second.tick(DAY_POST_AT, 120_000);
    void first.tick(DAY_POST_AT, 600_000).catch(() => {});
    const quarter = Math.floor(guilds.length / 4);
    await until(() => fake.messages.length >= quarter, 120_000, 'a quarter of the posts');
    const postsBeforeDeath = fake.messages.length;
    const signalledAt = performance.now();
    if (signal === 'SIGKILL') first.killGroup();
    else process.kill(-first.pid, 'SIGSTOP');

    await until(() => became(second) !== undefined, 60_000, 'the successor');
    const becameAt = became(second) ?? 0;
    await until(
      () => fake.messages.some((m) => m.createdAt > becameAt),
      60_000,
      "the successor's first post",
    );
    const nextPostAt = Math.min(
      ...fake.messages.filter((m) => m.createdAt > becameAt).map((m) => m.createdAt),
    );
    const channels = new Set(guilds.map((guild) => guild.postChannelId));
    const covered = () => new Set(fake.messages.map((m) => m.channelId)).size >= channels.size;
    await until(covered, 60_000 + guilds.length * 40, 'every server to get its post');
    await sleep(2_000);
    if (signal === 'SIGSTOP') {
      process.kill(-first.pid, 'SIGCONT');
      // The woken process must send nothing more; a late duplicate would be counted below.
      await sleep(5_000);
    }
    const counts = new Map<string, number>();
    for (const message of fake.messages)
      counts.set(message.channelId, (counts.get(message.channelId) ?? 0) + 1);
    const result: FailoverResult = {
      servers: guilds.length,
      signal,
      postsBeforeDeath,
      takeoverMs: becameAt - signalledAt,
      failoverMs: nextPostAt - signalledAt,
      lost: [...channels].filter((c) => !counts.has(c)).length,
      duplicated: [...counts.values()].filter((n) => n > 1).length,
    };
    progress(
      `failover (${signal}): successor led after ${(result.takeoverMs / 1000).toFixed(2)} s, posted after ${(result.failoverMs / 1000).toFixed(2)} s; lost ${result.lost}, duplicated ${result.duplicated}`,
    );
    return result;
  } finally {
    for (const bot of bots) bot.killGroup();
    await world.close();
  }
}

/** `performance.now()` of the process's "became the dispatcher" line (pino's time is epoch ms). */
function became(bot: BotChild): number | undefined {
  const line = bot.roleChanges.find((l) => l.includes('"became the dispatcher"'));
  if (!line) return undefined;
  return (JSON.parse(line) as { time: number }).time - performance.timeOrigin;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}
