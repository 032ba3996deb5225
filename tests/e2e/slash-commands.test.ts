import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessagePayload } from '../../src/domain/message-payload.js';
import { ADMIN, type BotFixture, slash, startBotWithFake } from '../support/bot-fixture.js';

const G1 = '200000000000000001';
const TEXT = '200000000000000011';
const LOCKED = '200000000000000012';
const VOICE = '200000000000000013';
const NEWS = '200000000000000014';
const PINGABLE = '200000000000000021';
const QUIET = '200000000000000022';
const EPHEMERAL = 64;

let f: BotFixture;

beforeAll(async () => {
  f = await startBotWithFake(
    {
      guilds: [
        {
          id: G1,
          name: 'Diaspora',
          channels: [
            { id: TEXT, name: 'remembrance' },
            {
              id: LOCKED,
              name: 'locked',
              permissionOverwrites: [
                { id: G1, type: 0, allow: 0n, deny: PermissionFlagsBits.SendMessages },
              ],
            },
            { id: VOICE, name: 'voice', type: ChannelType.GuildVoice },
            { id: NEWS, name: 'news', type: ChannelType.GuildAnnouncement },
          ],
          roles: [
            { id: PINGABLE, name: 'remembrance', mentionable: true },
            { id: QUIET, name: 'quiet' },
          ],
        },
      ],
    },
    '2026-11-21T12:00:00Z',
  );
});

afterAll(async () => {
  await f?.close();
});

/** Injects the command and returns the reply a member would see, with its flags. */
async function run(...args: Parameters<typeof slash>) {
  const interaction = await f.fake.injectInteraction(slash(...args));
  const reply = await interaction.waitForReply();
  const callback = await interaction.callback;
  // Discord drops an interaction that is not acknowledged within 3 seconds.
  expect(callback.receivedAt - interaction.dispatchedAt).toBeLessThan(3000);
  const data = reply.data as MessagePayload & { flags?: number; allowed_mentions?: unknown };
  return {
    text: [data.content ?? '', ...(data.embeds ?? []).map((e) => JSON.stringify(e))].join('\n'),
    data,
    ephemeral: ((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & EPHEMERAL,
    ackMs: callback.receivedAt - interaction.dispatchedAt,
  };
}

describe('lookups for every member', () => {
  it('/observance list: the three days with their next dates and countdowns, privately', async () => {
    const { text, ephemeral, ackMs } = await run(G1, 'observance list');
    expect(ephemeral).toBeTruthy();
    expect(ackMs).toBeLessThan(3000);
    for (const name of [
      'National Mourning Day',
      'Khojaly Genocide Remembrance Day',
      'Day of Genocide of Azerbaijanis',
    ]) {
      expect(text).toContain(name);
    }
    // 20 January 2027 at noon in Baku, and the countdown to its start.
    expect(text).toContain(`<t:${Date.parse('2027-01-20T08:00:00Z') / 1000}:D>`);
    expect(text).toContain(`<t:${Date.parse('2027-01-19T20:00:00Z') / 1000}:R>`);
  });

  it('/observance about: the summary, facts and sources, in public', async () => {
    const { text, ephemeral, data } = await run(G1, 'observance about', { observance: 'khojaly' });
    expect(ephemeral).toBeFalsy();
    expect(text).toContain('Next observed on 26 February 2027: the 35th anniversary');
    expect(text).not.toContain('Today,');
    expect(text).toContain('613 civilians');
    expect(text).toContain('Memorial Human Rights Center');
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/observance next: the next day, its countdown and its minute of silence', async () => {
    const { text } = await run(G1, 'observance next');
    expect(text).toContain('National Mourning Day');
    expect(text).toContain('One minute of silence: 12:00 Baku time');
    expect(text).toContain(`<t:${Date.parse('2027-01-20T08:00:00Z') / 1000}:t>`);
  });

  it('/observance sources: each source with its link and what it is', async () => {
    const { text } = await run(G1, 'observance sources', { observance: 'khojaly' });
    expect(text).toContain('Memorial Human Rights Center');
    expect(text).toContain('human-rights report');
    expect(text).toContain(
      'An independent report by the Russian human-rights organisation Memorial',
    );
  });
});

describe('admin setup', () => {
  it('refuses a member without Manage Server', async () => {
    const { text, ephemeral } = await run(G1, 'commemoration setup', {
      channel: { type: ApplicationCommandOptionType.Channel, value: TEXT },
    });
    expect(ephemeral).toBeTruthy();
    expect(text).toContain('You need the Manage Server permission');
    expect(await f.bot.services.settings.find(G1)).toBeUndefined();
  });

  it('refuses a channel where the bot cannot post, naming what is missing', async () => {
    const { text } = await run(
      G1,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: LOCKED } },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain(`I can't post in <#${LOCKED}>: I am missing Send Messages.`);
    expect(await f.bot.services.settings.find(G1)).toBeUndefined();
  });

  it('refuses a voice channel', async () => {
    const { text } = await run(
      G1,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: VOICE } },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain('Pick a text or announcement channel');
  });

  it('refuses a malformed time, and a mention typed into it pings nobody', async () => {
    const { text, data } = await run(
      G1,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: TEXT }, time: '@here' },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain('That is not a time');
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('sets up with a channel, time, language and role, and confirms the next post in that language', async () => {
    const { text } = await run(
      G1,
      'commemoration setup',
      {
        channel: { type: ApplicationCommandOptionType.Channel, value: TEXT },
        time: '18:30',
        language: 'az',
        role: { type: ApplicationCommandOptionType.Role, value: QUIET },
      },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain(
      `Quraşdırıldı. Paylaşımlar <#${TEXT}> kanalına Bakı vaxtı ilə 18:30 göndəriləcək`,
    );
    expect(text).toContain(`<@&${QUIET}>`);
    expect(text).toContain('Növbəti paylaşım: 20 yanvar 2027, Bakı vaxtı ilə 12:00');
    expect(text).toContain('qeyd edilə bilən deyil');
    expect(await f.bot.services.settings.find(G1)).toMatchObject({
      channelId: TEXT,
      postTime: { hour: 18, minute: 30 },
      language: 'az',
      roleId: QUIET,
    });
  });

  it("shows the settings, in the server's language", async () => {
    const { text } = await run(G1, 'commemoration settings', {}, { memberPermissions: ADMIN });
    expect(text).toContain('Ayarlar');
    expect(text).toContain(`<#${TEXT}>`);
    expect(text).toContain('Bakı vaxtı ilə 18:30');
  });

  it('switches options and observances', async () => {
    const options = await run(
      G1,
      'commemoration options',
      {
        eve: true,
        silent: true,
        language: 'en',
        role: { type: ApplicationCommandOptionType.Role, value: PINGABLE },
      },
      { memberPermissions: ADMIN },
    );
    expect(options.text).toContain('Settings updated.');
    const disabled = await run(
      G1,
      'commemoration disable',
      { observance: 'march-31' },
      { memberPermissions: ADMIN },
    );
    expect(disabled.text).toContain('Day of Genocide of Azerbaijanis is off');
    await run(G1, 'commemoration enable', { observance: 'march-31' }, { memberPermissions: ADMIN });
    expect(await f.bot.services.settings.find(G1)).toMatchObject({
      eveReminder: true,
      silent: true,
      language: 'en',
      roleId: PINGABLE,
      disabledObservances: [],
    });
    const nothing = await run(G1, 'commemoration options', {}, { memberPermissions: ADMIN });
    expect(nothing.text).toContain('Give at least one option to change');
  });

  it('previews the exact post privately, with the role it will mention', async () => {
    const { text, ephemeral, data } = await run(
      G1,
      'commemoration preview',
      { observance: 'january-20', kind: 'moment' },
      { memberPermissions: ADMIN },
    );
    expect(ephemeral).toBeTruthy();
    expect(text).toContain('One minute of silence');
    expect(data.content).toContain(`<@&${PINGABLE}>`);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const refused = await run(
      G1,
      'commemoration preview',
      { observance: 'khojaly', kind: 'moment' },
      { memberPermissions: ADMIN },
    );
    expect(refused.text).toContain('has no moment post');
  });

  it('posts a labelled test message and reports it', async () => {
    const interaction = await f.fake.injectInteraction(
      slash(G1, 'commemoration test', {}, { memberPermissions: ADMIN }),
    );
    expect((await interaction.callback).type).toBe(5);
    const reply = await interaction.waitForReply();
    expect(JSON.stringify(reply.data)).toContain(`Test message posted in <#${TEXT}>`);
    const message = f.fake.messages.find((m) => m.channelId === TEXT);
    expect(JSON.stringify(message?.body)).toContain('Test message');
    expect((message?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual(
      {
        parse: [],
      },
    );
  });

  it('shows the status: next posts, and nothing to worry about yet', async () => {
    const { text } = await run(G1, 'commemoration status', {}, { memberPermissions: ADMIN });
    expect(text).toContain(`Posting to <#${TEXT}> at 18:30 Baku time.`);
    expect(text).toContain('National Mourning Day, eve post');
    expect(text).toContain('Nothing needs attention.');
  });
});

describe('the scheduled post', () => {
  it('goes out at its Baku time, once, pinging only the configured role', async () => {
    const before = f.fake.messages.length;
    await f.bot.tick(f.clock.set('2027-01-19T14:29:00Z'));
    expect(f.fake.messages.length).toBe(before);
    await f.bot.tick(f.clock.set('2027-01-19T14:30:00Z'));
    await f.bot.tick(f.clock.set('2027-01-19T14:31:00Z'));
    const posts = f.fake.messages.slice(before);
    expect(posts).toHaveLength(1);
    const body = posts[0]?.body as MessagePayload & { nonce: string; enforce_nonce: boolean };
    expect(posts[0]?.channelId).toBe(TEXT);
    expect(body.embeds[0]?.title).toBe('Tomorrow: National Mourning Day');
    expect(body.content).toBe(`<@&${PINGABLE}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [PINGABLE] });
    expect(body.flags).toBe(4096);
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce).toMatch(/^[0-9a-f]{25}$/);
  });
});

describe('bad input never crashes the bot', () => {
  it.each([
    [
      'a missing required option',
      slash(G1, 'observance about'),
      'The option `observance` is missing',
    ],
    [
      'a value of the wrong type',
      slash(G1, 'observance about', {
        observance: { type: ApplicationCommandOptionType.Integer, value: 3 },
      }),
      'There is no observance with that id',
    ],
    [
      'an unknown observance',
      slash(G1, 'observance about', { observance: 'new-year' }),
      'There is no observance with that id',
    ],
    [
      'an oversized string',
      slash(
        G1,
        'commemoration setup',
        {
          channel: { type: ApplicationCommandOptionType.Channel, value: TEXT },
          time: 'x'.repeat(5000),
        },
        { memberPermissions: ADMIN },
      ),
      'That is not a time',
    ],
    [
      'an unknown subcommand',
      slash(G1, 'observance everything'),
      'The bot does not know this command',
    ],
    ['an unknown command', slash(G1, 'weather today'), 'The bot does not know this command'],
    [
      'a mention typed into a text option',
      slash(G1, 'observance sources', { observance: '@everyone' }),
      'There is no observance with that id',
    ],
  ])('%s gets a clear private answer', async (_name, options, expected) => {
    const interaction = await f.fake.injectInteraction(options);
    const reply = await interaction.waitForReply();
    const callback = await interaction.callback;
    expect(JSON.stringify(reply.data)).toContain(expected);
    expect(
      ((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & EPHEMERAL,
    ).toBeTruthy();
    expect((reply.data as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('logged no unexpected error and never the token', () => {
    expect(f.logs.join('')).not.toContain(f.fake.token);
    expect(f.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});

describe('reply language', () => {
  it("follows the member's Discord language where the server has not chosen, else English", async () => {
    const G2 = f.fake.addGuild({ name: 'Second' }).id;
    await f.fake.waitFor(() => f.bot.client.guilds.cache.has(G2));
    const russian = await run(
      G2,
      'commemoration status',
      {},
      { memberPermissions: ADMIN, locale: 'ru' },
    );
    expect(russian.text).toContain('Not set up');
  });
});

describe('an unexpected error', () => {
  it('gives the member a short private message with an error id, and the log the detail', async () => {
    const spy = vi.spyOn(f.bot.services.deliveries, 'listForGuild').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    const { text, ephemeral } = await run(
      G1,
      'commemoration status',
      {},
      { memberPermissions: ADMIN },
    );
    spy.mockRestore();
    const errorId = /Error id: `([0-9a-f]{8})`/.exec(text)?.[1];
    expect(errorId).toBeDefined();
    expect(ephemeral).toBeTruthy();
    expect(text).not.toContain('disk I/O error');
    const logged = f.logs.find((line) => line.includes(`"errorId":"${errorId}"`));
    expect(logged).toContain('disk I/O error');
    expect(logged).toContain('/commemoration status');
  });
});

describe('removal from a server', () => {
  it('stops posting there', async () => {
    expect((await f.bot.services.settings.find(G1))?.channelId).toBe(TEXT);
    f.fake.dispatch('GUILD_DELETE', { id: G1 });
    await f.fake.waitFor(() => f.logs.some((line) => line.includes('removed from a server')));
    expect((await f.bot.services.settings.find(G1))?.channelId).toBeUndefined();
    expect(await f.bot.services.settings.listConfigured()).toEqual([]);
  });
});
