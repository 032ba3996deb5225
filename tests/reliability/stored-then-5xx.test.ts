import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, expect, it } from 'vitest';
import { seedSettings } from '../../harness/seed-settings.js';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';
import { countPosts, makeServers, toGuildSpecs } from '../support/many-servers.js';

/**
 * Discord stores the message and still answers 5xx, for longer than its nonce window. The fake's
 * window runs on a clock this test moves by hand, as the bot's does: the first two minutes of the
 * bot's retries fall inside it, as they would against Discord's "few minutes", and after the
 * test moves the fake's clock past the window, everything falls outside.
 */
const NONCE_WINDOW_MS = 1_500;

let fake: FakeDiscord | undefined;
let dir: string | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.stop('SIGKILL');
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(readHistory: boolean) {
  const servers = makeServers(3);
  let fakeNow = 0;
  fake = await startFakeDiscord({
    clock: () => fakeNow,
    // IDENTIFY pacing has its own tests in the fake's package; here each restart would wait 5 s
    // per shard for it, as a bot with max_concurrency 1 does, and test nothing more.
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    guilds: toGuildSpecs(servers),
    nonceWindowMs: NONCE_WINDOW_MS,
    // Message ids carry Discord's time; the bot's clock is in 2027.
    idClockOffsetMs: Date.parse('2027-02-26T05:00:00Z') - Date.now(),
  });
  if (!readHistory) {
    for (const s of servers) {
      fake.setChannelOverwrites(s.channelId, [
        { id: s.guildId, type: 0, allow: 0n, deny: PermissionFlagsBits.ReadMessageHistory },
      ]);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'stored-5xx-'));
  seedSettings(join(dir, 'bot.db'), servers, new Date('2027-02-25T00:00:00Z'));
  bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'info',
    },
    '2027-02-26T04:59:00Z',
  );
  // Every message request is stored and then answered 503 (discord.js's own retries included).
  fake.setFaults({ serverErrorRate: 1, createThenFail: true, routes: /\/messages$/ });
  await bot.tick('2027-02-26T05:00:00Z');
  await bot.tick('2027-02-26T05:01:00Z');
  expect(countPosts(fake, servers)).toMatchObject({ lost: 0, duplicated: 0 });
  // The fake forgets the nonces; the 5xx go on.
  fakeNow += NONCE_WINDOW_MS + 100;
  for (const at of ['05:02', '05:03', '05:04']) await bot.tick(`2027-02-26T${at}:00Z`);
  fake.setFaults({});
  for (let minute = 5; minute <= 20; minute++) {
    await bot.tick(`2027-02-26T05:${String(minute).padStart(2, '0')}:00Z`);
  }
  const interaction = await fake.injectInteraction(
    slash(servers[0]?.guildId ?? '', 'commemoration status', {}, { memberPermissions: ADMIN }),
  );
  const status = JSON.stringify((await interaction.waitForReply()).data);
  return { posts: countPosts(fake, servers), status, errors: fake.stats.serverErrors };
}

it('posts once and records the post as sent when it can read the channel', async () => {
  const { posts, status, errors } = await run(true);
  expect(errors).toBeGreaterThan(0);
  expect(posts).toEqual({ lost: 0, duplicated: 0, total: 3 });
  expect(status).toContain('✅');
  expect(status).not.toContain('unknown:');
}, 90_000);

it('without Read Message History: still no duplicate, and status says what to do', async () => {
  const { posts, status } = await run(false);
  expect(posts).toEqual({ lost: 0, duplicated: 0, total: 3 });
  expect(status).toContain('without Read Message History I cannot check whether the post arrived');
}, 90_000);
