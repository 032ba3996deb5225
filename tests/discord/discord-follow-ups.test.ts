import { REST } from '@discordjs/rest';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { ChannelType, PermissionFlagsBits, Routes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DiscordFollowUps,
  rejectCrosspostRateLimits,
} from '../../src/discord/discord-follow-ups.js';

const GUILD = '950000000000000001';
const TEXT = '950000000000000010';
const NEWS = '950000000000000011';
const VOICE = '950000000000000012';
const BOT = 0x400n | 0x800n | 0x4000n | 0x10000n;

/** What each Discord answer to a follow-up means, as the bot's REST client sees it. */
describe('DiscordFollowUps against the fake Discord', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  async function setUp(botPermissions = BOT) {
    fake = await startFakeDiscord({
      crosspostLimit: { perChannel: 1, windowMs: 60 * 60_000 },
      guilds: [
        {
          id: GUILD,
          botPermissions,
          channels: [
            { id: TEXT },
            { id: NEWS, type: ChannelType.GuildAnnouncement },
            { id: VOICE, type: ChannelType.GuildVoice },
          ],
        },
      ],
    });
    const rest = new REST({
      api: fake.apiBaseUrl,
      retries: 0,
      rejectOnRateLimit: rejectCrosspostRateLimits,
    }).setToken(fake.token);
    const post = async (channelId: string) =>
      (
        (await rest.post(Routes.channelMessages(channelId), { body: { content: 'p' } })) as {
          id: string;
        }
      ).id;
    return { fake, followUps: new DiscordFollowUps(rest), post };
  }

  it('crosspost: done, 40033 as done, the limit as a wait, and each refusal with its reason', async () => {
    const { fake, followUps, post } = await setUp();
    const first = await post(NEWS);
    expect(await followUps.crosspost(NEWS, first)).toEqual({ type: 'done' });
    expect(await followUps.crosspost(NEWS, first)).toEqual({ type: 'done' });
    const limited = await followUps.crosspost(NEWS, await post(NEWS));
    expect(limited).toMatchObject({ type: 'rate-limited' });
    expect(limited.type === 'rate-limited' && limited.retryAfterMs).toBeGreaterThanOrEqual(
      3_600_000,
    );
    expect(await followUps.crosspost(TEXT, await post(TEXT))).toMatchObject({
      type: 'refused',
      reason: 'not-announcement',
    });
    fake.setCrosspostLimit({ perChannel: 10, windowMs: 60 * 60_000 });
    const deleted = await post(NEWS);
    fake.deleteMessage(deleted);
    expect(await followUps.crosspost(NEWS, deleted)).toMatchObject({
      type: 'refused',
      reason: 'message-deleted',
    });
    const unsent = await post(NEWS);
    fake.setChannelOverwrites(NEWS, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    expect(await followUps.crosspost(NEWS, unsent)).toMatchObject({
      type: 'refused',
      reason: 'missing-permissions',
      detail: '403 50013: Missing Permissions',
    });
    fake.deleteChannel(NEWS);
    expect(await followUps.crosspost(NEWS, unsent)).toMatchObject({
      type: 'refused',
      reason: 'unknown-channel',
    });
  });

  it('thread: done with its id, 160004 as done with the post id, and a missing permission', async () => {
    const { fake, followUps, post } = await setUp(BOT | PermissionFlagsBits.CreatePublicThreads);
    const id = await post(TEXT);
    expect(await followUps.startThread(TEXT, id, 'Day, 2027')).toEqual({
      type: 'done',
      threadId: id,
    });
    expect(await followUps.startThread(TEXT, id, 'Day, 2027')).toEqual({
      type: 'done',
      threadId: id,
    });
    expect(fake.messageThreads[0]?.autoArchiveDuration).toBe(10080);
    fake.setBotPermissions(GUILD, BOT);
    expect(await followUps.startThread(TEXT, await post(TEXT), 'x')).toMatchObject({
      type: 'refused',
      reason: 'missing-permissions',
    });
  });

  it("reads a channel's kind: text, announcement, or none the bot posts in", async () => {
    const { followUps } = await setUp();
    expect(await followUps.readChannelKind(TEXT)).toEqual({ outcome: 'kind', kind: 'text' });
    expect(await followUps.readChannelKind(NEWS)).toEqual({
      outcome: 'kind',
      kind: 'announcement',
    });
    expect(await followUps.readChannelKind(VOICE)).toEqual({ outcome: 'other' });
    expect(await followUps.readChannelKind('950000000000000099')).toMatchObject({
      type: 'refused',
      reason: 'unknown-channel',
    });
  });
});

describe('which rate limits put a crosspost off', () => {
  const limit = { route: '/channels/:id/messages/:id/crosspost', global: false };
  it.each([
    ['the crosspost route’s own limit', limit, true],
    [
      'the global limit: a crosspost waits for it like any request',
      { ...limit, global: true },
      false,
    ],
    ['another route', { route: '/channels/:id/messages', global: false }, false],
  ])('%s', (_, data, rejected) => {
    expect(rejectCrosspostRateLimits(data as Parameters<typeof rejectCrosspostRateLimits>[0])).toBe(
      rejected,
    );
  });
});
