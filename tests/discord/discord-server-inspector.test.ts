import { REST } from '@discordjs/rest';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordServerInspector } from '../../src/discord/discord-server-inspector.js';
import { defaultSettings, type GuildSettings } from '../../src/domain/guild-settings.js';

const GUILD = '960000000000000001';
const POSTS = '960000000000000010';
const UPDATES = '960000000000000011';
const RULES = '960000000000000012';
const HIDDEN = '960000000000000013';

const { ViewChannel, SendMessages, EmbedLinks, ReadMessageHistory, CreateEvents } =
  PermissionFlagsBits;
const POSTING = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory;

function settings(extra: Partial<GuildSettings> = {}): GuildSettings & { channelId: string } {
  return { ...defaultSettings(GUILD, new Date(0)), channelId: POSTS, ...extra };
}

describe('the checks before each day read Discord (against the fake Discord)', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  async function inspector(community = true) {
    fake = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          channels: [
            { id: POSTS, name: 'remembrance', type: ChannelType.GuildAnnouncement },
            { id: UPDATES, name: 'moderators' },
            { id: RULES, name: 'rules' },
            {
              id: HIDDEN,
              name: 'hidden',
              permissionOverwrites: [{ id: GUILD, type: 0, allow: 0n, deny: ViewChannel }],
            },
          ],
          ...(community
            ? { community: { rulesChannelId: RULES, publicUpdatesChannelId: UPDATES } }
            : {}),
        },
      ],
    });
    const rest = new REST({ api: fake.apiBaseUrl, retries: 0 }).setToken(fake.token);
    return { f: fake, inspect: new DiscordServerInspector(rest, () => fake?.botUserId) };
  }

  it('finds nothing missing when all is well, and names the community updates channel', async () => {
    const { inspect } = await inspector();
    expect(await inspect.inspect(settings({ channelKind: 'announcement' }))).toEqual({
      ok: true,
      inspection: { problems: [], channelKind: 'announcement', communityChannelId: UPDATES },
    });
  });

  it('asks for whatever the one list of needs says: the post permissions, threads, events', async () => {
    const { f, inspect } = await inspector(false);
    f.setBotPermissions(GUILD, ViewChannel | SendMessages);
    expect(await inspect.inspect(settings({ thread: true, events: true }))).toEqual({
      ok: true,
      inspection: {
        problems: [
          {
            kind: 'channel-permissions',
            channelId: POSTS,
            missing: ['embedLinks', 'readMessageHistory', 'createPublicThreads'],
          },
          { kind: 'server-permissions', missing: ['createEvents'] },
        ],
        channelKind: 'announcement',
      },
    });
    // Server-wide permissions come from the roles alone: a channel's overwrites do not grant them.
    f.setBotPermissions(GUILD, POSTING | CreateEvents);
    f.setChannelOverwrites(POSTS, [{ id: GUILD, type: 0, allow: 0n, deny: CreateEvents }]);
    expect(await inspect.inspect(settings({ events: true }))).toMatchObject({
      inspection: { problems: [] },
    });
  });

  it('tells a deleted channel, a hidden one, and one that is no longer an announcement channel', async () => {
    const { f, inspect } = await inspector();
    expect(await inspect.inspect(settings({ channelId: HIDDEN }))).toMatchObject({
      inspection: {
        problems: [{ kind: 'channel-permissions', channelId: HIDDEN, missing: ['viewChannel'] }],
      },
    });
    f.setChannelType(POSTS, ChannelType.GuildText);
    expect(await inspect.inspect(settings({ channelKind: 'announcement' }))).toMatchObject({
      inspection: {
        problems: [{ kind: 'not-announcement', channelId: POSTS }],
        channelKind: 'text',
      },
    });
    // Publishing off: a text channel is no problem.
    expect(
      await inspect.inspect(settings({ channelKind: 'announcement', publish: false })),
    ).toMatchObject({ inspection: { problems: [] } });
    f.deleteChannel(POSTS);
    expect(await inspect.inspect(settings())).toMatchObject({
      inspection: { problems: [{ kind: 'channel-gone', channelId: POSTS }] },
    });
  });

  it('checks that an alert can go to a channel: plain text needs View Channel and Send Messages', async () => {
    const { f, inspect } = await inspector();
    f.setBotPermissions(GUILD, ViewChannel | SendMessages);
    expect(await inspect.checkAlertChannel(GUILD, UPDATES)).toBe('ok');
    expect(await inspect.checkAlertChannel(GUILD, HIDDEN)).toEqual({
      kind: 'missing',
      permissions: ['viewChannel'],
    });
    f.setChannelOverwrites(UPDATES, [{ id: GUILD, type: 0, allow: 0n, deny: SendMessages }]);
    expect(await inspect.checkAlertChannel(GUILD, UPDATES)).toEqual({
      kind: 'missing',
      permissions: ['sendMessages'],
    });
    expect(await inspect.checkAlertChannel(GUILD, '960000000000000099')).toEqual({ kind: 'gone' });
  });

  it('reports a Discord that does not answer as nothing learnt', async () => {
    const { f, inspect } = await inspector();
    f.setFaults({ serverErrorRate: 1, routes: /roles/ });
    expect(await inspect.inspect(settings())).toMatchObject({ ok: false });
  });
});
