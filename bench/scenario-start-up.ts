import type { BenchGuild } from './bench-guilds.js';
import { CONFIGURED_AT, DAY_POST_AT } from './bench-times.js';
import { startBenchWorld } from './bench-world.js';
import { BotChild, type ChildReady } from './bot-child-process.js';
import { progress } from './progress.js';
import { waitUntil } from './wait-until.js';

export interface StartUpResult {
  servers: number;
  shards: number;
  /** Process spawn to the gateway's ready (all shards ready, every GUILD_CREATE processed). */
  readyMs: number;
  /** Process spawn to the first scheduled post reaching Discord (the catch-up tick's first send). */
  firstPostMs: number;
  /** The child's own view: Node boot, module imports, ready; ms since its process started. */
  child: ChildReady;
}

export interface StartUpOptions {
  readyTimeoutMs: number;
  execArgv: string[];
}

/**
 * A bot started with its clock exactly at a post time, every server configured: its start-up
 * catch-up tick must post at once. Stopped after the first post (the rest is the fan-out benchmark).
 */
export async function measureStartUp(
  guilds: readonly BenchGuild[],
  options: StartUpOptions,
): Promise<StartUpResult> {
  const world = await startBenchWorld(guilds, CONFIGURED_AT);
  try {
    progress(
      `start-up, ${guilds.length} servers on ${world.shardCount} shard(s): spawning the bot`,
    );
    const { bot, ready, readyAt } = await BotChild.start({
      env: world.env,
      clockStart: DAY_POST_AT,
      cwd: world.dir,
      readyTimeoutMs: options.readyTimeoutMs,
      execArgv: options.execArgv,
    });
    try {
      if (ready.guilds !== guilds.length) {
        throw new Error(`the bot saw ${ready.guilds} servers at ready, not ${guilds.length}`);
      }
      await waitUntil(
        () => world.fake.messages.length > 0,
        60_000,
        'the first scheduled post after start-up',
        () => bot.describe(),
      );
      const first = world.fake.messages[0];
      if (!first) throw new Error('unreachable: no first message');
      const result: StartUpResult = {
        servers: guilds.length,
        shards: world.shardCount,
        readyMs: readyAt - bot.spawnedAt,
        firstPostMs: first.createdAt - bot.spawnedAt,
        child: ready,
      };
      progress(
        `start-up, ${guilds.length} servers: ready after ${Math.round(result.readyMs)} ms, first post after ${Math.round(result.firstPostMs)} ms`,
      );
      return result;
    } finally {
      await bot.stop();
    }
  } finally {
    await world.close();
  }
}
