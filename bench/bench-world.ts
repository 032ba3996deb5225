import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { seedPostgresSettings, seedSettings } from '../harness/seed-settings.js';
import type { BenchGuild } from './bench-guilds.js';
import { onCleanup } from './cleanup.js';
import { PRODUCTION_RUNTIME } from './production-runtime.js';

/** Discord's documented limits: 50 requests/s per bot, and per-route buckets. */
export const DISCORD_RATE_LIMITS = { global: 50, routes: true } as const;

/** Servers per shard Discord recommends at most (it asks for a new shard every 1,000 servers). */
const GUILDS_PER_SHARD = 1_000;

/** A fresh fake Discord with the servers, and a bot database where every one is configured. */
export interface BenchWorld {
  fake: FakeDiscord;
  dir: string;
  shardCount: number;
  /** The environment for the bot process. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * How the fake counts the global limit: 'fixed', discord.js's own one-second windows; 'sliding',
 * any 1,000 ms holds at most 50 requests. Discord's real implementation is not public.
 */
export type GlobalWindow = 'fixed' | 'sliding';

export async function startBenchWorld(
  guilds: readonly BenchGuild[],
  configuredAt: Date,
  globalWindow: GlobalWindow = 'fixed',
  /** A Postgres database for the bot instead of its SQLite file. */
  databaseUrl?: string,
  /** Shards for the fake to route by; default one per 1,000 servers. */
  shards?: number,
): Promise<BenchWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-'));
  const removeDir = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const databasePath = join(dir, 'var', 'bot.db');
  const servers = guilds.map((guild) => ({ guildId: guild.id, channelId: guild.postChannelId }));
  if (databaseUrl) await seedPostgresSettings(databaseUrl, servers, configuredAt);
  else seedSettings(databasePath, servers, configuredAt);
  const shardCount = shards ?? Math.max(1, Math.ceil(guilds.length / GUILDS_PER_SHARD));
  const fake = await startFakeDiscord({
    guilds: guilds.map((guild) => guild.spec),
    shardCount,
    // What docs/benchmarks.md measured: all shards identify at once. Discord gives most bots 1,
    // which spaces the IDENTIFYs of 10 shards over 45 s.
    sessionStartLimit: { maxConcurrency: 16 },
    rateLimits: { ...DISCORD_RATE_LIMITS, globalWindow },
  });
  return {
    fake,
    dir,
    shardCount,
    env: {
      ...inheritedEnv(),
      ...PRODUCTION_RUNTIME.env,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: databasePath,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      // The production default: per-send lines are debug, so a fan-out logs a few lines only.
      LOG_LEVEL: 'info',
    },
    async close() {
      await fake.close();
      removeDir();
    },
  };
}

/**
 * This environment minus anything that would change the bot: the developer's own bot settings,
 * and NODE_OPTIONS (production runs plain `node dist/main.js`).
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(DISCORD_|DATABASE_|SHARD_|LOG_LEVEL$|HEALTH_|NODE_OPTIONS$|BENCH_)/.test(key),
    ),
  );
}
