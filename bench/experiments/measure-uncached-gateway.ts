// An experiment for docs/benchmarks.md: the memory of the bot without discord.js's cache, with
// the same servers, fake Discord, rate limits and fan-out as the benchmark (see
// uncached-gateway-child.mjs for what is and is not in that process). Run after `npm run build`:
//
//   npx tsx bench/experiments/measure-uncached-gateway.ts [servers, default 10000] [node flags]
//
// Prints one line per measurement on stdout.

import { fileURLToPath } from 'node:url';
import { makeBenchGuilds } from '../bench-guilds.js';
import { BEFORE_DAY_POST, CONFIGURED_AT, DAY_POST_AT } from '../bench-times.js';
import { startBenchWorld } from '../bench-world.js';
import { BotChild } from '../bot-child-process.js';
import { installCleanupHandlers } from '../cleanup.js';
import { progress } from '../progress.js';
import { waitUntil } from '../wait-until.js';

const SCRIPT = fileURLToPath(new URL('./uncached-gateway-child.mjs', import.meta.url));

async function main(): Promise<void> {
  installCleanupHandlers();
  const servers = Number(process.argv[2] ?? 10_000);
  const guilds = makeBenchGuilds(servers);
  const world = await startBenchWorld(guilds, CONFIGURED_AT);
  try {
    const { bot, ready, readyAt } = await BotChild.start({
      env: world.env,
      clockStart: BEFORE_DAY_POST,
      cwd: world.dir,
      readyTimeoutMs: 60_000 + servers * 10,
      script: SCRIPT,
      execArgv: (process.argv[3] ?? '').split(' ').filter((flag) => flag !== ''),
    });
    try {
      const afterReady = bot.procMemory();
      line(
        `${servers} servers, uncached gateway: ready after ${Math.round(readyAt - bot.spawnedAt)} ms (${ready.guilds} servers seen), RSS after ready ${mb(afterReady.rssBytes)}`,
      );
      progress(`tick at ${DAY_POST_AT}`);
      const tickAt = performance.now();
      const { summary } = await bot.tick(DAY_POST_AT, Math.max(120_000, servers * 60));
      await waitUntil(() => world.fake.messages.length >= servers, 10_000, 'every post');
      const last = world.fake.messages.at(-1);
      const end = bot.procMemory();
      line(
        `${servers} servers, uncached gateway: fan-out ${(((last?.createdAt ?? Number.NaN) - tickAt) / 1000).toFixed(2)} s, sent ${summary.sent}; peak RSS ${mb(end.peakRssBytes)}, RSS at end ${mb(end.rssBytes)}`,
      );
    } finally {
      await bot.stop();
    }
  } finally {
    await world.close();
  }
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
