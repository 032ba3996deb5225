import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

describe('fake-discord: login and guild state', () => {
  const harness = useHarness();

  it('reaches clientReady with every guild, channel, role and the bot member', async () => {
    const fake = await harness.start({
      guilds: [
        {
          name: 'Alpha',
          roles: [{ name: 'mods', permissions: PermissionFlagsBits.ManageMessages }],
          channels: [
            { name: 'general' },
            { name: 'news', type: ChannelType.GuildAnnouncement },
            { name: 'voice', type: ChannelType.GuildVoice },
          ],
        },
        { name: 'Beta' },
      ],
    });
    const started = performance.now();
    const client = await harness.login(fake);
    expect(performance.now() - started).toBeLessThan(2_000);

    expect(client.user.id).toBe(fake.botUserId);
    expect(client.application.id).toBe(fake.applicationId);
    expect(client.guilds.cache.map((g) => g.name).sort()).toEqual(['Alpha', 'Beta']);

    const alpha = fake.guilds.find((g) => g.name === 'Alpha');
    if (!alpha) throw new Error('missing guild');
    const guild = client.guilds.cache.get(alpha.id);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'news', 'voice']);
    expect(guild?.roles.everyone.id).toBe(alpha.id);
    expect(guild?.roles.cache.find((r) => r.name === 'mods')).toBeDefined();
    expect(guild?.members.me?.id).toBe(fake.botUserId);
    expect(guild?.members.me?.roles.botRole?.managed).toBe(true);
    expect(fake.unhandledRequests).toEqual([]);
  });
});

describe('fake-discord: permissions as discord.js computes them', () => {
  const harness = useHarness();
  const { ViewChannel, SendMessages, EmbedLinks, Administrator } = PermissionFlagsBits;

  it('mirrors roles, overwrites and runtime permission changes', async () => {
    const guildId = '900000000000000001';
    const helperRoleId = '900000000000000002';
    const fake = await harness.start({
      guilds: [
        {
          id: guildId,
          roles: [{ id: helperRoleId, name: 'helper', permissions: EmbedLinks }],
          botRoleIds: [helperRoleId],
          botPermissions: ViewChannel | SendMessages,
          channels: [
            { id: '900000000000000010', name: 'open' },
            {
              id: '900000000000000011',
              name: 'read-only',
              permissionOverwrites: [{ id: guildId, type: 0, allow: 0n, deny: SendMessages }],
            },
            {
              id: '900000000000000012',
              name: 'hidden-but-role-allowed',
              permissionOverwrites: [
                { id: guildId, type: 0, allow: 0n, deny: ViewChannel },
                { id: helperRoleId, type: 0, allow: ViewChannel, deny: 0n },
              ],
            },
          ],
        },
      ],
    });
    const client = await harness.login(fake);
    const guild = client.guilds.cache.get(guildId);
    const me = guild?.members.me;
    if (!guild || !me) throw new Error('guild not ready');
    const perms = (channelId: string) => guild.channels.cache.get(channelId)?.permissionsFor(me);

    expect(perms('900000000000000010')?.has([ViewChannel, SendMessages, EmbedLinks])).toBe(true);
    expect(perms('900000000000000011')?.has(SendMessages)).toBe(false);
    expect(perms('900000000000000011')?.has(ViewChannel)).toBe(true);
    expect(perms('900000000000000012')?.has([ViewChannel, SendMessages])).toBe(true);

    fake.setChannelOverwrites('900000000000000010', [
      { id: fake.botUserId, type: 1, allow: 0n, deny: ViewChannel },
    ]);
    await fake.waitFor(() => perms('900000000000000010')?.has(ViewChannel) === false);

    fake.setBotPermissions(guildId, Administrator);
    await fake.waitFor(() => perms('900000000000000010')?.has(ViewChannel) === true);
    expect(me.permissions.has(Administrator)).toBe(true);
  });
});
