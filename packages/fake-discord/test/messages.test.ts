import {
  DiscordAPIError,
  EmbedBuilder,
  GatewayIntentBits,
  PermissionFlagsBits,
  Routes,
  type TextChannel,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '910000000000000001';
const OPEN = '910000000000000010';
const READ_ONLY = '910000000000000011';
const HIDDEN = '910000000000000012';

const guildSpec = {
  id: GUILD,
  channels: [
    { id: OPEN, name: 'open' },
    {
      id: READ_ONLY,
      name: 'read-only',
      permissionOverwrites: [
        { id: GUILD, type: 0 as const, allow: 0n, deny: PermissionFlagsBits.SendMessages },
      ],
    },
    {
      id: HIDDEN,
      name: 'hidden',
      permissionOverwrites: [
        { id: GUILD, type: 0 as const, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
      ],
    },
  ],
};

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw error;
  return error;
}

describe('fake-discord: channel messages', () => {
  const harness = useHarness();

  it('creates one message for a repeated enforced nonce', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);
    const body = { content: 'x', nonce: 'abc', enforce_nonce: true };

    const first = (await client.rest.post(Routes.channelMessages(OPEN), { body })) as {
      id: string;
    };
    const second = (await client.rest.post(Routes.channelMessages(OPEN), { body })) as {
      id: string;
    };

    expect(second.id).toBe(first.id);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ channelId: OPEN, guildId: GUILD, body });
    expect(
      fake.requests.filter((r) => r.route === 'POST /channels/:channelId/messages'),
    ).toHaveLength(2);

    // Without enforce_nonce Discord only echoes the nonce.
    await client.rest.post(Routes.channelMessages(OPEN), { body: { content: 'x', nonce: 'abc' } });
    expect(fake.messages).toHaveLength(2);
  });

  it('returns realistic message objects that discord.js can parse', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    });
    const channel = client.channels.cache.get(OPEN) as TextChannel;
    const echoed = new Promise<string>((resolve) => {
      client.once('messageCreate', (message) => resolve(message.id));
    });

    const sent = await channel.send({
      content: 'hello',
      embeds: [
        new EmbedBuilder().setTitle('Title').setDescription('Body').setURL('https://example.org'),
      ],
    });

    expect(sent.author.id).toBe(fake.botUserId);
    expect(sent.embeds[0]?.title).toBe('Title');
    expect(sent.createdTimestamp).toBeGreaterThan(0);
    expect(await echoed).toBe(sent.id);
  });

  it('rejects like Discord: permissions, unknown channels, bad bodies, missing auth', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);
    const post = (channelId: string, body: unknown) =>
      apiError(client.rest.post(Routes.channelMessages(channelId), { body }));

    expect(await post(READ_ONLY, { content: 'x' })).toMatchObject({ status: 403, code: 50013 });
    expect(await post(HIDDEN, { content: 'x' })).toMatchObject({ status: 403, code: 50001 });
    expect(await post('910000000000000099', { content: 'x' })).toMatchObject({
      status: 404,
      code: 10003,
    });
    expect(await post(OPEN, { content: '   ' })).toMatchObject({ status: 400, code: 50006 });
    const tooLong = await post(OPEN, { content: 'x'.repeat(2001) });
    expect(tooLong).toMatchObject({ status: 400, code: 50035 });
    expect(tooLong.rawError).toMatchObject({
      errors: { content: { _errors: [expect.anything()] } },
    });
    const bigEmbeds = await post(OPEN, {
      embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2500) }],
    });
    expect(bigEmbeds).toMatchObject({ status: 400, code: 50035 });

    const deleted = new Promise<void>((resolve) => {
      client.once('channelDelete', () => resolve());
    });
    fake.deleteChannel(OPEN);
    await deleted;
    expect(client.channels.cache.has(OPEN)).toBe(false);
    expect(await post(OPEN, { content: 'x' })).toMatchObject({ status: 404, code: 10003 });
    expect(fake.messages).toHaveLength(0);

    const unauthenticated = await fetch(`${fake.apiBaseUrl}/v10/users/@me`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect(unauthenticated.headers.get('x-ratelimit-bucket')).toBeTruthy();
  });

  it('records calls to routes it does not implement', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);

    const error = await apiError(client.rest.get(Routes.channelPins(OPEN)));

    expect(error.status).toBe(404);
    expect(fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /channels/${OPEN}/pins`,
    ]);
  });
});
