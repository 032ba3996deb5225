import { Client, GatewayIntentBits, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '970000000000000001';
const CHANNEL = '970000000000000010';

describe('fake-discord: gateway details', () => {
  const harness = useHarness();

  it('acknowledges heartbeats so discord.js measures a ping', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }], heartbeatIntervalMs: 100 });
    const client = await harness.login(fake);

    await fake.waitFor(() => fake.gatewayHeartbeats >= 2 && client.ws.ping >= 0);
    expect(client.ws.ping).toBeLessThan(100);
  });

  it('delivers raw dispatches, and a malformed one does not break the session', async () => {
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'before' }] }],
    });
    const client = await harness.login(fake);
    const raw: string[] = [];
    client.on('raw', (packet: { t: string | null }) => {
      if (packet.t) raw.push(packet.t);
    });

    fake.dispatch('SOMETHING_DISCORD_ADDED_LATER', { guild_id: GUILD, surprise: true });
    fake.dispatch('CHANNEL_UPDATE', { id: '970000000000000099', guild_id: GUILD, type: 0 });
    fake.dispatch('CHANNEL_UPDATE', {
      id: CHANNEL,
      guild_id: GUILD,
      type: 0,
      name: 'after',
      position: 0,
      permission_overwrites: [],
    });

    // discord.js emits 'raw' and then applies the packet synchronously.
    await fake.waitFor(() => raw.length === 3);
    expect(raw).toEqual(['SOMETHING_DISCORD_ADDED_LATER', 'CHANNEL_UPDATE', 'CHANNEL_UPDATE']);
    const channel = client.channels.cache.get(CHANNEL);
    expect(channel && 'name' in channel ? channel.name : undefined).toBe('after');
  });

  it('rejects a wrong token on REST (401) so login fails fast', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiBaseUrl },
    });

    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    await client.destroy();
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([['/gateway/bot', 401]]);
  });

  it('answers the REST reads discord.js makes for guilds, channels, roles and members', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
    const client = await harness.login(fake);
    const guild = client.guilds.cache.get(GUILD);
    if (!guild) throw new Error('guild missing');

    const fetched = await client.guilds.fetch({ guild: GUILD, force: true });
    const channels = await guild.channels.fetch();
    const roles = await guild.roles.fetch();
    const me = await guild.members.fetchMe({ force: true });
    const channel = await client.channels.fetch(CHANNEL, { force: true });
    const user = await client.rest.get(Routes.user());

    expect(fetched.id).toBe(GUILD);
    expect([...channels.keys()]).toEqual([CHANNEL]);
    expect(roles.has(GUILD)).toBe(true);
    expect(me.id).toBe(fake.botUserId);
    expect(channel?.id).toBe(CHANNEL);
    expect(user).toMatchObject({ id: fake.botUserId, bot: true });
    expect(fake.unhandledRequests).toEqual([]);
  });
});
