import { once } from 'node:events';
import { ChannelType, PermissionFlagsBits, Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, FakeGuildSpec } from '../src/fake-discord.js';
import { useHarness } from './harness.js';

const GUILD = '950000000000000001';
const POSTS = '950000000000000010';
const RULES = '950000000000000011';
const UPDATES = '950000000000000012';
const WELCOME = '950000000000000013';
const VOICE = '950000000000000014';

const channels = [
  { id: POSTS, name: 'remembrance' },
  { id: RULES, name: 'rules' },
  { id: UPDATES, name: 'moderator-only' },
  { id: WELCOME, name: 'welcome' },
  { id: VOICE, name: 'voice', type: ChannelType.GuildVoice as const },
];

const community: FakeGuildSpec = {
  id: GUILD,
  channels,
  community: { rulesChannelId: RULES, publicUpdatesChannelId: UPDATES },
  systemChannelId: WELCOME,
};

async function get(fake: FakeDiscord, path: string) {
  const response = await fetch(`${fake.apiBaseUrl}/v10${path}`, {
    headers: { Authorization: `Bot ${fake.token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('fake-discord: Community servers and the channels a server names', () => {
  const harness = useHarness();

  it('gives a Community server its features, rules and community updates channels', async () => {
    const fake = await harness.start({ guilds: [community] });
    expect((await get(fake, `/guilds/${GUILD}`)).body).toMatchObject({
      features: ['COMMUNITY', 'NEWS'],
      rules_channel_id: RULES,
      public_updates_channel_id: UPDATES,
      system_channel_id: WELCOME,
    });
    // discord.js reads the same fields from GUILD_CREATE.
    const client = await harness.login(fake);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.publicUpdatesChannelId).toBe(UPDATES);
    expect(guild?.rulesChannelId).toBe(RULES);
    expect(guild?.systemChannelId).toBe(WELCOME);
    expect(guild?.features).toEqual(['COMMUNITY', 'NEWS']);
  });

  it('gives any other server none of them', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD, channels }] });
    expect((await get(fake, `/guilds/${GUILD}`)).body).toMatchObject({
      features: [],
      rules_channel_id: null,
      public_updates_channel_id: null,
      system_channel_id: null,
    });
  });

  it('refuses a seed Discord would refuse: unknown channels, or Community channels that are not text', async () => {
    await expect(
      harness.start({
        guilds: [
          { ...community, community: { rulesChannelId: RULES, publicUpdatesChannelId: '1' } },
        ],
      }),
    ).rejects.toThrow(/community updates channel 1 is no channel of guild/);
    await expect(
      harness.start({
        guilds: [
          { ...community, community: { rulesChannelId: RULES, publicUpdatesChannelId: VOICE } },
        ],
      }),
    ).rejects.toThrow(/50086 Community server channels must be text channels/);
    await expect(
      harness.start({ guilds: [{ ...community, systemChannelId: VOICE }] }),
    ).rejects.toThrow(/must be a text channel/);
  });

  it('deletes a channel as an admin would: CHANNEL_DELETE, then 404 10003 for it', async () => {
    const fake = await harness.start({ guilds: [community] });
    const client = await harness.login(fake);
    const deleted = once(client, 'channelDelete');
    fake.deleteChannel(POSTS);
    await deleted;
    expect(await get(fake, `/channels/${POSTS}`)).toEqual({
      status: 404,
      body: { message: 'Unknown Channel', code: 10003 },
    });
    const sent = await fetch(`${fake.apiBaseUrl}/v10${Routes.channelMessages(POSTS)}`, {
      method: 'POST',
      headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: 'x' }),
    });
    expect(sent.status).toBe(404);
    expect(await sent.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
  });

  it('refuses to delete the channels Community needs (50074); a deleted system channel is unset', async () => {
    const fake = await harness.start({ guilds: [community] });
    expect(() => fake.deleteChannel(UPDATES)).toThrow(/50074/);
    expect(() => fake.deleteChannel(RULES)).toThrow(/50074/);
    expect((await get(fake, `/channels/${UPDATES}`)).status).toBe(200);
    fake.deleteChannel(WELCOME);
    expect((await get(fake, `/guilds/${GUILD}`)).body.system_channel_id).toBeNull();
  });

  it('converts text ↔ announcement in a Community server only, as Modify Channel does', async () => {
    const fake = await harness.start({ guilds: [community] });
    const client = await harness.login(fake);
    const updated = once(client, 'channelUpdate');
    fake.setChannelType(POSTS, ChannelType.GuildAnnouncement);
    await updated;
    expect((await get(fake, `/channels/${POSTS}`)).body.type).toBe(ChannelType.GuildAnnouncement);
    expect(client.channels.cache.get(POSTS)?.type).toBe(ChannelType.GuildAnnouncement);
    fake.setChannelType(POSTS, ChannelType.GuildText);
    expect((await get(fake, `/channels/${POSTS}`)).body.type).toBe(ChannelType.GuildText);

    expect(() => fake.setChannelType(UPDATES, ChannelType.GuildAnnouncement)).toThrow(/50086/);
    expect(() => fake.setChannelType(VOICE, ChannelType.GuildText)).toThrow(/only text and/);
    const plain = await harness.start({ guilds: [{ id: GUILD, channels }] });
    expect(() => plain.setChannelType(POSTS, ChannelType.GuildAnnouncement)).toThrow(/NEWS/);
  });

  it('changes what the bot may do in a channel with setBotPermissions and setChannelOverwrites', async () => {
    const fake = await harness.start({ guilds: [community] });
    const send = () =>
      fetch(`${fake.apiBaseUrl}/v10${Routes.channelMessages(UPDATES)}`, {
        method: 'POST',
        headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: 'x' }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await send()).status).toBe(200);
    fake.setChannelOverwrites(UPDATES, [
      { id: GUILD, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    expect(await send()).toMatchObject({ status: 403, body: { code: 50013 } });
    fake.setChannelOverwrites(UPDATES, []);
    fake.setBotPermissions(GUILD, PermissionFlagsBits.SendMessages);
    expect(await send()).toMatchObject({ status: 403, body: { code: 50001 } });
  });
});
