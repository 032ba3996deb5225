import {
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  type Client,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '920000000000000001';
const CHANNEL = '920000000000000010';
const OTHER_CHANNEL = '920000000000000011';
const ROLE = '920000000000000020';

const guildSpec = {
  id: GUILD,
  preferredLocale: 'az',
  roles: [{ id: ROLE, name: 'mourners' }],
  channels: [
    { id: CHANNEL, name: 'general' },
    { id: OTHER_CHANNEL, name: 'remembrance' },
  ],
};

function onCommand(
  client: Client,
  handler: (interaction: ChatInputCommandInteraction) => Promise<unknown>,
): Promise<ChatInputCommandInteraction> {
  return new Promise((resolve, reject) => {
    client.once('interactionCreate', (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) {
        reject(new Error(`unexpected interaction type ${interaction.type}`));
        return;
      }
      handler(interaction).then(() => resolve(interaction), reject);
    });
  });
}

describe('fake-discord: interactions', () => {
  const harness = useHarness();

  it('delivers a realistic command and records an ephemeral reply with its latency', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);
    const handled = onCommand(client, (i) =>
      i.reply({ content: 'hi', flags: MessageFlags.Ephemeral }),
    );

    const injected = await fake.injectInteraction({
      guildId: GUILD,
      locale: 'az',
      data: {
        name: 'configure',
        options: [
          { name: 'channel', type: ApplicationCommandOptionType.Channel, value: OTHER_CHANNEL },
          { name: 'role', type: ApplicationCommandOptionType.Role, value: ROLE },
        ],
      },
    });
    const interaction = await handled;

    expect(interaction.commandName).toBe('configure');
    expect(interaction.guildId).toBe(GUILD);
    expect(interaction.channelId).toBe(CHANNEL);
    expect(interaction.locale).toBe('az');
    expect(interaction.guildLocale).toBe('az');
    expect(interaction.options.getChannel('channel')?.id).toBe(OTHER_CHANNEL);
    expect(interaction.options.getRole('role')?.name).toBe('mourners');
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(false);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    const callback = await injected.callback;
    expect(callback.type).toBe(4);
    expect(callback.body).toMatchObject({ data: { content: 'hi', flags: MessageFlags.Ephemeral } });
    const latency = callback.receivedAt - injected.dispatchedAt;
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(1_000);
    expect(await injected.waitForReply()).toMatchObject({
      via: 'callback',
      data: { content: 'hi' },
    });
    expect(fake.messages).toHaveLength(0);
  });

  it('records deferReply + editReply + followUp, and refuses a second acknowledgement', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);
    let secondAck: unknown;
    const handled = onCommand(client, async (i) => {
      await i.deferReply();
      const edited = await i.editReply('done');
      expect(edited.content).toBe('done');
      await i.followUp({ content: 'more', flags: MessageFlags.Ephemeral });
      const fetched = await i.fetchReply();
      expect(fetched.content).toBe('done');
      // discord.js itself refuses a second reply, so go around it to reach the fake.
      secondAck = await client.rest
        .post(Routes.interactionCallback(i.id, i.token), {
          body: { type: 4, data: { content: 'x' } },
          auth: false,
        })
        .catch((error: unknown) => error);
    });

    const injected = await fake.injectInteraction({ guildId: GUILD, data: { name: 'status' } });
    await handled;

    expect((await injected.callback).type).toBe(5);
    expect(await injected.waitForReply()).toMatchObject({ via: 'edit', data: { content: 'done' } });
    expect(injected.edits.map((e) => e.messageId)).toEqual(['@original']);
    expect(injected.followups.map((f) => f.body)).toEqual([
      expect.objectContaining({ content: 'more', flags: MessageFlags.Ephemeral }),
    ]);
    expect(secondAck).toBeInstanceOf(DiscordAPIError);
    expect(secondAck).toMatchObject({ code: 40060 });
  });

  it('returns the callback resource when discord.js asks withResponse', async () => {
    const fake = await harness.start({ guilds: [guildSpec] });
    const client = await harness.login(fake);
    let messageId: string | undefined;
    const handled = onCommand(client, async (i) => {
      const response = await i.reply({ content: 'with response', withResponse: true });
      messageId = response.resource?.message?.id;
    });

    await fake.injectInteraction({ guildId: GUILD, data: { name: 'status' } });
    await handled;

    expect(messageId).toMatch(/^\d{17,19}$/);
  });

  it('expires interactions whose callback comes after the deadline', async () => {
    const fake = await harness.start({ guilds: [guildSpec], interactionCallbackDeadlineMs: 50 });
    const client = await harness.login(fake);
    let failure: unknown;
    const handled = onCommand(client, async (i) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      failure = await i.reply('too late').catch((error: unknown) => error);
    });

    await fake.injectInteraction({ guildId: GUILD, data: { name: 'slow' } });
    await handled;

    expect(failure).toMatchObject({ code: 10062 });
  });
});
