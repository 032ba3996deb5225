import { REST } from '@discordjs/rest';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordPublisher } from '../../src/discord/discord-publisher.js';
import { addDeliveryMarker } from '../../src/domain/delivery-marker.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';

const GUILD = '960000000000000001';
const FORUM = '960000000000000010';
const OTHER_FORUM = '960000000000000011';

const payload = (marker: string): MessagePayload =>
  addDeliveryMarker(
    {
      embeds: [{ title: 'T', description: 'D', color: 0, fields: [], footer: { text: 'Baku' } }],
      allowed_mentions: { parse: [] },
    },
    marker,
  );

describe('finding a forum post after an unclear answer', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  async function setUp() {
    fake = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          channels: [
            { id: FORUM, type: ChannelType.GuildForum },
            { id: OTHER_FORUM, type: ChannelType.GuildForum },
          ],
        },
      ],
    });
    const rest = new REST({ api: fake.apiBaseUrl, retries: 0 }).setToken(fake.token);
    const publisher = new DiscordPublisher(rest, () => fake?.botUserId);
    const start = new Date(Date.now() - 60_000);
    const post = (forumId: string, marker: string, title = 'Day 2027') =>
      publisher.startForumPost({ forumId, title, payload: payload(marker) });
    const find = (marker: string, title?: string) =>
      publisher.findPosted({ guildId: GUILD, channelId: FORUM, marker, after: start, title });
    return { fake, publisher, post, find };
  }

  it('finds its post among active and archived posts, and only in the forum asked', async () => {
    const { fake, post, find } = await setUp();
    const mine = await post(FORUM, 'ref aaaaaaaaaa');
    await post(OTHER_FORUM, 'ref bbbbbbbbbb');
    // Other archived posts of its own since.
    for (let i = 0; i < 3; i++) {
      const other = await post(FORUM, `ref c${i}ccccccccc`);
      if (other.ok) fake.archiveThread(other.messageId);
    }
    expect(await find('ref aaaaaaaaaa')).toEqual({
      outcome: 'found',
      messageId: mine.ok ? mine.messageId : '',
    });
    if (mine.ok) fake.archiveThread(mine.messageId);
    expect(await find('ref aaaaaaaaaa')).toMatchObject({ outcome: 'found' });
    expect(await find('ref bbbbbbbbbb')).toEqual({ outcome: 'absent' });
    expect(await find('ref dddddddddd')).toEqual({ outcome: 'absent' });
  });

  it('reads the archived posts page by page, the latest archived first', async () => {
    const { fake, post, find } = await setUp();
    const mine = await post(FORUM, 'ref aaaaaaaaaa', 'Mine');
    if (mine.ok) fake.archiveThread(mine.messageId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 100; i++) {
      const other = await post(FORUM, `ref ${String(i).padStart(10, '0')}`, `Other ${i}`);
      if (other.ok) fake.archiveThread(other.messageId);
    }
    expect(await find('ref aaaaaaaaaa', 'Mine')).toMatchObject({ outcome: 'found' });
    const pages = fake.requests.filter((r) => r.path.endsWith('/threads/archived/public'));
    expect(pages.map((r) => r.query.includes('before='))).toEqual([false, true]);
    // Without its title, more of its own posts than it reads: it says so rather than "absent".
    expect(await find('ref aaaaaaaaaa')).toMatchObject({ outcome: 'failed' });
  });

  it('a post whose first message a moderator deleted counts as found only by its exact title', async () => {
    const { fake, post, find } = await setUp();
    const mine = await post(FORUM, 'ref aaaaaaaaaa', 'Day of the Khojaly Genocide 2027');
    if (mine.ok) fake.deleteMessage(mine.messageId);
    expect(await find('ref aaaaaaaaaa')).toEqual({ outcome: 'absent' });
    expect(await find('ref aaaaaaaaaa', 'Day of the Khojaly Genocide 2027')).toMatchObject({
      outcome: 'found',
    });
  });

  it('cannot look without Read Message History: unreadable, never "absent"', async () => {
    const { fake, post, find } = await setUp();
    await post(FORUM, 'ref aaaaaaaaaa');
    fake.setChannelOverwrites(FORUM, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.ReadMessageHistory },
    ]);
    expect(await find('ref aaaaaaaaaa')).toMatchObject({ outcome: 'unreadable' });
  });

  it('sends no nonce, and says the post exists after a 5xx only through the search', async () => {
    const { fake, post, find } = await setUp();
    fake.setFaults({ serverErrorRate: 1, createThenFail: true, routes: /\/threads$/ });
    expect(await post(FORUM, 'ref aaaaaaaaaa')).toMatchObject({ ok: false, maybeDelivered: true });
    fake.setFaults({});
    expect(fake.ignoredFields).toEqual([]);
    expect(await find('ref aaaaaaaaaa')).toMatchObject({ outcome: 'found' });
  });
});
