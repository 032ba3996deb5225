import { ChannelType, InteractionContextType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { readInteraction } from '../../src/discord/read-interaction.js';
import { resolveReplyLanguage } from '../../src/discord/resolve-language.js';
import { getFixtureContent } from '../support/test-content.js';

const APP = '300000000000000001';
const USER = '300000000000000002';
const GUILD = '300000000000000003';
const CHANNEL = '300000000000000004';
const user = { id: USER, username: 'member' };
const member = { user, permissions: '3072', roles: [] };

/** A chat-input interaction as Discord sends it, with the fields of one place laid over it. */
function payload(place: Record<string, unknown>): Record<string, unknown> {
  return {
    id: '300000000000000010',
    application_id: APP,
    type: 2,
    token: 'token',
    version: 1,
    locale: 'ru',
    app_permissions: '0',
    data: {
      id: '300000000000000011',
      name: 'observance',
      type: 1,
      options: [{ name: 'next', type: 1, options: [] }],
    },
    ...place,
  };
}

const PLACES = [
  {
    where: 'a server that added the bot',
    place: {
      context: InteractionContextType.Guild,
      guild_id: GUILD,
      member,
      channel: { id: CHANNEL, type: ChannelType.GuildText },
      authorizing_integration_owners: { 0: GUILD },
    },
    expected: { context: InteractionContextType.Guild, guildId: GUILD, serverInstalled: true },
  },
  {
    where: 'a server that added the bot, by a member who also added it to their account',
    place: {
      context: InteractionContextType.Guild,
      guild_id: GUILD,
      member,
      authorizing_integration_owners: { 0: GUILD, 1: USER },
    },
    expected: { context: InteractionContextType.Guild, guildId: GUILD, serverInstalled: true },
  },
  {
    where: 'a server without the bot, through the member’s own install',
    place: {
      context: InteractionContextType.Guild,
      guild_id: GUILD,
      member,
      authorizing_integration_owners: { 1: USER },
    },
    expected: { context: InteractionContextType.Guild, guildId: GUILD, serverInstalled: false },
  },
  {
    where: 'the bot’s DM (user at the top, no guild_id or member)',
    place: {
      context: InteractionContextType.BotDM,
      user,
      channel: { id: CHANNEL, type: ChannelType.DM },
      authorizing_integration_owners: { 0: '0', 1: USER },
    },
    expected: { context: InteractionContextType.BotDM, guildId: undefined, serverInstalled: false },
  },
  {
    where: 'a group DM',
    place: {
      context: InteractionContextType.PrivateChannel,
      user,
      channel: { id: CHANNEL, type: ChannelType.GroupDM },
      authorizing_integration_owners: { 1: USER },
    },
    expected: {
      context: InteractionContextType.PrivateChannel,
      guildId: undefined,
      serverInstalled: false,
    },
  },
  {
    where: 'a server, in a payload from before user installs (no context, no owners)',
    place: { guild_id: GUILD, member },
    expected: { context: InteractionContextType.Guild, guildId: GUILD, serverInstalled: true },
  },
  {
    where: 'a group DM, in a payload without context',
    place: { user, channel: { id: CHANNEL, type: ChannelType.GroupDM } },
    expected: {
      context: InteractionContextType.PrivateChannel,
      guildId: undefined,
      serverInstalled: false,
    },
  },
];

describe('readInteraction: where a command was used', () => {
  it.each(PLACES)('$where', ({ place, expected }) => {
    const read = readInteraction(payload(place));
    expect(read).toMatchObject({
      kind: 'slash',
      interaction: { ...expected, locale: 'ru', commandName: 'observance', subcommand: 'next' },
    });
  });

  it.each([
    {
      where: 'a server that added the bot',
      owners: { 0: GUILD },
      permissions: '1024',
      expected: true,
    },
    {
      where: 'a server without the bot, member may send',
      owners: { 1: USER },
      permissions: '3072',
      expected: true,
    },
    {
      where: 'a server without the bot, member may not send',
      owners: { 1: USER },
      permissions: '1024',
      expected: false,
    },
  ])('replies publicly in $where: $expected', ({ owners, permissions, expected }) => {
    const read = readInteraction(
      payload({
        context: InteractionContextType.Guild,
        guild_id: GUILD,
        member: { ...member, permissions },
        authorizing_integration_owners: owners,
      }),
    );
    expect(read).toMatchObject({ interaction: { mayReplyPublicly: expected } });
  });

  it('replies publicly in DMs and group DMs', () => {
    const read = readInteraction(
      payload({
        context: InteractionContextType.PrivateChannel,
        user,
        authorizing_integration_owners: { 1: USER },
      }),
    );
    expect(read).toMatchObject({ interaction: { mayReplyPublicly: true } });
  });

  it('refuses a payload with neither member nor user', () => {
    const read = readInteraction(payload({ context: InteractionContextType.BotDM }));
    // Still answerable, in the member's language.
    expect(read).toMatchObject({
      kind: 'malformed',
      malformed: {
        id: '300000000000000010',
        token: 'token',
        locale: 'ru',
        problem: expect.any(String),
      },
    });
  });

  it('refuses owners that are not ids', () => {
    const read = readInteraction(
      payload({ user, authorizing_integration_owners: { 1: 'someone' } }),
    );
    expect(read.kind).toBe('malformed');
  });
});

describe('resolveReplyLanguage: the language of a reply', () => {
  const content = getFixtureContent();
  it.each([
    // In a DM, or a server without the bot, there are no server settings: the member's language.
    { server: undefined, locale: 'ru', expected: 'ru' },
    { server: undefined, locale: 'tr', expected: 'tr' },
    { server: undefined, locale: 'en-GB', expected: 'en' },
    // A Discord language the bot has no content for, or none at all: English.
    { server: undefined, locale: 'de', expected: 'en' },
    { server: undefined, locale: undefined, expected: 'en' },
    // A server's own choice wins, Azerbaijani included (not a Discord client language).
    { server: 'az', locale: 'ru', expected: 'az' },
    { server: 'tr', locale: 'en-US', expected: 'tr' },
  ])('server $server, member $locale: $expected', ({ server, locale, expected }) => {
    expect(resolveReplyLanguage(content, server, locale)).toBe(expected);
  });
});
