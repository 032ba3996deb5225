import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationCommandOptionType } from 'discord.js';
import type { Config } from '../../src/config.js';
import type { LoadedContent } from '../../src/content/load-content.js';
import { createLogger } from '../../src/logger.js';
import { type RunningBot, startBot } from '../../src/main.js';
import {
  type FakeDiscord,
  type InjectedOption,
  type InjectInteractionOptions,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from './fake-discord/fake-discord.js';
import { TestClock } from './test-clock.js';

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
    ...(content ? { content } : {}),
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

type Value = string | number | boolean;

/** An injected slash command: `/name sub option:value …`, with option types inferred from values. */
export function slash(
  guildId: string,
  path: `${string} ${string}`,
  options: Record<string, Value | { type: ApplicationCommandOptionType; value: Value }> = {},
  extra: Partial<InjectInteractionOptions> = {},
): InjectInteractionOptions {
  const [name = '', sub = ''] = path.split(' ');
  const built: InjectedOption[] = Object.entries(options).map(([optionName, value]) =>
    typeof value === 'object'
      ? { name: optionName, ...value }
      : {
          name: optionName,
          type:
            typeof value === 'boolean'
              ? ApplicationCommandOptionType.Boolean
              : ApplicationCommandOptionType.String,
          value,
        },
  );
  return {
    guildId,
    ...extra,
    data: {
      name,
      options: [{ name: sub, type: ApplicationCommandOptionType.Subcommand, options: built }],
    },
  };
}

/** Manage Server and the usual member permissions: an admin. */
export const ADMIN = 0x20n | 0x400n | 0x800n;
