import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeDiscord,
  type FakeGuildSpec,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import Database from 'better-sqlite3';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, expect, it } from 'vitest';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';

// The real bot process against the fake Discord, with a clock the test moves. Khojaly is on
// 26 February; its day post goes out at 09:00 Baku (05:00Z), so the checks come at 05:00Z on
// 19 February (7 days before) and on 25 February (1 day before).
const SEVEN_DAYS_BEFORE = '2027-02-19T05:00:00Z';
const ONE_DAY_BEFORE = '2027-02-25T05:00:00Z';

const GUILD = '320000000000000001';
const POSTS = '320000000000000011';
const ALERTS = '320000000000000012';
const UPDATES = '320000000000000013';
const RULES = '320000000000000014';

let fake: FakeDiscord | undefined;
let dir: string | undefined;
const bots: BotProcess[] = [];

afterEach(async () => {
  for (const bot of bots) expect(bot.logs.join('\n')).not.toContain(fake?.token ?? '\u0000');
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setUp(community = true): Promise<FakeDiscord> {
  const guild: FakeGuildSpec = {
    id: GUILD,
    channels: [
      { id: POSTS, name: 'remembrance' },
      { id: ALERTS, name: 'bot-alerts' },
      { id: UPDATES, name: 'moderator-only' },
      { id: RULES, name: 'rules' },
    ],
    ...(community ? { community: { rulesChannelId: RULES, publicUpdatesChannelId: UPDATES } } : {}),
  };
  fake = await startFakeDiscord({
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    guilds: [guild],
  });
  dir = mkdtempSync(join(tmpdir(), 'alerts-'));
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

/** An admin runs a /commemoration subcommand; resolves with the text of the reply. */
async function run(
  f: FakeDiscord,
  sub: string,
  options: Parameters<typeof slash>[2] = {},
): Promise<string> {
  const interaction = await f.injectInteraction(
    slash(GUILD, `commemoration ${sub}`, options, { memberPermissions: ADMIN }),
  );
  return JSON.stringify((await interaction.waitForReply(15_000)).data);
}

const channel = (id: string) => ({ type: ApplicationCommandOptionType.Channel, value: id });

function denySend(f: FakeDiscord, channelId: string): void {
  f.setChannelOverwrites(channelId, [
    { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
  ]);
}

const messagesIn = (f: FakeDiscord, channelId: string) =>
  f.messages.filter((m) => m.channelId === channelId);

function contentOf(message: { body: unknown } | undefined): string {
  return (message?.body as { content?: string } | undefined)?.content ?? '';
}

it('alerts 7 days ahead in the alerts channel when Send Messages was removed, once per problem per day, across a restart; status shows it until it is fixed', async () => {
  const f = await setUp();
  let bot = await start('2027-02-10T08:00:00Z');
  expect(await run(f, 'setup', { channel: channel(POSTS) })).toContain('Set up.');
  expect(await run(f, 'options', { alerts: channel(ALERTS) })).toContain(
    `Alerts will go to <#${ALERTS}>.`,
  );
  denySend(f, POSTS);

  await bot.tick('2027-02-19T04:59:00Z');
  expect(f.messages).toHaveLength(0);
  await bot.tick(SEVEN_DAYS_BEFORE);
  const [alert] = messagesIn(f, ALERTS);
  expect(f.messages).toHaveLength(1);
  expect(contentOf(alert)).toBe(
    [
      '**Day of the Khojaly Genocide, 26 February 2027**: the remembrance posts need attention.',
      'I checked what I need to post for this day, and something is missing:',
      `- In <#${POSTS}> I am missing Send Messages. Give me these in that channel (Edit Channel → Permissions).`,
      'When it is fixed, run `/commemoration test` to check.',
    ].join('\n'),
  );
  // It pings nobody, and carries a nonce so that a resend is dropped.
  expect(alert?.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
  const logged = bot.logs.find((line) => line.includes('"msg":"alert posted"'));
  expect(JSON.parse(logged ?? '{}')).toMatchObject({
    guildId: GUILD,
    channelId: ALERTS,
    via: 'alerts',
    problems: [`channel:${POSTS}:sendMessages`],
  });

  const status = await run(f, 'status');
  expect(status).toContain('Checks before each day');
  expect(status).toContain(`In <#${POSTS}> I am missing Send Messages.`);
  expect(status).toContain(`Alert posted in <#${ALERTS}>`);
  expect(status).toContain('Next check: 25 February 2027, 09:00 Baku time');

  // A crash after the alert went out but before the check was recorded as made: the restarted
  // bot checks again the same day, finds the same problem, and does not alert twice.
  await bot.stop('SIGKILL');
  const db = new Database(join(dir ?? '', 'bot.db'));
  db.prepare("UPDATE alert_checks SET status = 'planned' WHERE lead_days = 7").run();
  db.close();
  bot = await start('2027-02-19T05:30:00Z');
  await bot.tick('2027-02-19T05:31:00Z');
  expect(bot.logs.some((line) => line.includes('something the posts need is missing'))).toBe(true);
  expect(f.messages).toHaveLength(1);

  // The next day's check is another day: one alert again.
  await bot.tick(ONE_DAY_BEFORE);
  expect(messagesIn(f, ALERTS)).toHaveLength(2);

  // Fixed, and verified as the alert says: status no longer shows it.
  f.setChannelOverwrites(POSTS, []);
  const test = await run(f, 'test');
  expect(test).toContain('Test message posted');
  expect(test).not.toContain('missing');
  const after = await run(f, 'status');
  expect(after).toContain('everything the posts need is in place');
  expect(after).not.toContain('Send Messages');
}, 120_000);

it('without an alerts channel, alerts in the community updates channel, also for a check missed while the bot was down; an unusable alerts channel falls back there and status says so', async () => {
  const f = await setUp();
  let bot = await start('2027-02-10T08:00:00Z');
  await run(f, 'setup', { channel: channel(POSTS) });
  denySend(f, POSTS);
  // Down across the 7-day check, back two days later: that check is still worth making.
  expect((await bot.stop('SIGTERM')).code).toBe(0);
  bot = await start('2027-02-21T10:00:00Z');
  await bot.tick('2027-02-21T10:00:00Z');
  const [alert] = messagesIn(f, UPDATES);
  expect(f.messages).toHaveLength(1);
  expect(contentOf(alert)).toContain(`In <#${POSTS}> I am missing Send Messages.`);
  expect(await run(f, 'status')).toContain(
    `Alert posted in the community updates channel <#${UPDATES}>`,
  );

  // An alerts channel the bot cannot post in: options says so at once.
  denySend(f, ALERTS);
  expect(await run(f, 'options', { alerts: channel(ALERTS) })).toContain(
    `I cannot post alerts in <#${ALERTS}> yet: I am missing Send Messages there.`,
  );
  await bot.tick(ONE_DAY_BEFORE);
  expect(messagesIn(f, ALERTS)).toHaveLength(0);
  expect(contentOf(messagesIn(f, UPDATES)[1])).toContain(
    `I am writing here because I cannot post in the alerts channel <#${ALERTS}>: I am missing Send Messages there.`,
  );
  const status = await run(f, 'status');
  expect(status).toContain(`Alert posted in the community updates channel <#${UPDATES}>`);
  expect(status).toContain(
    `I cannot post in the alerts channel <#${ALERTS}>: I am missing Send Messages there.`,
  );
}, 120_000);

it('when the posts channel is deleted and no channel can take the alert, says so only in status and the log', async () => {
  const f = await setUp();
  const bot = await start('2027-02-10T08:00:00Z');
  await run(f, 'setup', { channel: channel(POSTS) });
  await run(f, 'options', { alerts: channel(ALERTS) });
  f.deleteChannel(POSTS);
  f.deleteChannel(ALERTS);
  denySend(f, UPDATES);

  await bot.tick(SEVEN_DAYS_BEFORE);
  expect(f.messages).toHaveLength(0);
  const logged = bot.logs.find((line) => line.includes('no channel to post the alert in'));
  expect(JSON.parse(logged ?? '{}')).toMatchObject({
    level: 40,
    guildId: GUILD,
    via: 'none',
    problems: [`channel-gone:${POSTS}`],
    alertsChannelIssue: { kind: 'gone' },
  });
  const status = await run(f, 'status');
  expect(status).toContain(
    'The channel for the posts no longer exists. Choose another with `/commemoration setup`.',
  );
  expect(status).toContain('No alert was posted');
  expect(status).toContain(
    `I cannot post in the alerts channel <#${ALERTS}>: it no longer exists.`,
  );
}, 90_000);

it('sends no alert when all is well, and alerts in the server’s language when a server-wide permission goes', async () => {
  const f = await setUp();
  const bot = await start('2027-02-10T08:00:00Z');
  expect(await run(f, 'setup', { channel: channel(POSTS), language: 'az' })).toContain(
    `<#${POSTS}>`,
  );
  await bot.tick(SEVEN_DAYS_BEFORE);
  expect(f.messages).toHaveLength(0);
  expect(await run(f, 'status')).toContain('Paylaşımlar üçün lazım olan hər şey yerindədir.');

  // Embed Links taken from the bot's role: the posts are embeds.
  f.setBotPermissions(
    GUILD,
    PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.SendMessages |
      PermissionFlagsBits.ReadMessageHistory,
  );
  await bot.tick(ONE_DAY_BEFORE);
  const [alert] = messagesIn(f, UPDATES);
  expect(contentOf(alert)).toContain(
    '**Xocalı soyqırımı günü, 26 fevral 2027-ci il**: anım paylaşımları diqqət tələb edir.',
  );
  expect(contentOf(alert)).toContain(
    `<#${POSTS}> kanalında bu icazələr məndə yoxdur: Embed Links.`,
  );
}, 90_000);

it('without a community updates channel (not a Community server), alerts nowhere but status', async () => {
  const f = await setUp(false);
  const bot = await start('2027-02-10T08:00:00Z');
  await run(f, 'setup', { channel: channel(POSTS) });
  denySend(f, POSTS);
  await bot.tick(SEVEN_DAYS_BEFORE);
  expect(f.messages).toHaveLength(0);
  const status = await run(f, 'status');
  expect(status).toContain(`In <#${POSTS}> I am missing Send Messages.`);
  expect(status).toContain(
    'No alert was posted: there is no channel where I can post alerts. Set one with `/commemoration options alerts:#channel`.',
  );
}, 90_000);
