import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeDiscord,
  type InjectInteractionOptions,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import {
  ApplicationCommandOptionType,
  ChannelFlags,
  ChannelType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, slash } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';

/**
 * Forum posts with the real bot process against the fake Discord: setup, the post itself, the
 * test post, the missing-permission and required-tag paths, and exactly once across a crash
 * between Discord creating the post and the bot recording it (also with the post archived in
 * between, and with Discord answering 5xx after storing it).
 */
const GUILD = '930000000000000001';
const GENERAL = '930000000000000010';
const FORUM = '930000000000000011';
const TAGGED = '930000000000000012';
const TAG = '930000000000000020';
const POST_AT = '2027-02-26T05:00:00Z';
const TITLE = 'Day of the Khojaly Genocide 2027';

let fake: FakeDiscord | undefined;
let dir: string | undefined;
const bots: BotProcess[] = [];

afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

async function startFake(): Promise<FakeDiscord> {
  fake = await startFakeDiscord({
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    // Ids and thread timestamps carry Discord's time; the bot's clock is in 2027.
    idClockOffsetMs: Date.parse(POST_AT) - Date.now(),
    guilds: [
      {
        id: GUILD,
        channels: [
          { id: GENERAL, name: 'general' },
          { id: FORUM, name: 'remembrance', type: ChannelType.GuildForum },
          {
            id: TAGGED,
            name: 'tagged',
            type: ChannelType.GuildForum,
            flags: ChannelFlags.RequireTag,
            availableTags: [{ name: 'Question' }, { id: TAG, name: 'Remembrance' }],
          },
        ],
      },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'forum-'));
  return fake;
}

async function startBot(clock: string): Promise<BotProcess> {
  if (!fake || !dir) throw new Error('start the fake first');
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

/** The admin's command and the text of the reply they see. */
async function command(
  path: `${string} ${string}`,
  options: Parameters<typeof slash>[2] = {},
): Promise<string> {
  if (!fake) throw new Error('no fake');
  const injected: InjectInteractionOptions = slash(GUILD, path, options, {
    memberPermissions: ADMIN,
  });
  const interaction = await fake.injectInteraction(injected);
  const reply = await interaction.waitForReply(15_000);
  return JSON.stringify(reply.data);
}

const channel = (id: string) => ({ type: ApplicationCommandOptionType.Channel, value: id });

function threadsIn(forumId: string) {
  return (fake?.threads ?? []).filter((t) => t.parentId === forumId);
}

describe('a forum as the posts’ channel', () => {
  it('setup accepts it; the day post becomes a forum post titled with the day and the year; test posts there too', async () => {
    await startFake();
    const bot = await startBot('2027-02-25T12:00:00Z');
    const setup = await command('commemoration setup', { channel: channel(FORUM) });
    expect(setup).toContain('Each post will be a new post in the forum');

    await bot.tick(POST_AT);
    const [post] = threadsIn(FORUM);
    expect(threadsIn(FORUM)).toHaveLength(1);
    expect(post).toMatchObject({ name: TITLE, type: ChannelType.PublicThread });
    expect(post?.thread?.ownerId).toBe(fake?.botUserId);
    // Its first message is the post, with the thread's id, pinging nobody.
    const first = fake?.messages.find((m) => m.id === post?.id);
    if (!first) throw new Error('the forum post has no first message');
    expect(first?.channelId).toBe(post?.id);
    expect(first?.response.embeds[0]?.title).toBe('Day of the Khojaly Genocide');
    expect(first?.response.embeds[0]?.footer?.text).toMatch(/ · ref [0-9a-f]{10}$/);
    expect((first.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    // Discord ignores a nonce here; the bot does not send one.
    expect(JSON.stringify(first?.body)).not.toContain('nonce');

    await bot.tick('2027-02-26T05:01:00Z');
    expect(threadsIn(FORUM)).toHaveLength(1);
    expect(await command('commemoration status')).toContain('✅');

    expect(await command('commemoration test')).toContain('Test message posted in');
    expect(threadsIn(FORUM).map((t) => t.name)).toEqual([TITLE, 'Test message']);
  }, 90_000);

  it('a forum that requires a tag: setup asks for one, then every post carries it', async () => {
    await startFake();
    const bot = await startBot('2027-02-25T12:00:00Z');
    const refused = await command('commemoration setup', { channel: channel(TAGGED) });
    expect(refused).toContain('requires a tag on every post');
    expect(refused).toContain('“Remembrance”');
    const unknown = await command('commemoration setup', { channel: channel(TAGGED), tag: 'News' });
    expect(unknown).toContain('has no tag named “News”');
    const done = await command('commemoration setup', {
      channel: channel(TAGGED),
      tag: 'remembrance',
    });
    expect(done).toContain('Each post will carry the tag “Remembrance”');
    await bot.tick(POST_AT);
    expect(threadsIn(TAGGED).map((t) => t.thread?.appliedTags)).toEqual([[TAG]]);
  }, 90_000);

  it('without Send Messages: setup names it, and a post refused later shows in status', async () => {
    const f = await startFake();
    const bot = await startBot('2027-02-25T12:00:00Z');
    const deny = (permission: bigint) =>
      f.setChannelOverwrites(FORUM, [{ id: GUILD, type: 0, allow: 0n, deny: permission }]);
    deny(PermissionFlagsBits.SendMessages);
    expect(await command('commemoration setup', { channel: channel(FORUM) })).toContain(
      'I am missing Send Messages',
    );
    deny(PermissionFlagsBits.ReadMessageHistory);
    expect(await command('commemoration setup', { channel: channel(FORUM) })).toContain(
      'I am missing Read Message History',
    );
    f.setChannelOverwrites(FORUM, []);
    expect(await command('commemoration setup', { channel: channel(FORUM) })).toContain(
      'Each post will be a new post in the forum',
    );
    // The admin takes Send Messages away after setup.
    deny(PermissionFlagsBits.SendMessages);
    await bot.tick(POST_AT);
    expect(threadsIn(FORUM)).toHaveLength(0);
    const status = await command('commemoration status');
    expect(status).toContain('I lacked permission to post in the channel');
  }, 90_000);
});

describe('exactly once across a crash', () => {
  /**
   * The fake creates the post and holds its answer back; the bot is killed meanwhile, so it never
   * records the post. `between` runs while the bot is down.
   */
  async function crashAfterCreate(between: (threadId: string) => void) {
    const f = await startFake();
    let bot = await startBot('2027-02-25T12:00:00Z');
    expect(await command('commemoration setup', { channel: channel(FORUM) })).toContain('forum');
    f.setFaults({ slowMs: 60_000, routes: /\/threads$/ });
    bot.startTick(POST_AT);
    await f.waitFor(() => threadsIn(FORUM).length === 1, 30_000);
    await bot.stop('SIGKILL');
    f.setFaults({});
    const threadId = threadsIn(FORUM)[0]?.id ?? '';
    between(threadId);
    // The restarted bot finds its claim cut off, in doubt, and looks before anything else.
    bot = await startBot('2027-02-26T05:00:30Z');
    for (const at of ['05:01', '05:02', '05:05']) await bot.tick(`2027-02-26T${at}:00Z`);
    expect(threadsIn(FORUM)).toHaveLength(1);
    const logs = bots.flatMap((b) => b.logs).join('\n');
    expect(logs).toContain('resuming sends interrupted by a previous shutdown');
    const status = await command('commemoration status');
    expect(status).toContain('✅');
    expect(status).not.toContain('unknown:');
    return { threadId, requests: f.requests };
  }

  it('killed after Discord created the post: on restart the bot finds it and does not post again', async () => {
    const { requests } = await crashAfterCreate(() => {});
    expect(requests.some((r) => r.path === `/guilds/${GUILD}/threads/active`)).toBe(true);
  }, 120_000);

  it('the same with the post archived in between: found among the archived posts', async () => {
    const { requests } = await crashAfterCreate((threadId) => fake?.archiveThread(threadId));
    expect(requests.some((r) => r.path === `/channels/${FORUM}/threads/archived/public`)).toBe(
      true,
    );
  }, 120_000);

  it('killed after Discord created the post, and Read Message History taken away: never posted again, unconfirmed in status', async () => {
    const f = await startFake();
    let bot = await startBot('2027-02-25T12:00:00Z');
    await command('commemoration setup', { channel: channel(FORUM) });
    f.setFaults({ slowMs: 60_000, routes: /\/threads$/ });
    bot.startTick(POST_AT);
    await f.waitFor(() => threadsIn(FORUM).length === 1, 30_000);
    await bot.stop('SIGKILL');
    f.setFaults({});
    f.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ReadMessageHistory },
    ]);
    bot = await startBot('2027-02-26T05:00:30Z');
    for (const at of ['05:01', '05:05']) await bot.tick(`2027-02-26T${at}:00Z`);
    expect(threadsIn(FORUM)).toHaveLength(1);
    expect(await command('commemoration status')).toContain(
      'without Read Message History I cannot check whether the post arrived',
    );
  }, 120_000);

  it('Discord stores the post and answers 5xx: sent once, not retried by the REST client, recorded as sent', async () => {
    const f = await startFake();
    const bot = await startBot('2027-02-25T12:00:00Z');
    await command('commemoration setup', { channel: channel(FORUM) });
    f.setFaults({ serverErrorRate: 1, createThenFail: true, routes: /\/threads$/ });
    await bot.tick(POST_AT);
    const posts = f.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(posts).toHaveLength(1);
    f.setFaults({});
    await bot.tick('2027-02-26T05:01:00Z');
    await bot.tick('2027-02-26T05:02:00Z');
    expect(threadsIn(FORUM)).toHaveLength(1);
    expect(await command('commemoration status')).toContain('✅');
  }, 90_000);
});
