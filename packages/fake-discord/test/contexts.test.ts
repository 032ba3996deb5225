import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, StartFakeDiscordOptions } from '../src/fake-discord.js';
import { slash } from '../src/slash.js';
import { useHarness } from './harness.js';

const GUILD = '930000000000000001';
const BOTH = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall];
const EVERYWHERE = [
  InteractionContextType.Guild,
  InteractionContextType.BotDM,
  InteractionContextType.PrivateChannel,
];

const command = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `the ${name} command`,
  options: [{ type: 1, name: 'next', description: 'the next one' }],
  ...extra,
});

describe('fake-discord: installation and interaction contexts', () => {
  const harness = useHarness();

  async function start(options: StartFakeDiscordOptions, commands: unknown[]) {
    const fake = await harness.start({ guilds: [{ id: GUILD }], ...options });
    const client = await harness.login(fake);
    const stored = await client.rest.put(Routes.applicationCommands(fake.applicationId), {
      body: commands,
    });
    return { fake, client, stored: stored as Record<string, unknown>[] };
  }

  it('stores contexts null and the app’s installation contexts when a command names none', async () => {
    const { stored } = await start({ installationContexts: BOTH }, [command('plain')]);
    expect(stored[0]).toMatchObject({ contexts: null, integration_types: BOTH });
  });

  it('lists the installation contexts the app supports on /applications/@me', async () => {
    const { client } = await start({}, []);
    const app = (await client.rest.get(Routes.currentApplication())) as {
      integration_types_config: Record<string, unknown>;
    };
    expect(Object.keys(app.integration_types_config)).toEqual(['0']);
  });

  it('refuses USER_INSTALL on an app whose User Install is off, and stores nothing', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);
    const error = await client.rest
      .put(Routes.applicationCommands(fake.applicationId), {
        body: [command('anywhere', { integration_types: BOTH, contexts: EVERYWHERE })],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(JSON.stringify((error as { rawError: unknown }).rawError)).toContain(
      'APPLICATION_COMMAND_INTEGRATION_TYPE_NOT_SUPPORTED',
    );
    expect(fake.commands.global).toEqual([]);
  });

  it('delivers a user-installable command in the bot’s DM as Discord builds it', async () => {
    const { fake, client } = await start({ installationContexts: BOTH }, [
      command('anywhere', { integration_types: BOTH, contexts: EVERYWHERE }),
    ]);
    const seen = new Promise<boolean>((resolve) => {
      client.once('interactionCreate', (i) => resolve(i.inGuild()));
    });
    const injected = await fake.injectInteraction(
      slash(
        { kind: 'bot-dm' },
        'anywhere next',
        {},
        { userId: '930000000000000099', locale: 'ru' },
      ),
    );
    expect(await seen).toBe(false);
    const payload = injected.payload as unknown as Record<string, unknown>;
    expect(payload).toMatchObject({
      context: InteractionContextType.BotDM,
      user: { id: '930000000000000099' },
      locale: 'ru',
      channel: { type: ChannelType.DM, recipients: [{ id: '930000000000000099' }] },
      authorizing_integration_owners: { 0: '0', 1: '930000000000000099' },
    });
    for (const absent of ['guild_id', 'member', 'guild', 'guild_locale'])
      expect(payload).not.toHaveProperty(absent);
    const permissions = BigInt(payload.app_permissions as string);
    expect(permissions & PermissionFlagsBits.EmbedLinks).toBeTruthy();
    expect(permissions & PermissionFlagsBits.UseExternalEmojis).toBeTruthy();
  });

  it('delivers in a group DM and in a server without the bot only through the member’s own install', async () => {
    const { fake } = await start({ installationContexts: BOTH }, [
      command('anywhere', { integration_types: BOTH, contexts: EVERYWHERE }),
    ]);
    const group = await fake.injectInteraction(
      slash({ kind: 'group-dm' }, 'anywhere next', {}, { userId: '930000000000000099' }),
    );
    expect(group.payload).toMatchObject({
      context: InteractionContextType.PrivateChannel,
      channel: { type: ChannelType.GroupDM },
      authorizing_integration_owners: { 1: '930000000000000099' },
    });
    expect(group.payload).not.toHaveProperty('guild_id');

    const elsewhere = await fake.injectInteraction(
      slash(
        { kind: 'guild-without-bot', guildId: '930000000000000500' },
        'anywhere next',
        {},
        { userId: '930000000000000099' },
      ),
    );
    expect(elsewhere.payload).toMatchObject({
      context: InteractionContextType.Guild,
      guild_id: '930000000000000500',
      member: { user: { id: '930000000000000099' } },
      authorizing_integration_owners: { 1: '930000000000000099' },
    });
    expect(elsewhere.payload.authorizing_integration_owners).not.toHaveProperty('0');
    await expect(
      fake.injectInteraction(slash({ kind: 'guild-without-bot', guildId: GUILD }, 'anywhere next')),
    ).rejects.toThrow(/the bot is a member/);
  });

  it('refuses what Discord would not deliver: a context or an install the command does not have', async () => {
    const { fake } = await start({ installationContexts: BOTH }, [
      command('server', { integration_types: [0], contexts: [0] }),
      command('legacy'),
      command('nodm', { dm_permission: false }),
      command('serverinstall', { integration_types: [0], contexts: EVERYWHERE }),
    ]);
    const refused = (where: Parameters<typeof slash>[0], name: string) =>
      expect(fake.injectInteraction(slash(where, `${name} next`))).rejects.toThrow(
        /Discord would not deliver/,
      );
    await refused({ kind: 'bot-dm' }, 'server');
    await refused({ kind: 'group-dm' }, 'server');
    await refused({ kind: 'guild-without-bot' }, 'server');
    // No contexts: servers and the bot's DM, never group DMs (discord-api-docs issue 6744).
    await refused({ kind: 'group-dm' }, 'legacy');
    await refused({ kind: 'bot-dm' }, 'nodm');
    // Only the server's install: nothing reaches a group DM or a server without the bot.
    await refused({ kind: 'group-dm' }, 'serverinstall');
    await refused({ kind: 'guild-without-bot' }, 'serverinstall');
    await refused({ kind: 'bot-dm' }, 'unregistered');

    await expect(fake.injectInteraction(slash(GUILD, 'server next'))).resolves.toBeDefined();
    await expect(
      fake.injectInteraction(slash({ kind: 'bot-dm' }, 'legacy next')),
    ).resolves.toBeDefined();
    await expect(
      fake.injectInteraction(slash({ kind: 'bot-dm' }, 'serverinstall next')),
    ).resolves.toMatchObject({ payload: { authorizing_integration_owners: { 0: '0' } } });
  });

  it('keeps guild commands in their guild', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }], installationContexts: BOTH });
    const client = await harness.login(fake);
    await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), {
      body: [command('dev', { integration_types: BOTH, contexts: EVERYWHERE })],
    });
    await expect(fake.injectInteraction(slash(GUILD, 'dev next'))).resolves.toBeDefined();
    await expect(fake.injectInteraction(slash({ kind: 'bot-dm' }, 'dev next'))).rejects.toThrow(
      /no global command/,
    );
  });

  it('knows no member could have installed an app without User Install', async () => {
    const fake: FakeDiscord = await harness.start({ guilds: [{ id: GUILD }] });
    await expect(
      fake.injectInteraction(
        slash({ kind: 'bot-dm' }, 'anything next', {}, { userInstalled: true }),
      ),
    ).rejects.toThrow(/without User Install/);
  });
});
