import { RateLimitError, REST } from '@discordjs/rest';
import {
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, StartFakeDiscordOptions } from '../src/fake-discord.js';
import { DEFAULT_BOT_PERMISSIONS } from '../src/permissions.js';
import { useHarness } from './harness.js';

const GUILD = '970000000000000001';
const TEXT = '970000000000000010';
const NEWS = '970000000000000011';
const OTHER_NEWS = '970000000000000012';
const VOICE = '970000000000000013';
const MEMBER = '970000000000000099';

interface Answer {
  status: number;
  body: { code?: number; message?: string; errors?: unknown } & Record<string, unknown>;
  headers: Headers;
}

/** Raw HTTP, so that nothing in a client library stops a request before the fake sees it. */
async function call(fake: FakeDiscord, method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.apiBaseUrl}/v10${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bot ${fake.token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : {},
    headers: response.headers,
  } as Answer;
}

async function post(fake: FakeDiscord, channelId: string): Promise<string> {
  const answer = await call(fake, 'POST', `/channels/${channelId}/messages`, { content: 'post' });
  expect(answer.status).toBe(200);
  return String(answer.body.id);
}

const crosspost = (fake: FakeDiscord, channelId: string, messageId: string) =>
  call(fake, 'POST', `/channels/${channelId}/messages/${messageId}/crosspost`);
const startThread = (fake: FakeDiscord, channelId: string, messageId: string, body: unknown) =>
  call(fake, 'POST', `/channels/${channelId}/messages/${messageId}/threads`, body);

function errorCodesAt(answer: Answer, path: readonly string[]): string[] {
  let node: unknown = answer.body.errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return ((node as { _errors?: { code: string }[] } | undefined)?._errors ?? []).map((e) => e.code);
}

describe('fake-discord: crossposting (publishing) a message', () => {
  const harness = useHarness();
  let clock = 1_000_000;
  const start = (options: StartFakeDiscordOptions = {}) =>
    harness.start({
      clock: () => clock,
      guilds: [
        {
          id: GUILD,
          channels: [
            { id: TEXT, name: 'text' },
            { id: NEWS, name: 'news', type: ChannelType.GuildAnnouncement },
            { id: OTHER_NEWS, name: 'news-2', type: ChannelType.GuildAnnouncement },
          ],
        },
      ],
      ...options,
    });

  it("publishes the bot's own message in an announcement channel, once: the second time is 40033", async () => {
    const fake = await start();
    const id = await post(fake, NEWS);
    const first = await crosspost(fake, NEWS, id);
    expect(first.status).toBe(200);
    expect(Number(first.body.flags) & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted);
    expect(fake.crossposts.map((c) => c.messageId)).toEqual([id]);
    const again = await crosspost(fake, NEWS, id);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      code: 40033,
      message: 'This message has already been crossposted',
    });
    // The message as read back carries the flag too.
    const read = await call(fake, 'GET', `/channels/${NEWS}/messages/${id}`);
    expect(Number(read.body.flags) & MessageFlags.Crossposted).toBe(MessageFlags.Crossposted);
  });

  it('refuses a message in a channel that is not an announcement channel: 50024', async () => {
    const fake = await start();
    const id = await post(fake, TEXT);
    const answer = await crosspost(fake, TEXT, id);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(50024);
    expect(fake.crossposts).toHaveLength(0);
  });

  it('answers 10008 for a message that is not there (or was deleted), 10003 for no channel', async () => {
    const fake = await start();
    const id = await post(fake, NEWS);
    expect((await crosspost(fake, NEWS, '970000000000009999')).body.code).toBe(10008);
    fake.deleteMessage(id);
    expect((await crosspost(fake, NEWS, id)).body.code).toBe(10008);
    expect((await crosspost(fake, '970000000000008888', id)).body.code).toBe(10003);
  });

  it("needs Send Messages for the bot's own message, and View Channel to see it at all", async () => {
    const fake = await start();
    const id = await post(fake, NEWS);
    fake.setChannelOverwrites(NEWS, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    const noSend = await crosspost(fake, NEWS, id);
    expect([noSend.status, noSend.body.code]).toEqual([403, 50013]);
    fake.setChannelOverwrites(NEWS, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
    ]);
    const noView = await crosspost(fake, NEWS, id);
    expect([noView.status, noView.body.code]).toEqual([403, 50001]);
    fake.setChannelOverwrites(NEWS, []);
    expect((await crosspost(fake, NEWS, id)).status).toBe(200);
  });

  it("needs Manage Messages for someone else's message", async () => {
    const fake = await start();
    const theirs = fake.addMemberMessage(NEWS, MEMBER, 'a moderator announcement');
    const refused = await crosspost(fake, NEWS, theirs.id);
    expect([refused.status, refused.body.code]).toEqual([403, 50013]);
    fake.setBotPermissions(GUILD, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageMessages);
    expect((await crosspost(fake, NEWS, theirs.id)).status).toBe(200);
  });

  it("limits publishes per channel on the fake's clock, with Discord's 429 body and headers", async () => {
    clock = 1_000_000;
    const fake = await start({ crosspostLimit: { perChannel: 2, windowMs: 60 * 60_000 } });
    const ids = [await post(fake, NEWS), await post(fake, NEWS), await post(fake, NEWS)];
    expect((await crosspost(fake, NEWS, ids[0] ?? '')).status).toBe(200);
    clock += 10 * 60_000;
    expect((await crosspost(fake, NEWS, ids[1] ?? '')).status).toBe(200);
    clock += 5 * 60_000;
    const limited = await crosspost(fake, NEWS, ids[2] ?? '');
    expect(limited.status).toBe(429);
    // The oldest publish leaves the hour in 45 minutes.
    expect(limited.body).toEqual({
      message: 'You are being rate limited.',
      retry_after: 2700,
      global: false,
    });
    expect(limited.headers.get('retry-after')).toBe('2700');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    // Another channel has its own limit.
    expect((await crosspost(fake, OTHER_NEWS, await post(fake, OTHER_NEWS))).status).toBe(200);
    clock += 45 * 60_000;
    expect((await crosspost(fake, NEWS, ids[2] ?? '')).status).toBe(200);
    // A moderator's publish in the client counts too.
    const fourth = await post(fake, NEWS);
    fake.crosspostMessage(fourth);
    expect((await crosspost(fake, NEWS, await post(fake, NEWS))).status).toBe(429);
  });

  it('lets @discordjs/rest reject at once with rejectOnRateLimit instead of waiting many minutes', async () => {
    clock = 1_000_000;
    const fake = await start({ crosspostLimit: { perChannel: 1, windowMs: 60 * 60_000 } });
    const rest = new REST({
      api: fake.apiBaseUrl,
      rejectOnRateLimit: (data) => data.route.endsWith('/crosspost'),
    }).setToken(fake.token);
    const first = await post(fake, NEWS);
    const second = await post(fake, NEWS);
    await rest.post(Routes.channelMessageCrosspost(NEWS, first));
    const error = await rest
      .post(Routes.channelMessageCrosspost(NEWS, second))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    // Retry-After in whole seconds, plus the offset discord.js adds.
    expect((error as RateLimitError).retryAfter).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe('fake-discord: starting a thread from a message', () => {
  const harness = useHarness();
  const withThreads = DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.CreatePublicThreads;
  const start = (botPermissions = withThreads) =>
    harness.start({
      guilds: [
        {
          id: GUILD,
          botPermissions,
          channels: [
            { id: TEXT, name: 'text' },
            { id: NEWS, name: 'news', type: ChannelType.GuildAnnouncement },
            { id: VOICE, name: 'voice', type: ChannelType.GuildVoice },
          ],
        },
      ],
    });

  it('starts a PUBLIC_THREAD in a text channel with the message id, readable and on the message', async () => {
    const fake = await start();
    const id = await post(fake, TEXT);
    const answer = await startThread(fake, TEXT, id, {
      name: 'Day of remembrance, 2027',
      auto_archive_duration: 10080,
    });
    expect(answer.status).toBe(201);
    const thread = answer.body as unknown as APIThreadChannel;
    expect(thread).toMatchObject({
      id,
      type: ChannelType.PublicThread,
      parent_id: TEXT,
      guild_id: GUILD,
      name: 'Day of remembrance, 2027',
      owner_id: fake.botUserId,
      thread_metadata: { archived: false, locked: false, auto_archive_duration: 10080 },
    });
    const read = await call(fake, 'GET', `/channels/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, type: ChannelType.PublicThread, parent_id: TEXT });
    const message = (await call(fake, 'GET', `/channels/${TEXT}/messages/${id}`))
      .body as unknown as APIMessage;
    expect(message.thread?.id).toBe(id);
    expect((message.flags ?? 0) & MessageFlags.HasThread).toBe(MessageFlags.HasThread);
    expect(fake.messageThreads.map((t) => t.name)).toEqual(['Day of remembrance, 2027']);
  });

  it('starts an ANNOUNCEMENT_THREAD in an announcement channel, with a default archive of a day', async () => {
    const fake = await start();
    const id = await post(fake, NEWS);
    const answer = await startThread(fake, NEWS, id, { name: 'words' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      type: ChannelType.AnnouncementThread,
      thread_metadata: { auto_archive_duration: 1440 },
    });
  });

  it('refuses a second thread for the same message: 160004', async () => {
    const fake = await start();
    const id = await post(fake, TEXT);
    expect((await startThread(fake, TEXT, id, { name: 'one' })).status).toBe(201);
    const again = await startThread(fake, TEXT, id, { name: 'two' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      code: 160004,
      message: 'A thread has already been created for this message',
    });
    expect(fake.messageThreads).toHaveLength(1);
  });

  it('needs Create Public Threads (403 50013) and View Channel (403 50001)', async () => {
    const fake = await start(DEFAULT_BOT_PERMISSIONS);
    const id = await post(fake, TEXT);
    const refused = await startThread(fake, TEXT, id, { name: 'words' });
    expect([refused.status, refused.body.code]).toEqual([403, 50013]);
    fake.setBotPermissions(GUILD, withThreads);
    fake.setChannelOverwrites(TEXT, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
    ]);
    const hidden = await startThread(fake, TEXT, id, { name: 'words' });
    expect([hidden.status, hidden.body.code]).toEqual([403, 50001]);
    fake.setChannelOverwrites(TEXT, []);
    expect((await startThread(fake, TEXT, id, { name: 'words' })).status).toBe(201);
  });

  it('needs the message to exist in that channel (10008), and a text or announcement channel (50024)', async () => {
    const fake = await start();
    const id = await post(fake, TEXT);
    expect((await startThread(fake, NEWS, id, { name: 'x' })).body.code).toBe(10008);
    expect((await startThread(fake, VOICE, id, { name: 'x' })).body.code).toBe(50024);
    expect((await startThread(fake, '970000000000008888', id, { name: 'x' })).body.code).toBe(
      10003,
    );
    fake.deleteMessage(id);
    expect((await startThread(fake, TEXT, id, { name: 'x' })).body.code).toBe(10008);
  });

  it.each([
    ['a missing name', {}, { name: 'n' }, 'name', 'BASE_TYPE_REQUIRED'],
    ['an empty name', { name: '' }, { name: 'n' }, 'name', 'BASE_TYPE_MIN_LENGTH'],
    [
      'a name over 100 characters',
      { name: 'n'.repeat(101) },
      { name: 'n'.repeat(100) },
      'name',
      'BASE_TYPE_MAX_LENGTH',
    ],
    [
      'an auto_archive_duration Discord does not offer',
      { name: 'n', auto_archive_duration: 120 },
      { name: 'n', auto_archive_duration: 4320 },
      'auto_archive_duration',
      'BASE_TYPE_CHOICES',
    ],
    [
      'a slow mode over 6 hours',
      { name: 'n', rate_limit_per_user: 21_601 },
      { name: 'n', rate_limit_per_user: 21_600 },
      'rate_limit_per_user',
      'NUMBER_TYPE_MAX',
    ],
    [
      'a negative slow mode',
      { name: 'n', rate_limit_per_user: -1 },
      { name: 'n', rate_limit_per_user: 0 },
      'rate_limit_per_user',
      'NUMBER_TYPE_MIN',
    ],
  ])('validates the body with the spec: %s', async (_rule, invalid, valid, field, code) => {
    const fake = await start();
    const id = await post(fake, TEXT);
    const refused = await startThread(fake, TEXT, id, invalid);
    expect([refused.status, refused.body.code]).toEqual([400, 50035]);
    expect(errorCodesAt(refused, [field])).toEqual([code]);
    expect((await startThread(fake, TEXT, id, valid)).status).toBe(201);
  });
});
