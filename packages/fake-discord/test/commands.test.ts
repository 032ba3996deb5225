import { Routes, SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '930000000000000001';

describe('fake-discord: command registration', () => {
  const harness = useHarness();

  it('stores global and guild commands, keeps ids on re-registration, and uses them in interactions', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);
    const remember = new SlashCommandBuilder()
      .setName('remember')
      .setDescription('Post today’s remembrance')
      .toJSON();
    const admin = new SlashCommandBuilder().setName('setup').setDescription('Configure').toJSON();

    const global = (await client.rest.put(Routes.applicationCommands(fake.applicationId), {
      body: [remember],
    })) as { id: string; name: string }[];
    await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), {
      body: [admin],
    });
    const again = (await client.rest.put(Routes.applicationCommands(fake.applicationId), {
      body: [remember],
    })) as { id: string }[];

    expect(global.map((c) => c.name)).toEqual(['remember']);
    expect(again[0]?.id).toBe(global[0]?.id);
    expect(fake.commands.global).toEqual([expect.objectContaining({ name: 'remember' })]);
    expect(fake.commands.guild.get(GUILD)).toEqual([
      expect.objectContaining({ name: 'setup', guild_id: GUILD }),
    ]);
    const fetched = await client.application.commands.fetch();
    expect([...fetched.keys()]).toEqual([global[0]?.id]);

    const seen = new Promise<string>((resolve) => {
      client.once('interactionCreate', (i) => resolve(i.isChatInputCommand() ? i.commandId : ''));
    });
    await fake.injectInteraction({ guildId: GUILD, data: { name: 'remember' } });
    expect(await seen).toBe(global[0]?.id);
  });

  it('rejects invalid command names like Discord', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);

    const error = await client.rest
      .put(Routes.applicationCommands(fake.applicationId), {
        body: [{ name: 'Has Spaces', description: 'x' }],
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(fake.commands.global).toEqual([]);
  });
});
