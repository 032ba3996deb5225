import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeDiscord,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import type { Config } from '../../src/config.js';
import type { LoadedContent } from '../../src/content/load-content.js';
import { createLogger } from '../../src/logger.js';
import { type RunningBot, startBot } from '../../src/main.js';
import { TestClock } from './test-clock.js';
import { getFixtureContent } from './test-content.js';

export interface BotFixture {
  fake: FakeDiscord;
  bot: RunningBot;
  clock: TestClock;
  config: Config;
  /** Every log line the bot wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** The real bot, in this process, against a fresh fake Discord, with a clock the test moves. */
export async function startBotWithFake(
  fakeOptions: StartFakeDiscordOptions,
  clockStart: string,
  { content }: { content?: LoadedContent } = {},
): Promise<BotFixture> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000, ...fakeOptions });
  const dir = mkdtempSync(join(tmpdir(), 'bot-e2e-'));
  const config: Config = {
    DISCORD_TOKEN: fake.token,
    DATABASE_PATH: join(dir, 'var', 'bot.db'),
    DISCORD_GLOBAL_RPS: 50,
    LOG_LEVEL: 'debug',
    HEALTH_HOST: '127.0.0.1',
    DISCORD_API_BASE_URL: fake.apiBaseUrl,
  };
  const logs: string[] = [];
  const logger = createLogger('debug', [fake.token], (line) => logs.push(line));
  const clock = new TestClock(clockStart);
  const bot = await startBot({
    config,
    logger,
    clock,
    tickEveryMinute: false,
    content: content ?? getFixtureContent(),
  });
  await bot.ready;
  return {
    fake,
    bot,
    clock,
    config,
    logs,
    async close() {
      await bot.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Moved into the fake Discord's package so that bench/ can use it without importing tests/.
export { slash } from '@remembrance-bot/fake-discord';

/** Manage Server and the usual member permissions: an admin. */
export const ADMIN = 0x20n | 0x400n | 0x800n;
