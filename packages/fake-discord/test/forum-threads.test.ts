import {
  ChannelFlags,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeDiscord,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from '../src/fake-discord.js';

const GUILD = '920000000000000001';
const FORUM = '920000000000000010';
const TAGGED = '920000000000000011';
const TEXT = '920000000000000012';
const TAG = '920000000000000020';
const MODERATED_TAG = '920000000000000021';

const guildSpec = {
  id: GUILD,
  channels: [
    { id: FORUM, name: 'forum', type: ChannelType.GuildForum as const },
    {
      id: TAGGED,
      name: 'tagged',
      type: ChannelType.GuildForum as const,
      flags: ChannelFlags.RequireTag,
      defaultAutoArchiveDuration: 1440,
      availableTags: [
        { id: TAG, name: 'Remembrance' },
        { id: MODERATED_TAG, name: 'Staff', moderated: true },
      ],
    },
    { id: TEXT, name: 'text' },
  ],
};

const fakes: FakeDiscord[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function start(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ guilds: [guildSpec], ...options });
  fakes.push(fake);
  return fake;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read Discord's JSON freely.
  body: any;
}

/** A raw request, so that the test sees Discord's status and body exactly. */
async function call(fake: FakeDiscord, method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.apiBaseUrl}/v10${path}`, {
    method,
    headers: {
      Authorization: `Bot ${fake.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined } as Answer;
}

const post = (name = 'National Mourning Day 2027', message: unknown = { content: 'x' }) => ({
  name,
  message,
});

describe('fake-discord: forum channels', () => {
  it('describes a forum with its tags, flags and default archive duration', async () => {
    const fake = await start();
    const { body } = await call(fake, 'GET', `/channels/${TAGGED}`);
    expect(body).toMatchObject({
      type: ChannelType.GuildForum,
      flags: ChannelFlags.RequireTag,
      default_auto_archive_duration: 1440,
      available_tags: [
        { id: TAG, name: 'Remembrance', moderated: false, emoji_id: null, emoji_name: null },
        { id: MODERATED_TAG, name: 'Staff', moderated: true },
      ],
    });
  });

  it('refuses a plain message in a forum with 40058', async () => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${FORUM}/messages`, { content: 'x' });
    expect(answer).toMatchObject({ status: 400, body: { code: 40058 } });
  });
});

describe('fake-discord: starting a forum post', () => {
  it('creates a public thread owned by the bot whose first message has the thread id', async () => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${FORUM}/threads`, {
      ...post(),
      message: { embeds: [{ title: 'T', description: 'D', footer: { text: 'f · ref abc' } }] },
    });
    expect(answer.status).toBe(201);
    const thread = answer.body;
    expect(thread).toMatchObject({
      type: ChannelType.PublicThread,
      name: 'National Mourning Day 2027',
      parent_id: FORUM,
      owner_id: fake.botUserId,
      guild_id: GUILD,
      thread_metadata: { archived: false, locked: false, auto_archive_duration: 4320 },
      message: { id: thread.id, channel_id: thread.id },
      member: { user_id: fake.botUserId },
    });
    const one = await call(fake, 'GET', `/channels/${thread.id}/messages/${thread.id}`);
    expect(one.body.embeds[0].footer.text).toBe('f · ref abc');
    const list = await call(fake, 'GET', `/channels/${thread.id}/messages?limit=10`);
    expect(list.body.map((m: { id: string }) => m.id)).toEqual([thread.id]);
    expect(fake.threads.map((t) => t.id)).toEqual([thread.id]);
  });

  it.each([
    ['an empty name', post(''), 'name'],
    ['a name over 100 characters', post('x'.repeat(101)), 'name'],
    ['no message', { name: 'x' }, 'message'],
    ['content over 2,000 characters', post('x', { content: 'y'.repeat(2001) }), 'message'],
    ['the Ephemeral flag', post('x', { content: 'y', flags: MessageFlags.Ephemeral }), 'message'],
    [
      'an archive duration Discord lacks',
      { ...post(), auto_archive_duration: 100 },
      'auto_archive_duration',
    ],
    [
      'more than 5 tags',
      { ...post(), applied_tags: ['1', '2', '3', '4', '5', '6'] },
      'applied_tags',
    ],
  ])('refuses %s with 50035', async (_, body, field) => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${FORUM}/threads`, body);
    expect(answer).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(Object.keys(answer.body.errors)).toContain(field);
    expect(fake.threads).toHaveLength(0);
  });

  it('accepts Suppress Notifications and a one-day archive duration', async () => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${FORUM}/threads`, {
      ...post('x', { content: 'y', flags: MessageFlags.SuppressNotifications }),
      auto_archive_duration: 1440,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.thread_metadata.auto_archive_duration).toBe(1440);
  });

  it('refuses an empty first message with 50006', async () => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${FORUM}/threads`, post('x', {}));
    expect(answer).toMatchObject({ status: 400, body: { code: 50006 } });
  });

  it('needs Send Messages, not Create Public Threads', async () => {
    const fake = await start();
    // The default bot role lacks Create Public Threads, and the post is created.
    expect((await call(fake, 'POST', `/channels/${FORUM}/threads`, post())).status).toBe(201);
    fake.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    const refused = await call(fake, 'POST', `/channels/${FORUM}/threads`, post());
    expect(refused).toMatchObject({ status: 403, body: { code: 50013 } });
    fake.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
    ]);
    const hidden = await call(fake, 'POST', `/channels/${FORUM}/threads`, post());
    expect(hidden).toMatchObject({ status: 403, body: { code: 50001 } });
  });

  it('without Embed Links refuses an embed-only post and drops the embeds of one with content', async () => {
    const fake = await start();
    fake.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.EmbedLinks },
    ]);
    const embedOnly = post('x', { embeds: [{ title: 'T' }] });
    const refused = await call(fake, 'POST', `/channels/${FORUM}/threads`, embedOnly);
    expect(refused).toMatchObject({ status: 403, body: { code: 50013 } });
    const withContent = post('x', { content: 'c', embeds: [{ title: 'T' }] });
    const kept = await call(fake, 'POST', `/channels/${FORUM}/threads`, withContent);
    expect(kept.status).toBe(201);
    expect(kept.body.message.embeds).toEqual([]);
  });

  it('answers 40067 when the forum requires a tag and none is given', async () => {
    const fake = await start();
    const refused = await call(fake, 'POST', `/channels/${TAGGED}/threads`, post());
    expect(refused).toMatchObject({
      status: 400,
      body: { code: 40067, message: 'A tag is required to create a forum post in this channel' },
    });
    const tagged = await call(fake, 'POST', `/channels/${TAGGED}/threads`, {
      ...post(),
      applied_tags: [TAG],
    });
    expect(tagged.status).toBe(201);
    expect(tagged.body.applied_tags).toEqual([TAG]);
    // The forum's default archive duration applies when the request names none.
    expect(tagged.body.thread_metadata.auto_archive_duration).toBe(1440);
  });

  it('refuses a tag the forum lacks, and a moderated tag without Manage Threads', async () => {
    const fake = await start();
    const unknown = await call(fake, 'POST', `/channels/${TAGGED}/threads`, {
      ...post(),
      applied_tags: ['920000000000000099'],
    });
    expect(unknown).toMatchObject({ status: 400, body: { code: 50035 } });
    const moderated = { ...post(), applied_tags: [MODERATED_TAG] };
    const refused = await call(fake, 'POST', `/channels/${TAGGED}/threads`, moderated);
    expect(refused).toMatchObject({ status: 403, body: { code: 50013 } });
    fake.setChannelOverwrites(TAGGED, [
      { id: GUILD, type: 0, allow: PermissionFlagsBits.ManageThreads, deny: 0n },
    ]);
    expect((await call(fake, 'POST', `/channels/${TAGGED}/threads`, moderated)).status).toBe(201);
  });

  it('ignores nonce and enforce_nonce: the same post sent twice is two posts', async () => {
    const fake = await start();
    const body = post('x', { content: 'y', nonce: 'n-1', enforce_nonce: true });
    const first = await call(fake, 'POST', `/channels/${FORUM}/threads`, body);
    const second = await call(fake, 'POST', `/channels/${FORUM}/threads`, body);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
    expect(first.body.message.nonce).toBeUndefined();
    expect(fake.ignoredFields).toContainEqual({
      route: 'POST /channels/:channelId/threads',
      fields: ['message.nonce', 'message.enforce_nonce'],
    });
  });

  it('is not a route for text channels in the fake', async () => {
    const fake = await start();
    const answer = await call(fake, 'POST', `/channels/${TEXT}/threads`, post());
    expect(answer).toMatchObject({ status: 400, body: { code: 50024 } });
  });

  it('has a rate limit of its own, and can be stored and still answer 5xx', async () => {
    const fake = await start({
      rateLimits: {
        routes: { 'POST /channels/:channelId/threads': { limit: 1, windowMs: 60_000 } },
      },
    });
    expect((await call(fake, 'POST', `/channels/${FORUM}/threads`, post())).status).toBe(201);
    const limited = await call(fake, 'POST', `/channels/${FORUM}/threads`, post());
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ global: false });

    const other = await start();
    other.setFaults({ serverErrorRate: 1, createThenFail: true, routes: /\/threads$/ });
    const failed = await call(other, 'POST', `/channels/${FORUM}/threads`, post());
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(other.threads).toHaveLength(1);
  });
});

describe('fake-discord: listing forum posts', () => {
  it('lists active threads of the guild, newest first, with the bot as member', async () => {
    const fake = await start();
    const a = (await call(fake, 'POST', `/channels/${FORUM}/threads`, post('a'))).body;
    const b = (await call(fake, 'POST', `/channels/${FORUM}/threads`, post('b'))).body;
    const { status, body } = await call(fake, 'GET', `/guilds/${GUILD}/threads/active`);
    expect(status).toBe(200);
    expect(body.threads.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);
    expect(body.members).toHaveLength(2);
    expect(body.has_more).toBeUndefined();
    fake.archiveThread(a.id);
    const after = await call(fake, 'GET', `/guilds/${GUILD}/threads/active`);
    expect(after.body.threads.map((t: { id: string }) => t.id)).toEqual([b.id]);
  });

  it('lists archived public threads by archive time, with before and has_more', async () => {
    const fake = await start();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const thread = (await call(fake, 'POST', `/channels/${FORUM}/threads`, post(name))).body;
      ids.push(thread.id);
      fake.archiveThread(thread.id);
      // Archive timestamps have millisecond resolution.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const path = `/channels/${FORUM}/threads/archived/public`;
    const first = await call(fake, 'GET', `${path}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.threads.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.has_more).toBe(true);
    expect(first.body.threads[0].thread_metadata.archived).toBe(true);
    const before = first.body.threads[1].thread_metadata.archive_timestamp;
    const second = await call(fake, 'GET', `${path}?limit=2&before=${encodeURIComponent(before)}`);
    expect(second.body.threads.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(second.body.has_more).toBe(false);
  });

  it.each([
    ['limit=1', 'limit'],
    ['limit=101', 'limit'],
    ['before=yesterday', 'before'],
  ])('refuses %s with 50035', async (query, field) => {
    const fake = await start();
    const answer = await call(fake, 'GET', `/channels/${FORUM}/threads/archived/public?${query}`);
    expect(answer).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(Object.keys(answer.body.errors)).toContain(field);
  });

  it('needs Read Message History for archived threads', async () => {
    const fake = await start();
    fake.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ReadMessageHistory },
    ]);
    const answer = await call(fake, 'GET', `/channels/${FORUM}/threads/archived/public`);
    expect(answer).toMatchObject({ status: 403, body: { code: 50013 } });
    // The starter message too: reading one message needs it.
    const thread = (await call(fake, 'POST', `/channels/${FORUM}/threads`, post())).body;
    const read = await call(fake, 'GET', `/channels/${thread.id}/messages/${thread.id}`);
    expect(read).toMatchObject({ status: 403, body: { code: 50013 } });
  });

  it('archives a thread once its auto-archive duration has passed on the clock', async () => {
    let clock = 0;
    const fake = await start({ clock: () => clock });
    const thread = (
      await call(fake, 'POST', `/channels/${FORUM}/threads`, {
        ...post(),
        auto_archive_duration: 60,
      })
    ).body;
    clock += 59 * 60_000;
    expect((await call(fake, 'GET', `/guilds/${GUILD}/threads/active`)).body.threads).toHaveLength(
      1,
    );
    clock += 60_000;
    expect((await call(fake, 'GET', `/guilds/${GUILD}/threads/active`)).body.threads).toHaveLength(
      0,
    );
    const archived = await call(fake, 'GET', `/channels/${FORUM}/threads/archived/public`);
    expect(archived.body.threads.map((t: { id: string }) => t.id)).toEqual([thread.id]);
    // An archived post can still be read.
    const read = await call(fake, 'GET', `/channels/${thread.id}/messages/${thread.id}`);
    expect(read.status).toBe(200);
  });
});
