import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';

/**
 * The real bot process against the fake Discord: a Discord scheduled event for each day of
 * remembrance, kept across restarts and crashes, updated and removed with the settings. The
 * bot's clock and the fake's wall clock move together, by the test.
 */

const GUILD = '310000000000000001';
const CHANNEL = '310000000000000011';
const POSTING =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** Khojaly, 26 February 2027, 09:00 Baku: its window opens on 12 February at 05:00 UTC. */
const KHOJALY_AT_NINE = '2027-02-26T05:00:00.000Z';
const BEFORE_WINDOW = '2027-02-01T00:00:00Z';
const IN_WINDOW = '2027-02-12T06:00:00Z';

let fake: FakeDiscord | undefined;
let dir: string | undefined;
let bots: BotProcess[] = [];
let wall = Date.parse(BEFORE_WINDOW);

afterEach(async () => {
  await Promise.all(bots.map((bot) => bot.stop('SIGKILL')));
  bots = [];
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  wall = Date.parse(BEFORE_WINDOW);
});

async function startFake(botPermissions: bigint) {
  fake = await startFakeDiscord({
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'remembrance' }], botPermissions }],
    // Discord's clock is where the bot's is: events must start after it.
    wallClock: () => wall,
  });
  dir = mkdtempSync(join(tmpdir(), 'events-e2e-'));
  return fake;
}

async function startBot(at: string): Promise<BotProcess> {
  if (!fake || !dir) throw new Error('start the fake first');
  wall = Date.parse(at);
  const bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'info',
    },
    at,
  );
  bots.push(bot);
  return bot;
}

async function tick(bot: BotProcess, at: string): Promise<void> {
  wall = Date.parse(at);
  await bot.tick(at);
}

type Options = Record<
  string,
  string | boolean | { type: ApplicationCommandOptionType; value: string }
>;

/** An admin runs a /commemoration subcommand; resolves with what they see. */
async function command(sub: string, options: Options = {}): Promise<string> {
  if (!fake) throw new Error('no fake');
  const interaction = await fake.injectInteraction(
    slash(GUILD, `commemoration ${sub}`, options, { memberPermissions: ADMIN }),
  );
  return JSON.stringify((await interaction.waitForReply(15_000)).data);
}

async function setUp(): Promise<void> {
  const setup = await command('setup', {
    channel: { type: ApplicationCommandOptionType.Channel, value: CHANNEL },
  });
  expect(setup).toContain('Posts will go to');
}

function liveEvents() {
  return (fake?.scheduledEvents ?? []).filter((e) => e.deletedAt === null);
}

function requestsTo(method: string, route: string): number {
  return (fake?.requests ?? []).filter((r) => r.route === `${method} ${route}`).length;
}

describe('a Discord event for each day of remembrance', () => {
  it('is created within 14 days, kept once across a restart, moved with the post time, shown in status and removed with events:false', async () => {
    await startFake(POSTING | PermissionFlagsBits.CreateEvents);
    let bot = await startBot(BEFORE_WINDOW);
    await setUp();
    expect(await command('options', { events: true })).toContain(
      'Discord events are on: I keep an event for each day of remembrance',
    );

    await tick(bot, '2027-02-01T00:01:00Z');
    expect(liveEvents()).toHaveLength(0);
    expect(await command('status')).toContain('the event will be created');

    await tick(bot, IN_WINDOW);
    expect(liveEvents()).toHaveLength(1);
    const [event] = liveEvents();
    expect(event).toMatchObject({
      guildId: GUILD,
      creatorId: fake?.botUserId,
      name: 'Day of the Khojaly Genocide',
      location: '09:00 Baku time (UTC+4), online',
    });
    expect(new Date(event?.startsAt ?? 0).toISOString()).toBe(KHOJALY_AT_NINE);
    expect((event?.endsAt ?? 0) - (event?.startsAt ?? 0)).toBe(3600_000);
    expect(event?.description).toContain(`<#${CHANNEL}>`);
    expect(event?.description).toContain('/observance sources');
    expect(await command('status')).toContain(`https://discord.com/events/${GUILD}/${event?.id}`);

    // A restart: the id is in the database, so the next look finds it and makes no second one.
    await bot.stop();
    bot = await startBot('2027-02-13T07:00:00Z');
    await tick(bot, '2027-02-13T07:00:00Z');
    await tick(bot, '2027-02-14T07:00:00Z');
    expect(liveEvents()).toHaveLength(1);
    expect(requestsTo('POST', '/guilds/:guildId/scheduled-events')).toBe(1);

    // A new post time moves the event, in place.
    await command('options', { time: '18:30' });
    await tick(bot, '2027-02-14T07:01:00Z');
    expect(liveEvents()).toHaveLength(1);
    expect(new Date(liveEvents()[0]?.startsAt ?? 0).toISOString()).toBe('2027-02-26T14:30:00.000Z');
    expect(liveEvents()[0]?.location).toBe('18:30 Baku time (UTC+4), online');

    // So does a new language.
    await command('options', { language: 'az' });
    await tick(bot, '2027-02-14T07:02:00Z');
    expect(liveEvents()[0]?.name).toBe('Xocalı soyqırımı günü');

    expect(await command('options', { events: false })).toContain('yaratdığım tədbirləri silirəm');
    await tick(bot, '2027-02-14T07:03:00Z');
    expect(liveEvents()).toHaveLength(0);
    expect(fake?.scheduledEvents[0]?.deletedBy).toBe('bot');
    expect(fake?.unhandledRequests).toEqual([]);
  }, 120_000);

  it('makes no second event when the bot dies between Discord creating it and the bot recording it', async () => {
    await startFake(POSTING | PermissionFlagsBits.CreateEvents);
    const first = await startBot(BEFORE_WINDOW);
    await setUp();
    await command('options', { events: true });
    await tick(first, '2027-02-01T00:01:00Z');

    // Discord creates the event, and its answer is slow to come back: the bot is killed first.
    fake?.setFaults({ slowMs: 4_000 });
    wall = Date.parse(IN_WINDOW);
    first.startTick(IN_WINDOW);
    await fake?.waitFor(() => liveEvents().length === 1, 20_000);
    first.killGroup();
    await first.exited;
    fake?.setFaults({});

    // The next start-up looks among the server's events for its own, and adopts it.
    const second = await startBot('2027-02-12T06:05:00Z');
    await tick(second, '2027-02-12T06:06:00Z');
    await tick(second, '2027-02-13T06:06:00Z');
    expect(liveEvents()).toHaveLength(1);
    // It adopted the event it had no record of, rather than finding it recorded.
    expect(second.logs.some((line) => line.includes('"actions":["update"]'))).toBe(true);
    // Not a second one created and deleted either: Discord only ever held the one.
    expect(fake?.scheduledEvents).toHaveLength(1);
    expect(await command('status')).toContain(
      `https://discord.com/events/${GUILD}/${liveEvents()[0]?.id}`,
    );
  }, 120_000);

  it('says exactly what is missing without Create Events, shows it in status, and creates the events once it is given', async () => {
    await startFake(POSTING | PermissionFlagsBits.ManageEvents);
    const bot = await startBot(BEFORE_WINDOW);
    await setUp();
    expect(await command('options', { events: true })).toContain(
      'I cannot create them yet: I am missing Create Events in this server',
    );
    await tick(bot, IN_WINDOW);
    expect(liveEvents()).toHaveLength(0);
    expect(await command('status')).toContain(
      '⚠️ I cannot create events: I am missing Create Events in this server',
    );

    fake?.setBotPermissions(GUILD, POSTING | PermissionFlagsBits.CreateEvents);
    expect(await command('options', { events: true })).toContain('Discord events are on');
    await tick(bot, '2027-02-12T06:01:00Z');
    expect(liveEvents()).toHaveLength(1);
    expect(await command('status')).not.toContain('⚠️ I cannot create events');
  }, 120_000);

  it('respects a moderator deleting the event: not recreated, said in status, back on request', async () => {
    await startFake(POSTING | PermissionFlagsBits.CreateEvents);
    const bot = await startBot(BEFORE_WINDOW);
    await setUp();
    await command('options', { events: true });
    await tick(bot, IN_WINDOW);
    const [event] = liveEvents();
    fake?.deleteScheduledEvent(event?.id ?? '');

    // The bot looks again a day later, notices, and leaves it deleted.
    await tick(bot, '2027-02-13T06:00:00Z');
    await tick(bot, '2027-02-14T06:00:00Z');
    expect(liveEvents()).toHaveLength(0);
    expect(await command('status')).toContain('deleted or cancelled in Discord by someone else');

    await command('options', { events: true });
    await tick(bot, '2027-02-14T06:01:00Z');
    expect(liveEvents()).toHaveLength(1);
  }, 120_000);
});
