// The built bot (dist/) in its own process, started as `node dist/main.js` starts it, with two
// differences the benchmark needs:
//
// - Its clock runs at real speed from BENCH_CLOCK_START, and the benchmark can jump it (`tick`),
//   so a fan-out can start at 05:00Z on demand. After the first jump it also ticks at the start of
//   every clock minute, as node-cron does in production: a long fan-out overlaps later ticks there,
//   and their cost belongs in the measurement.
// - It answers a few requests over IPC: timings, memory, event-loop delay, REST counters, a heap
//   snapshot. Nothing here changes what the bot does.
//
// Plain JavaScript on purpose: running it under tsx would load a TypeScript loader into the process
// whose start-up time and memory are being measured.

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

/** Milliseconds from process start (performance.timeOrigin) to this module running: Node's own boot. */
const bootedMs = performance.now();

const { loadConfig } = await import('../dist/config.js');
const { createLogger } = await import('../dist/logger.js');
const { startBot } = await import('../dist/main.js');
const importedMs = performance.now();

const MINUTE_MS = 60_000;

let base = Date.parse(process.env.BENCH_CLOCK_START ?? '');
if (Number.isNaN(base)) throw new Error('BENCH_CLOCK_START must be an ISO time');
let baseSetAt = performance.now();
const clock = { now: () => new Date(base + (performance.now() - baseSetAt)) };

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, [config.DISCORD_TOKEN]);
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

// Sampled from the start, so the percentiles cover start-up, the fan-out and the interactions.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const bot = await startBot({ config, logger, clock, tickEveryMinute: false });

// What @discordjs/rest itself reports: waits it imposed on itself, and 429s it received.
const rest = { selfLimitedGlobal: 0, selfLimitedRoute: 0, responses: 0, received429: 0 };
bot.discord.rest.on('rateLimited', (info) => {
  if (info.global) rest.selfLimitedGlobal += 1;
  else rest.selfLimitedRoute += 1;
});
bot.discord.rest.on('response', (_request, response) => {
  rest.responses += 1;
  if (response.status === 429) rest.received429 += 1;
});

await bot.ready;
const readyMs = performance.now();
process.send?.({
  type: 'ready',
  bootedMs,
  importedMs,
  readyMs,
  guilds: bot.discord.guildIds.size,
  shards: await bot.discord.gateway.getShardCount(),
});

/** Like node-cron's every-minute schedule, on the benchmark's clock. */
let ticker;
function armMinuteTicker() {
  clearTimeout(ticker);
  const now = clock.now().getTime();
  const next = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  ticker = setTimeout(() => {
    bot
      .tick(clock.now())
      .catch((error) => logger.error({ err: error }, 'tick failed; the next tick will try again'));
    armMinuteTicker();
  }, next - now);
}

function stats() {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  return {
    memory: process.memoryUsage(),
    eventLoopDelayMs: {
      p50: ms(loopDelay.percentile(50)),
      p99: ms(loopDelay.percentile(99)),
      max: ms(loopDelay.max),
    },
    rest: { ...rest },
    guilds: bot.discord.guildIds.size,
    // The bot keeps no channel objects at all; kept in the report as a check of that.
    channels: 0,
  };
}

process.on('message', (message) => {
  const reply = (answer) => process.send?.({ ...answer, id: message.id });
  const fail = (error) => reply({ type: 'error', error: String(error?.stack ?? error) });
  try {
    if (message.type === 'tick') {
      base = Date.parse(message.at);
      baseSetAt = performance.now();
      armMinuteTicker();
      const startedMs = performance.now();
      bot
        .tick(clock.now())
        .then(
          (summary) =>
            reply({ type: 'ticked', summary, ms: Math.round(performance.now() - startedMs) }),
          fail,
        );
    } else if (message.type === 'stats') {
      reply({ type: 'stats', stats: stats() });
    } else if (message.type === 'reset-loop-delay') {
      loopDelay.reset();
      reply({ type: 'loop-delay-reset' });
    } else if (message.type === 'heap-snapshot') {
      reply({ type: 'heap-snapshot', path: writeHeapSnapshot(message.path) });
    } else if (message.type === 'stop') {
      clearTimeout(ticker);
      // A normal exit, so that --cpu-prof writes its profile.
      bot.stop().then(() => process.exit(0), fail);
    }
  } catch (error) {
    fail(error);
  }
});

// The benchmark died without cleaning up: do not outlive it.
process.on('disconnect', () => process.exit(1));
