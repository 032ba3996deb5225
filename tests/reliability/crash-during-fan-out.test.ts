import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedSettings } from '../../harness/seed-settings.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';
import { countPosts, makeServers, toGuildSpecs } from '../support/many-servers.js';

/**
 * SIGKILL the bot in the middle of a fan-out to several hundred servers, at several points, and
 * start it again each time. Discord's rate limit (50 requests a second) stretches the fan-out over
 * seconds, so the kills land while sends are queued, claimed, in flight and answered.
 */
const SERVERS = makeServers(300);
const POST_AT = '2027-02-26T05:00:00Z';

let fake: FakeDiscord;
let dir: string;
const bots: BotProcess[] = [];

beforeEach(async () => {
  fake = await startFakeDiscord({
    heartbeatIntervalMs: 1_000,
    shardCount: 2,
    guilds: toGuildSpecs(SERVERS),
  });
  fake.setRateLimits({ global: 50, routes: true });
  // Discord's round trip: with sends paced evenly, this is what keeps several in flight at a kill.
  fake.setFaults({ slowMs: 100, routes: /\/messages$/ });
  dir = mkdtempSync(join(tmpdir(), 'crash-'));
  seedSettings(join(dir, 'bot.db'), SERVERS, new Date('2027-02-25T00:00:00Z'));
});

afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  DISCORD_TOKEN: fake.token,
  DISCORD_API_BASE_URL: fake.apiBaseUrl,
  DATABASE_PATH: join(dir, 'bot.db'),
  LOG_LEVEL: 'info',
});

/**
 * Claims that restarted bots found cut off mid-flight and resent with their nonce. (The fake
 * does not log a request whose client died before the answer, so the bot's log is the witness.)
 */
function resumedSends(): number {
  return bots
    .flatMap((b) => b.logs)
    .map((line) => /"recovered":(\d+)/.exec(line)?.[1])
    .reduce((sum, n) => sum + Number(n ?? 0), 0);
}

/** Lets the restarted bot finish, then checks that every server has exactly one post. */
async function expectEveryServerPostedOnce(bot: BotProcess): Promise<void> {
  await fake.waitFor(
    () => new Set(fake.messages.map((m) => m.channelId)).size === SERVERS.length,
    60_000,
  );
  await bot.tick('2027-02-26T05:01:00Z');
  expect(countPosts(fake, SERVERS)).toEqual({ lost: 0, duplicated: 0, total: SERVERS.length });
}

async function start(clock: string): Promise<BotProcess> {
  // Not waiting for the start-up catch-up: the next kill must land in the middle of it.
  const bot = await forkBotWithTestClock(env(), clock, { waitForCatchUp: false });
  bots.push(bot);
  return bot;
}

it('leaves every server with exactly one post after three SIGKILLs at different points of the fan-out', async () => {
  let bot = await start('2027-02-26T04:59:00Z');
  bot.startTick(POST_AT);
  // Kill soon after the first posts, in the middle, and near the end.
  const restartClocks = ['2027-02-26T05:00:15Z', '2027-02-26T05:00:30Z', '2027-02-26T05:00:45Z'];
  for (const [index, killAt] of [20, 150, 270].entries()) {
    await fake.waitFor(() => fake.messages.length >= killAt, 30_000);
    await bot.stop('SIGKILL');
    // The restarted bot catches up at once, at its start-up tick.
    bot = await start(restartClocks[index] ?? POST_AT);
  }
  await expectEveryServerPostedOnce(bot);
  await bot.tick('2027-02-26T05:02:00Z');
  expect(countPosts(fake, SERVERS)).toEqual({ lost: 0, duplicated: 0, total: SERVERS.length });
  // Some sends were cut off mid-flight and repeated after a restart; the nonce kept them single.
  expect(resumedSends()).toBeGreaterThan(0);
  // Nothing says "late": every restart came within a minute of 09:00.
  expect(fake.messages.every((m) => !JSON.stringify(m.body).includes('sent late'))).toBe(true);
  const logs = bots.flatMap((b) => b.logs).join('\n');
  expect(logs).toContain('resuming sends interrupted by a previous shutdown');
  expect(logs).not.toContain(fake.token);
}, 120_000);

it('sends once when killed just after the tick started, before any answer came back', async () => {
  let bot = await start('2027-02-26T04:59:00Z');
  bot.startTick(POST_AT);
  await fake.waitFor(
    () => fake.requests.some((r) => r.method === 'POST' && r.path.includes('/messages')),
    10_000,
  );
  await bot.stop('SIGKILL');
  bot = await start('2027-02-26T05:00:10Z');
  await expectEveryServerPostedOnce(bot);
}, 90_000);

it('on SIGTERM in the middle of a fan-out, finishes the sends under way, exits 0, and the next start sends the rest once', async () => {
  let bot = await start('2027-02-26T04:59:00Z');
  bot.startTick(POST_AT);
  await fake.waitFor(() => fake.messages.length >= 100, 30_000);
  const exit = await bot.stop('SIGTERM');
  expect(exit.code).toBe(0);
  // The sends under way finished inside the shutdown grace: none was left for the next start.
  expect(bot.logs.join('\n')).not.toContain('some sends were still running at shutdown');
  expect(bot.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  const sentBeforeRestart = fake.messages.length;
  expect(sentBeforeRestart).toBeLessThan(SERVERS.length);

  bot = await start('2027-02-26T05:00:30Z');
  await expectEveryServerPostedOnce(bot);
}, 90_000);
