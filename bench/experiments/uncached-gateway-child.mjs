// An experiment for docs/benchmarks.md, not the bot: how much memory the bot would need if it
// kept no discord.js cache at all. It is the bot's own scheduler, storage, content and logging
// (from dist/), with the discord.js Client replaced by the two packages it is built on:
// @discordjs/ws for the gateway (dispatches are read and dropped; only the count of servers is
// kept) and @discordjs/rest for the posts, with the same rate-limit handling as the bot.
// Both are discord.js's own dependencies, not the project's. Interactions are not handled. It speaks bot-child.mjs's IPC protocol (ready, tick, stats, stop)
// so measure-uncached-gateway.ts can drive it like the bot.

import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const bootedMs = performance.now();
const { REST } = await import('@discordjs/rest');
const { WebSocketManager, WebSocketShardEvents } = await import('@discordjs/ws');
const { loadConfig } = await import('../../dist/config.js');
const { createLogger } = await import('../../dist/logger.js');
const { loadContent } = await import('../../dist/content/load-content.js');
const { openDatabase } = await import('../../dist/storage/open-database.js');
const { GuildSettingsRepository } = await import('../../dist/storage/guild-settings-repository.js');
const { DeliveryRepository } = await import('../../dist/storage/delivery-repository.js');
const { SchedulerStateRepository } = await import(
  '../../dist/storage/scheduler-state-repository.js'
);
const { DeliveryScheduler } = await import('../../dist/scheduler/delivery-scheduler.js');
const importedMs = performance.now();

let base = Date.parse(process.env.BENCH_CLOCK_START ?? '');
let baseSetAt = performance.now();
const clock = { now: () => new Date(base + (performance.now() - baseSetAt)) };

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, [config.DISCORD_TOKEN]);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const rest = new REST({ api: config.DISCORD_API_BASE_URL, timeout: 15_000, retries: 3 });
rest.setToken(config.DISCORD_TOKEN);
const restStats = { selfLimitedGlobal: 0, selfLimitedRoute: 0, responses: 0, received429: 0 };
rest.on('rateLimited', (info) => {
  if (info.global) restStats.selfLimitedGlobal += 1;
  else restStats.selfLimitedRoute += 1;
});

const publisher = {
  async publish(channelId, payload, nonce) {
    try {
      const message = await rest.post(`/channels/${channelId}/messages`, {
        body: { ...payload, nonce, enforce_nonce: true },
      });
      return { ok: true, messageId: message.id };
    } catch (error) {
      return {
        ok: false,
        retry: true,
        reason: 'transient',
        detail: String(error),
        maybeDelivered: true,
      };
    }
  },
};

const db = openDatabase(config.DATABASE_PATH);
const scheduler = new DeliveryScheduler({
  content: loadContent(),
  settings: new GuildSettingsRepository(db),
  deliveries: new DeliveryRepository(db),
  state: new SchedulerStateRepository(db),
  publisher,
  clock,
  logger: logger.child({ component: 'scheduler' }),
  bootId: randomUUID(),
});

// Ready once every shard is ready and every server it announced has arrived, as discord.js does.
const gateway = new WebSocketManager({ token: config.DISCORD_TOKEN, intents: 1, rest });
const awaited = new Set();
const seen = new Set();
let shardsReady = 0;
let shardCount = 0;
let ready = false;
gateway.on(WebSocketShardEvents.Dispatch, ({ data }) => {
  if (data.t === 'READY') {
    shardsReady += 1;
    shardCount = data.d.shard?.[1] ?? 1;
    for (const guild of data.d.guilds) awaited.add(guild.id);
  } else if (data.t === 'GUILD_CREATE') {
    awaited.delete(data.d.id);
    seen.add(data.d.id);
  }
  if (!ready && shardsReady === shardCount && awaited.size === 0) {
    ready = true;
    scheduler.recover();
    scheduler
      .tick(clock.now())
      .catch((error) => logger.error({ err: error }, 'catch-up tick failed'));
    process.send?.({
      type: 'ready',
      bootedMs,
      importedMs,
      readyMs: performance.now(),
      guilds: seen.size,
      shards: shardCount,
    });
  }
});
await gateway.connect();

// Every clock minute after the first jump, as bot-child.mjs does.
let ticker;
function armMinuteTicker() {
  clearTimeout(ticker);
  const now = clock.now().getTime();
  const next = (Math.floor(now / 60_000) + 1) * 60_000;
  ticker = setTimeout(() => {
    scheduler.tick(clock.now()).catch((error) => logger.error({ err: error }, 'tick failed'));
    armMinuteTicker();
  }, next - now);
}

process.on('message', (message) => {
  const reply = (answer) => process.send?.({ ...answer, id: message.id });
  if (message.type === 'tick') {
    base = Date.parse(message.at);
    baseSetAt = performance.now();
    armMinuteTicker();
    const startedMs = performance.now();
    scheduler.tick(clock.now()).then(
      (summary) =>
        reply({ type: 'ticked', summary, ms: Math.round(performance.now() - startedMs) }),
      (error) => reply({ type: 'error', error: String(error) }),
    );
  } else if (message.type === 'stats') {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    reply({
      type: 'stats',
      stats: {
        memory: process.memoryUsage(),
        eventLoopDelayMs: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
        rest: { ...restStats },
        guilds: seen.size,
        channels: 0,
      },
    });
  } else if (message.type === 'reset-loop-delay') {
    loopDelay.reset();
    reply({ type: 'loop-delay-reset' });
  } else if (message.type === 'stop') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(1));
