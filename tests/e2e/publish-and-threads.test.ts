import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeDiscord,
  type FakeGuildSpec,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import { ChannelType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuildSettingsPatch } from '../../src/domain/guild-settings.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { SqliteGuildSettingsRepository } from '../../src/storage/sqlite-guild-settings-repository.js';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';

/**
 * Publishing in announcement channels and the thread from each day post, end to end: the built
 * bot as its own process against the fake Discord, whose publish limit runs on the test's clock.
 */

const KHOJALY_POST = '2027-02-26T05:00:00Z'; // 09:00 Baku
const SETUP_AT = new Date('2027-01-01T00:00:00Z');
const DEFAULT_BOT = 0x400n | 0x800n | 0x4000n | 0x10000n; // View, Send, Embed Links, History
const WITH_THREADS = DEFAULT_BOT | PermissionFlagsBits.CreatePublicThreads;

interface Server {
  guildId: string;
  channelId: string;
  type: ChannelType.GuildText | ChannelType.GuildAnnouncement;
  settings?: GuildSettingsPatch;
  botPermissions?: bigint;
}

const server = (i: number, type: Server['type'], extra: Partial<Server> = {}): Server => ({
  guildId: String(410000000000000000n + (BigInt(i) << 22n)),
  channelId: String(610000000000000000n + (BigInt(i) << 22n)),
  type,
  ...extra,
});

let fake: FakeDiscord | undefined;
let dir: string | undefined;
const bots: BotProcess[] = [];
/** The fake's clock: the test moves it with the bot's. */
let fakeNow = Date.parse(KHOJALY_POST);

afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(
  servers: readonly Server[],
  clockStart: string,
  options: StartFakeDiscordOptions = {},
): Promise<{ fake: FakeDiscord; bot: BotProcess }> {
  fakeNow = Date.parse(clockStart);
  const started = await startFakeDiscord({
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    clock: () => fakeNow,
    guilds: servers.map(
      (s): FakeGuildSpec => ({
        id: s.guildId,
        botPermissions: s.botPermissions ?? DEFAULT_BOT,
        channels: [
          { id: s.channelId, name: 'remembrance', type: s.type },
          { id: String(BigInt(s.channelId) + 1n), name: 'general' },
        ],
      }),
    ),
    ...options,
  });
  fake = started;
  dir = mkdtempSync(join(tmpdir(), 'publish-'));
  // As servers set up before this version: the channel, without its kind.
  const db = openDatabase(join(dir, 'bot.db'));
  const settings = new SqliteGuildSettingsRepository(db);
  for (const s of servers) {
    settings.updateNow(s.guildId, { channelId: s.channelId, ...s.settings }, SETUP_AT);
  }
  db.close();
  return { fake: started, bot: await restart(clockStart) };
}

async function restart(clockStart: string): Promise<BotProcess> {
  if (!fake || !dir) throw new Error('start first');
  fakeNow = Date.parse(clockStart);
  const bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'info',
    },
    clockStart,
  );
  bots.push(bot);
  return bot;
}

async function tick(bot: BotProcess, at: string): Promise<unknown> {
  fakeNow = Date.parse(at);
  return bot.tick(at);
}

/** `/commemoration <command>` by an admin; the reply as text (content and embeds). */
async function command(
  guildId: string,
  line: string,
  options: Record<string, boolean> = {},
): Promise<string> {
  if (!fake) throw new Error('start first');
  const interaction = await fake.injectInteraction(
    slash(guildId, line as `${string} ${string}`, options, { memberPermissions: ADMIN }),
  );
  return JSON.stringify((await interaction.waitForReply(15_000)).data);
}

const postsIn = (channelId: string) =>
  (fake?.messages ?? []).filter((m) => m.channelId === channelId && m.deletedAt === null);
const isPublished = (channelId: string) =>
  postsIn(channelId).map((m) => ((m.response.flags ?? 0) & MessageFlags.Crossposted) !== 0);

describe('publishing in announcement channels', () => {
  it('publishes a day post, after asking Discord once for the kind of a channel set up before it was recorded', async () => {
    const news = server(1, ChannelType.GuildAnnouncement);
    const text = server(2, ChannelType.GuildText);
    const { fake, bot } = await start([news, text], '2027-02-26T04:59:00Z');
    await tick(bot, KHOJALY_POST);
    expect(isPublished(news.channelId)).toEqual([true]);
    // In a text channel there is nothing to publish, and no crosspost is tried.
    expect(postsIn(text.channelId)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost'))).toHaveLength(1);
    // One lookup of the kind, before the publish. The checks before the day read the channel
    // too, each time with the server's roles (a permission check): those reads are not lookups
    // of the kind, whatever order they come in.
    const kindLookups = () => {
      const count = (path: string) =>
        fake.requests.filter((r) => r.method === 'GET' && r.path === path).length;
      return count(`/channels/${news.channelId}`) - count(`/guilds/${news.guildId}/roles`);
    };
    expect(kindLookups()).toBe(1);
    expect(await command(news.guildId, 'commemoration status')).toMatch(
      /sent <t:\d+:R> · published/,
    );
    // The kind is recorded: the next post (the eve of 31 March) asks no more.
    await command(news.guildId, 'commemoration options', { eve: true });
    await tick(bot, '2027-03-30T05:00:00Z');
    expect(isPublished(news.channelId)).toEqual([true, true]);
    expect(kindLookups()).toBe(1);
    expect(fake.unhandledRequests).toEqual([]);
  }, 90_000);

  it('holds up no post when the publish limit is reached: every server posts on time, the publishes follow later', async () => {
    // 20 servers in announcement channels and 5 in text channels. Discord's limit, lowered to one
    // publish per 6 hours per channel: the moment post at 12:00 cannot be published until 15:00.
    const servers = [
      ...Array.from({ length: 20 }, (_, i) => server(100 + i, ChannelType.GuildAnnouncement)),
      ...Array.from({ length: 5 }, (_, i) => server(200 + i, ChannelType.GuildText)),
    ];
    const news = servers.filter((s) => s.type === ChannelType.GuildAnnouncement);
    const { fake, bot } = await start(servers, '2027-01-20T04:59:00Z', {
      crosspostLimit: { perChannel: 1, windowMs: 6 * 60 * 60_000 },
      rateLimits: { global: 50, routes: true },
    });
    await tick(bot, '2027-01-20T05:00:00Z'); // 09:00 Baku: the day posts
    expect(fake.crossposts).toHaveLength(20);

    // 12:00 Baku: the minute of silence. The tick returns (were it waiting out the limit, it
    // would for three hours), and every server's post went out in it, none of them late.
    await tick(bot, '2027-01-20T08:00:00Z');
    for (const s of servers) expect(postsIn(s.channelId)).toHaveLength(2);
    expect(fake.messages.some((m) => JSON.stringify(m.body).includes('sent late'))).toBe(false);
    const limited = fake.requests.filter((r) => r.path.endsWith('/crosspost') && r.status === 429);
    expect(limited).toHaveLength(20);
    // Each was tried once: the bot did not come back to it before Discord said.
    expect(new Set(limited.map((r) => r.path)).size).toBe(20);
    expect(fake.crossposts).toHaveLength(20);
    const status = await command(news[0]?.guildId ?? '', 'commemoration status');
    expect(status).toMatch(/to be published <t:\d+:R>: Discord allows only about 10 publishes/);

    // Ticks before then leave them waiting, and try nothing.
    await tick(bot, '2027-01-20T09:00:00Z');
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost'))).toHaveLength(40);

    // Just after 15:00 Baku the limit has passed, and the held-back publishes complete.
    await tick(bot, '2027-01-20T11:01:00Z');
    expect(fake.crossposts).toHaveLength(40);
    for (const s of news) expect(isPublished(s.channelId)).toEqual([true, true]);
    expect(await command(news[0]?.guildId ?? '', 'commemoration status')).not.toContain(
      'to be published',
    );
    expect(bot.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  }, 120_000);

  it('counts 40033 as published: killed after Discord published the post but before recording it, and a post a moderator published first', async () => {
    const news = server(1, ChannelType.GuildAnnouncement);
    const byHand = server(2, ChannelType.GuildAnnouncement);
    const { fake, bot } = await start([news, byHand], '2027-02-26T04:59:00Z');
    // Discord takes 3 s to answer every request, and fails every publish of the second
    // server's post, which a moderator then publishes by hand.
    fake.setFaults({
      slowMs: 3_000,
      serverErrorRate: 1,
      routes: new RegExp(`^/channels/${byHand.channelId}/messages/\\d+/crosspost$`),
    });
    fakeNow = Date.parse(KHOJALY_POST);
    bot.startTick(KHOJALY_POST);
    // Discord has published the first server's post; the bot dies before the answer arrives.
    await fake.waitFor(() => fake.crossposts.length === 1, 60_000);
    await bot.stop('SIGKILL');
    expect(fake.crossposts.map((c) => c.channelId)).toEqual([news.channelId]);
    const [byHandPost] = postsIn(byHand.channelId);
    fake.crosspostMessage(byHandPost?.id ?? '');
    fake.setFaults({});

    // The restarted bot's catch-up publishes again: Discord answers 40033, which counts.
    const restarted = await restart('2027-02-26T05:06:00Z');
    // The fake records a request once it has answered: the killed bot's publish is not there.
    const answers = (channelId: string) =>
      fake.requests
        .filter(
          (r) => r.path.startsWith(`/channels/${channelId}/`) && r.path.endsWith('/crosspost'),
        )
        .map((r) => r.status);
    // The killed bot's publish may be recorded as answered 200 (the fake answers a request whose
    // client has gone); the restarted bot's is the one 40033, and nothing was published twice.
    expect(answers(news.channelId).filter((status) => status === 400)).toHaveLength(1);
    expect(answers(news.channelId).at(-1)).toBe(400);
    expect(answers(byHand.channelId).at(-1)).toBe(400);
    expect(fake.crossposts).toHaveLength(2);
    expect(isPublished(news.channelId)).toEqual([true]);
    expect(isPublished(byHand.channelId)).toEqual([true]);
    for (const s of [news, byHand]) {
      const status = await command(s.guildId, 'commemoration status');
      expect(status).toContain('published');
      expect(status).not.toContain('not published');
    }
    await tick(restarted, '2027-02-26T05:30:00Z');
    expect(fake.crossposts).toHaveLength(2);
  }, 120_000);

  it('records a publish refused for a missing permission, and shows why and what to do in status', async () => {
    const news = server(1, ChannelType.GuildAnnouncement);
    const { fake, bot } = await start([news], '2027-02-26T04:59:00Z', {
      // The channel's limit is used up (by the moderators' own announcements, say).
      crosspostLimit: { perChannel: 0, windowMs: 30 * 60_000 },
    });
    await tick(bot, KHOJALY_POST);
    expect(postsIn(news.channelId)).toHaveLength(1);
    // Before the bot may try again, an admin takes Send Messages away from it in the channel.
    fake.setCrosspostLimit({ perChannel: 10, windowMs: 60 * 60_000 });
    fake.setChannelOverwrites(news.channelId, [
      { id: news.guildId, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    await tick(bot, '2027-02-26T05:31:00Z');
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost')).map((r) => r.status)).toEqual(
      [429, 403],
    );
    const status = await command(news.guildId, 'commemoration status');
    expect(status).toContain(
      'not published: I lacked Send Messages or View Channel in the channel. Give them back to me there',
    );
    expect(status).toMatch(/Needs attention.*not published/);
    expect(bot.logs.join('\n')).toContain('a follow-up of a post failed');
    // Recorded as failed: nothing more is tried for this post.
    await tick(bot, '2027-02-26T07:00:00Z');
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost'))).toHaveLength(2);
  }, 90_000);
});

describe('a thread from each day post', () => {
  it('starts a thread from the day post in a text channel, named after the day in the post language, and shows it in status', async () => {
    const text = server(1, ChannelType.GuildText, { botPermissions: WITH_THREADS });
    const { fake, bot } = await start([text], '2027-02-26T04:00:00Z');
    const options = await command(text.guildId, 'commemoration options', {
      thread: true,
      publish: true,
    });
    expect(options).toContain(`I will start a thread from each day post in <#${text.channelId}>`);
    expect(options).toContain(
      `Publishing applies only to announcement channels, and <#${text.channelId}> is not one`,
    );
    await tick(bot, KHOJALY_POST);
    const [post] = postsIn(text.channelId);
    expect(fake.messageThreads).toEqual([
      expect.objectContaining({
        id: post?.id,
        parentId: text.channelId,
        type: ChannelType.PublicThread,
        name: 'Day of the Khojaly Genocide, 2027',
      }),
    ]);
    const status = await command(text.guildId, 'commemoration status');
    expect(status).toContain(`thread <#${post?.id}>`);
    expect(fake.requests.filter((r) => r.path.endsWith('/crosspost'))).toHaveLength(0);
  }, 90_000);

  it('without Create Public Threads: says so when turned on, still sends the post, and shows what to do in status', async () => {
    const text = server(1, ChannelType.GuildText, { settings: { language: 'ru' } });
    const { fake, bot } = await start([text], '2027-02-26T04:00:00Z');
    const options = await command(text.guildId, 'commemoration options', { thread: true });
    expect(options).toContain('Настройка сохранена');
    expect(options).toContain('«Создавать публичные ветки» (Create Public Threads)');
    await tick(bot, KHOJALY_POST);
    expect(postsIn(text.channelId)).toHaveLength(1);
    expect(fake.messageThreads).toHaveLength(0);
    const status = await command(text.guildId, 'commemoration status');
    expect(status).toContain('отправлена');
    expect(status).toContain('ветки нет: у меня нет права «Создавать публичные ветки»');
    // Granted later: the next day post gets its thread.
    fake.setBotPermissions(text.guildId, WITH_THREADS);
    await tick(bot, '2027-03-31T05:00:00Z');
    expect(fake.messageThreads.map((t) => t.name)).toEqual(['День геноцида азербайджанцев, 2027']);
  }, 90_000);
});
