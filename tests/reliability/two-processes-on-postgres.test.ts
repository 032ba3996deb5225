import {
  type FakeDiscord,
  shardIdForGuild,
  slash,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedPostgresSettings } from '../../harness/seed-settings.js';
import { type BotProcess, findFreePort, forkBotWithTestClock } from '../support/bot-process.js';
import { countPosts, makeServers, toGuildSpecs } from '../support/many-servers.js';
import { createTestDatabase } from '../support/postgres-database.js';

/**
 * Two bot processes, one shard each, against one real Postgres and the fake Discord with its rate
 * limits on. 300 servers at 50 requests a second stretch the fan-out over seconds, so a kill or a
 * pause lands in the middle of it. Whatever happens to one process, every server gets one post.
 */
const SERVERS = makeServers(300);
const POST_AT = '2027-02-26T05:00:00Z';
const BEFORE = '2027-02-26T04:59:00Z';
const BECAME = /"msg":"became the dispatcher"/;

let fake: FakeDiscord;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const bots: BotProcess[] = [];

beforeEach(async () => {
  fake = await startFakeDiscord({
    heartbeatIntervalMs: 1_000,
    shardCount: 2,
    guilds: toGuildSpecs(SERVERS),
  });
  fake.setRateLimits({ global: 50, routes: true });
  // Discord's round trip: it keeps several sends in flight when a process dies.
  fake.setFaults({ slowMs: 100, routes: /\/messages$/ });
  database = await createTestDatabase('two');
  await seedPostgresSettings(database.url, SERVERS, new Date('2027-02-25T00:00:00Z'));
});

afterEach(async () => {
  for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGCONT');
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake.close();
  await database.drop();
});

const healthPorts = new Map<BotProcess, number>();

/** A bot process that connects one of the two shards. */
async function start(shard: number, clock: string): Promise<BotProcess> {
  const port = await findFreePort();
  const bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_URL: database.url,
      SHARD_COUNT: '2',
      SHARD_IDS: String(shard),
      LOG_LEVEL: 'info',
      HEALTH_PORT: String(port),
    },
    clock,
  );
  bots.push(bot);
  healthPorts.set(bot, port);
  return bot;
}

/** Process A (shard 0) is the dispatcher, B (shard 1) the standby, both at 09:00 Baku. */
async function startBoth(): Promise<{ a: BotProcess; b: BotProcess }> {
  const a = await start(0, BEFORE);
  await a.waitForLog(BECAME);
  const b = await start(1, BEFORE);
  await b.setClock(POST_AT);
  return { a, b };
}

/** What the process's /readyz says. */
async function readyz(bot: BotProcess): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${healthPorts.get(bot)}/readyz`);
  return { code: response.status, ...((await response.json()) as object) };
}

const postedServers = () => new Set(fake.messages.map((m) => m.channelId)).size;

function postRequests(): number {
  return fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
}

/** Members of servers on `shard` run a command; each gets its answer. */
async function expectCommandsAnswered(shard: number): Promise<void> {
  const servers = SERVERS.filter((s) => shardIdForGuild(s.guildId, 2) === shard).slice(0, 5);
  expect(servers.length).toBe(5);
  for (const server of servers) {
    const interaction = await fake.injectInteraction(slash(server.guildId, 'observance list'));
    expect(JSON.stringify((await interaction.waitForReply(10_000)).data)).toContain(
      'National Mourning Day',
    );
  }
}

it('SIGKILL the dispatcher in the middle of a fan-out: the other process takes over, and every server has exactly one post', async () => {
  const { a, b } = await startBoth();
  a.startTick(POST_AT);
  await fake.waitFor(() => fake.messages.length >= 100, 30_000);
  await a.stop('SIGKILL');
  expect(postedServers()).toBeLessThan(SERVERS.length);

  await b.waitForLog(BECAME, 20_000);
  expect(await readyz(b)).toMatchObject({ dispatcher: true });
  await fake.waitFor(() => postedServers() === SERVERS.length, 60_000);
  await b.tick('2027-02-26T05:01:00Z');
  expect(countPosts(fake, SERVERS)).toEqual({ lost: 0, duplicated: 0, total: SERVERS.length });
  expect(b.logs.join('\n')).toContain('resuming sends interrupted by a previous shutdown');
  await expectCommandsAnswered(1);
}, 120_000);

it('SIGKILL the other process: the fan-out is not disturbed, and the servers of the surviving shard are still answered', async () => {
  const { a, b } = await startBoth();
  // Each process is ready; only one of them sends, and says so.
  expect(await readyz(a)).toEqual({ code: 200, status: 'ready', dispatcher: true });
  expect(await readyz(b)).toEqual({ code: 200, status: 'ready', dispatcher: false });
  a.startTick(POST_AT);
  await fake.waitFor(() => fake.messages.length >= 100, 30_000);
  await b.stop('SIGKILL');
  await fake.waitFor(() => postedServers() === SERVERS.length, 60_000);
  await a.tick('2027-02-26T05:01:00Z');
  expect(countPosts(fake, SERVERS)).toEqual({ lost: 0, duplicated: 0, total: SERVERS.length });
  expect(a.logs.join('\n')).not.toContain('no longer the dispatcher');
  await expectCommandsAnswered(0);
}, 120_000);

it('a paused dispatcher (SIGSTOP) is replaced, and after SIGCONT it sends nothing more', async () => {
  const { a, b } = await startBoth();
  a.startTick(POST_AT);
  await fake.waitFor(() => fake.messages.length >= 100, 30_000);
  const pid = a.child.pid ?? 0;
  process.kill(pid, 'SIGSTOP');

  // Postgres ends the paused process's idle lock session; the standby wins the lock.
  await b.waitForLog(BECAME, 25_000);
  // The successor's catch-up ends once it has also resent, with their nonces, the sends in doubt.
  await b.waitForLog(/"msg":"tick finished"/, 60_000);
  await b.tick('2027-02-26T05:01:00Z');
  expect(postedServers()).toBe(SERVERS.length);
  const requestsBefore = postRequests();

  process.kill(pid, 'SIGCONT');
  await a.waitForLog(/"msg":"no longer the dispatcher"/, 15_000);
  expect(await readyz(a)).toMatchObject({ dispatcher: false });
  // The woken process ticks too: it must plan, not send.
  await a.tick('2027-02-26T05:01:00Z');
  await b.tick('2027-02-26T05:02:00Z');
  expect(postRequests()).toBe(requestsBefore);
  expect(countPosts(fake, SERVERS)).toEqual({ lost: 0, duplicated: 0, total: SERVERS.length });
  await expectCommandsAnswered(0);
  await expectCommandsAnswered(1);
}, 120_000);
