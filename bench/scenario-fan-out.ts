import { join } from 'node:path';
import type { FakeDiscord, RestStats } from '@remembrance-bot/fake-discord';
import type { BenchGuild } from './bench-guilds.js';
import { BEFORE_DAY_POST, CONFIGURED_AT, DAY_POST_AT } from './bench-times.js';
import { DISCORD_RATE_LIMITS, type GlobalWindow, startBenchWorld } from './bench-world.js';
import {
  BotChild,
  type ChildReady,
  type ChildStats,
  type TickSummary,
} from './bot-child-process.js';
import type { ProcMemory } from './proc-status.js';
import { progress } from './progress.js';
import { type BurstPattern, describeBursts } from './request-bursts.js';
import {
  type InteractionLatencyResult,
  type InteractionOptions,
  measureInteractionLatency,
} from './scenario-interactions.js';
import { sleep } from './wait-until.js';

export interface FanOutResult {
  servers: number;
  store: 'sqlite' | 'postgres';
  globalWindow: GlobalWindow;
  shards: number;
  /** Tick request sent to the message that gave the last server its post, at the fake. */
  wallMs: number;
  /** `performance.now()` of the tick request, and of the post that completed the fan-out. */
  span: { start: number; end: number };
  /** N / 50 s: what Discord's global limit allows at best. */
  floorMs: number;
  /** Requests the fake received during the fan-out, of any kind. */
  requests: number;
  /** How the fan-out's message posts arrived at the fake. */
  bursts: BurstPattern | null;
  rateLimited: Pick<RestStats, 'rateLimited' | 'rateLimitedGlobal' | 'rateLimitedRoute'>;
  /** Configured servers that got no post. */
  lost: number;
  /** Servers that got more than one post. */
  duplicated: number;
  tick: { summary: TickSummary; ms: number };
  /** Spawn to gateway ready, for the bot started at 04:59 (no post owed). */
  readyMs: number;
  childReady: ChildReady;
  memoryAfterReady: ProcMemory;
  statsAfterReady: ChildStats;
  /** Read at the end of the fan-out: VmHWM is the peak over the whole run. */
  memoryAtEnd: ProcMemory;
  statsAtEnd: ChildStats;
  interactions: InteractionLatencyResult[];
  /** Bot log lines at warn or above during the whole run. */
  warnings: string[];
}

export interface FanOutOptions {
  readyTimeoutMs: number;
  execArgv: string[];
  /** Latency runs against the idle bot before the fan-out, one per concurrency. */
  interactions: InteractionOptions[];
  /** A latency run started with the fan-out, to see what members get while it goes on. */
  interactionsDuringFanOut: InteractionOptions | null;
  /** Where to write a heap snapshot of the bot at the end of the fan-out, if anywhere. */
  heapSnapshotDir: string | null;
  /** How the fake counts Discord's global limit. */
  globalWindow: GlobalWindow;
  /** Run the bot on this Postgres database instead of a SQLite file. */
  databaseUrl?: string;
}

/** After the tick's sends end, how long to keep counting in case a late duplicate arrives. */
const SETTLE_MS = 2_000;
const PROGRESS_EVERY_MS = 15_000;

/**
 * The day post of one observance to every configured server: the bot starts at 04:59, idle; its
 * clock jumps to 05:00 and it ticks; the clock runs on and it ticks every minute as in production.
 */
export async function measureFanOut(
  guilds: readonly BenchGuild[],
  options: FanOutOptions,
): Promise<FanOutResult> {
  const world = await startBenchWorld(
    guilds,
    CONFIGURED_AT,
    options.globalWindow,
    options.databaseUrl,
  );
  const { fake } = world;
  try {
    progress(`fan-out, ${guilds.length} servers on ${world.shardCount} shard(s): spawning the bot`);
    const { bot, ready, readyAt } = await BotChild.start({
      env: world.env,
      clockStart: BEFORE_DAY_POST,
      cwd: world.dir,
      readyTimeoutMs: options.readyTimeoutMs,
      execArgv: options.execArgv,
    });
    try {
      const memoryAfterReady = bot.procMemory();
      const statsAfterReady = await bot.stats();
      if (ready.guilds !== guilds.length) {
        throw new Error(`the bot saw ${ready.guilds} servers at ready, not ${guilds.length}`);
      }
      progress(
        `fan-out, ${guilds.length} servers: ready after ${Math.round(readyAt - bot.spawnedAt)} ms; ${describeMemory(memoryAfterReady, statsAfterReady)}`,
      );
      const interactions: InteractionLatencyResult[] = [];
      const guildIds = guilds.map((guild) => guild.id);
      for (const run of options.interactions) {
        interactions.push(await measureInteractionLatency(fake, bot, guildIds, run));
      }
      if (fake.messages.length > 0) throw new Error('the bot posted before the benchmark tick');

      const measured = await runFanOut(fake, bot, guilds, (during) =>
        options.interactionsDuringFanOut
          ? measureInteractionLatency(
              fake,
              bot,
              guildIds,
              options.interactionsDuringFanOut,
              true,
            ).then((result) => {
              during.push(result);
            })
          : Promise.resolve(),
      );
      interactions.push(...measured.during);
      const memoryAtEnd = bot.procMemory();
      const statsAtEnd = await bot.stats();
      progress(
        `fan-out, ${guilds.length} servers: at the end, ${describeMemory(memoryAtEnd, statsAtEnd)}`,
      );
      if (options.heapSnapshotDir) {
        const path = join(options.heapSnapshotDir, `bot-${guilds.length}-servers.heapsnapshot`);
        progress(`writing a heap snapshot of the bot to ${path}`);
        await bot.heapSnapshot(path);
      }
      return {
        servers: guilds.length,
        store: options.databaseUrl ? 'postgres' : 'sqlite',
        globalWindow: options.globalWindow,
        shards: world.shardCount,
        ...measured,
        readyMs: readyAt - bot.spawnedAt,
        childReady: ready,
        memoryAfterReady,
        statsAfterReady,
        memoryAtEnd,
        statsAtEnd,
        interactions,
        warnings: [...bot.warnings],
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await world.close();
  }
}

type Measured = Pick<
  FanOutResult,
  | 'wallMs'
  | 'span'
  | 'floorMs'
  | 'requests'
  | 'bursts'
  | 'rateLimited'
  | 'lost'
  | 'duplicated'
  | 'tick'
> & { during: InteractionLatencyResult[] };

async function runFanOut(
  fake: FakeDiscord,
  bot: BotChild,
  guilds: readonly BenchGuild[],
  alongside: (results: InteractionLatencyResult[]) => Promise<void>,
): Promise<Measured> {
  const total = guilds.length;
  const floorMs = (total / (DISCORD_RATE_LIMITS.global as number)) * 1000;
  const coverage = new Coverage(guilds);
  const requestsBefore = fake.requests.length;
  const limitedBefore = { ...fake.stats };
  // So that the event-loop delay read at the end covers the fan-out alone.
  await bot.resetLoopDelay();

  progress(
    `fan-out, ${total} servers: tick at ${DAY_POST_AT} (floor ${(floorMs / 1000).toFixed(1)} s)`,
  );
  const tickAt = performance.now();
  // Generous: three times the floor, and at least two minutes.
  const timeoutMs = Math.max(120_000, floorMs * 3);
  let tick: { summary: TickSummary; ms: number } | undefined;
  let tickError: unknown;
  const ticked = bot.tick(DAY_POST_AT, timeoutMs).then(
    (result) => {
      tick = result;
    },
    (error: unknown) => {
      tickError = error;
    },
  );
  const during: InteractionLatencyResult[] = [];
  const running = alongside(during);

  let lastProgress = tickAt;
  while (tick === undefined && tickError === undefined) {
    await Promise.race([ticked, sleep(100)]);
    coverage.update(fake);
    if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = performance.now();
      const seconds = (lastProgress - tickAt) / 1000;
      progress(
        `fan-out, ${total} servers: ${coverage.covered}/${total} posted after ${seconds.toFixed(0)} s (${(coverage.covered / seconds).toFixed(1)}/s), ${fake.stats.rateLimited - limitedBefore.rateLimited} 429s`,
      );
    }
  }
  if (tickError !== undefined || tick === undefined) throw tickError;
  await running;
  await sleep(SETTLE_MS);
  coverage.update(fake);

  const completedAt = coverage.completedAt;
  const lost = total - coverage.covered;
  progress(
    `fan-out, ${total} servers: tick finished after ${(tick.ms / 1000).toFixed(1)} s; ${coverage.covered} posted, ${lost} lost, ${coverage.duplicated} duplicated`,
  );
  return {
    wallMs: completedAt === null ? Number.NaN : completedAt - tickAt,
    span: { start: tickAt, end: completedAt ?? Number.NaN },
    during,
    floorMs,
    requests: fake.requests.length - requestsBefore,
    bursts: describeBursts(
      fake.requests
        .slice(requestsBefore)
        .filter((request) => request.route === 'POST /channels/:channelId/messages'),
    ),
    rateLimited: {
      rateLimited: fake.stats.rateLimited - limitedBefore.rateLimited,
      rateLimitedGlobal: fake.stats.rateLimitedGlobal - limitedBefore.rateLimitedGlobal,
      rateLimitedRoute: fake.stats.rateLimitedRoute - limitedBefore.rateLimitedRoute,
    },
    lost,
    duplicated: coverage.duplicated,
    tick,
  };
}

/** Posts per server, read incrementally from the fake's message log. */
class Coverage {
  covered = 0;
  duplicated = 0;
  /** The fake's `createdAt` of the message that gave the last server its first post. */
  completedAt: number | null = null;
  private read = 0;
  private readonly counts = new Map<string, number>();
  private readonly channels = new Map<string, string>();

  constructor(guilds: readonly BenchGuild[]) {
    for (const guild of guilds) this.channels.set(guild.id, guild.postChannelId);
  }

  update(fake: FakeDiscord): void {
    const messages = fake.messages;
    for (; this.read < messages.length; this.read += 1) {
      const message = messages[this.read];
      if (!message) continue;
      // Only the configured channel counts: a post anywhere else would be a bug, not a delivery.
      if (this.channels.get(message.guildId) !== message.channelId) continue;
      const count = (this.counts.get(message.guildId) ?? 0) + 1;
      this.counts.set(message.guildId, count);
      if (count === 1) {
        this.covered += 1;
        if (this.covered === this.channels.size) this.completedAt = message.createdAt;
      }
      if (count === 2) this.duplicated += 1;
    }
  }
}

function describeMemory(memory: ProcMemory, stats: ChildStats): string {
  const { heapTotal, heapUsed, external } = stats.memory;
  return `RSS ${mb(memory.rssBytes)} (peak ${mb(memory.peakRssBytes)}), V8 heap ${mb(heapTotal)} (used ${mb(heapUsed)}), external ${mb(external)}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
