import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, expect, it } from 'vitest';
import { seedSettings } from '../../harness/seed-settings.js';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';
import { countPosts, makeServers, type Server, toGuildSpecs } from '../support/many-servers.js';

let fake: FakeDiscord | undefined;
let dir: string | undefined;
const bots: BotProcess[] = [];

afterEach(async () => {
  // The token appears in no log line of any run.
  for (const bot of bots)
    expect(bot.logs.join('\n') + bot.stderr).not.toContain(fake?.token ?? '\u0000');
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setUp(servers: readonly Server[], shardCount = 1) {
  fake = await startFakeDiscord({
    // IDENTIFY pacing has its own tests in the fake's package; here each restart would wait 5 s
    // per shard for it, as a bot with max_concurrency 1 does, and test nothing more.
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    shardCount,
    guilds: toGuildSpecs(servers),
  });
  dir = mkdtempSync(join(tmpdir(), 'faults-'));
  seedSettings(join(dir, 'bot.db'), servers, new Date('2027-02-25T00:00:00Z'));
  return fake;
}

async function start(clock: string): Promise<BotProcess> {
  if (!fake || !dir) throw new Error('setUp first');
  const bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'info',
    },
    clock,
  );
  bots.push(bot);
  return bot;
}

async function status(f: FakeDiscord, guildId: string): Promise<string> {
  const interaction = await f.injectInteraction(
    slash(guildId, 'commemoration status', {}, { memberPermissions: ADMIN }),
  );
  return JSON.stringify((await interaction.waitForReply()).data);
}

it('loses and duplicates nothing with about 10% of requests answered 5xx or 429', async () => {
  const servers = makeServers(200);
  const f = await setUp(servers);
  f.setRateLimits({ global: 50, routes: true });
  // A 5xx here is sent after the message was created: the worst case, where only the nonce
  // keeps a retry from posting twice.
  f.setFaults({
    serverErrorRate: 0.05,
    rateLimitRate: 0.05,
    createThenFail: true,
    routes: /\/messages$/,
    seed: 7,
  });
  const bot = await start('2027-02-26T04:59:00Z');
  for (let minute = 0; minute <= 10; minute++) {
    await bot.tick(`2027-02-26T05:${String(minute).padStart(2, '0')}:00Z`);
    if (countPosts(f, servers).lost === 0) break;
  }
  expect(f.stats.serverErrors).toBeGreaterThan(0);
  expect(f.stats.rateLimitedFault).toBeGreaterThan(0);
  expect(countPosts(f, servers)).toMatchObject({ lost: 0, duplicated: 0 });
  // Discord bans the IP of a bot that makes 10,000 invalid requests (401, 403, non-shared 429)
  // in 10 minutes. discord.js honours the buckets, though on a loaded machine a few requests still
  // land on a full window: at under one per four servers, a 10,000-server fan-out stays far below.
  expect(f.invalidRequestsInWindow()).toBeLessThan(servers.length / 4);
}, 120_000);

it('after downtime across the post time, a restart inside the window posts late and says so', async () => {
  const servers = makeServers(3);
  const f = await setUp(servers);
  let bot = await start('2027-02-26T04:00:00Z');
  await bot.tick('2027-02-26T04:00:00Z');
  expect((await bot.stop('SIGTERM')).code).toBe(0);

  bot = await start('2027-02-26T09:30:00Z');
  await bot.tick('2027-02-26T09:30:00Z');
  expect(countPosts(f, servers)).toEqual({ lost: 0, duplicated: 0, total: 3 });
  expect(JSON.stringify(f.messages[0]?.body)).toContain(
    'This post was due at 09:00 Baku time and is sent late.',
  );
  expect(await status(f, servers[0]?.guildId ?? '')).toContain('sent late');
}, 60_000);

it('after downtime past the window, a restart sends nothing and status shows the post as missed', async () => {
  const servers = makeServers(2);
  const f = await setUp(servers);
  let bot = await start('2027-02-26T04:00:00Z');
  await bot.tick('2027-02-26T04:00:00Z');
  await bot.stop('SIGTERM');

  bot = await start('2027-02-26T20:00:00Z');
  await bot.tick('2027-02-26T20:01:00Z');
  expect(f.messages).toHaveLength(0);
  const text = await status(f, servers[0]?.guildId ?? '');
  expect(text).toContain('missed: the bot was not running while the post could still go out.');
  expect(text).toContain('Day of the Khojaly Genocide, day post 2027');
}, 60_000);

it('records a deleted channel and a revoked permission, shows them in status, and posts to everyone else', async () => {
  const servers = makeServers(20);
  const [deleted, revoked, ...others] = servers;
  if (!deleted || !revoked) throw new Error('servers');
  const f = await setUp(servers);
  const bot = await start('2027-02-26T04:59:00Z');
  f.deleteChannel(deleted.channelId);
  f.setChannelOverwrites(revoked.channelId, [
    { id: revoked.guildId, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
  ]);
  await bot.tick('2027-02-26T05:00:00Z');
  for (const at of ['05:01', '05:02', '05:05']) await bot.tick(`2027-02-26T${at}:00Z`);

  expect(countPosts(f, others)).toEqual({ lost: 0, duplicated: 0, total: others.length });
  // Refused once each, and not retried while nothing changed.
  const attempts = (channelId: string) =>
    f.requests.filter((r) => r.method === 'POST' && r.path.includes(channelId)).length;
  expect(attempts(deleted.channelId)).toBe(1);
  expect(attempts(revoked.channelId)).toBe(1);
  // The one 403 is all that counts against Discord's 10,000 invalid requests per 10 minutes.
  expect(f.invalidRequestsInWindow()).toBe(1);
  expect(await status(f, deleted.guildId)).toContain(
    'the channel no longer exists. Run `/commemoration setup` with another channel.',
  );
  expect(await status(f, revoked.guildId)).toContain('I lacked permission to post in the channel');

  // The admin fixes the permission and checks with /commemoration test: the post follows, late.
  f.setChannelOverwrites(revoked.channelId, []);
  const test = await f.injectInteraction(
    slash(revoked.guildId, 'commemoration test', {}, { memberPermissions: ADMIN }),
  );
  expect(JSON.stringify((await test.waitForReply()).data)).toContain('Test message posted');
  await bot.tick('2027-02-26T05:06:00Z');
  expect(f.messages.filter((m) => m.channelId === revoked.channelId)).toHaveLength(2);
}, 60_000);

it('resumes after the gateway drops during a fan-out, and completes it', async () => {
  const servers = makeServers(300);
  const f = await setUp(servers, 2);
  f.setRateLimits({ global: 50, routes: true });
  const bot = await start('2027-02-26T04:59:00Z');
  const fanOut = bot.tick('2027-02-26T05:00:00Z');
  await f.waitFor(() => f.messages.length >= 50, 20_000);
  f.dropConnections();
  await fanOut;
  expect(countPosts(f, servers)).toEqual({ lost: 0, duplicated: 0, total: servers.length });
  await bot.waitForLog(/"msg":"gateway resumed"/);
  // The gateway works again: an interaction is answered.
  const list = await f.injectInteraction(slash(servers[0]?.guildId ?? '', 'observance list'));
  expect(JSON.stringify((await list.waitForReply()).data)).toContain('National Mourning Day');
}, 90_000);
