import { rmSync } from 'node:fs';
import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../src/content/load-content.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';
import { ADMIN, type BotFixture, slash, startBotWithFake } from '../support/bot-fixture.js';
import { copyDataWithLanguage } from '../support/copy-data-with-language.js';
import { FIXTURE_DATA_DIR } from '../support/test-content.js';

const G1 = '200000000000000001';
const TEXT = '200000000000000011';
const LOCKED = '200000000000000012';
const VOICE = '200000000000000013';
const NEWS = '200000000000000014';
const HIDDEN = '200000000000000015';
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
            {
              id: HIDDEN,
              name: 'hidden',
              permissionOverwrites: [
                { id: G1, type: 0, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
              ],
            },
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
  const before = f.fake.requests.length;
  const interaction = await f.fake.injectInteraction(slash(...args));
  const reply = await interaction.waitForReply();
  const callback = await interaction.callback;
  // Discord drops an interaction that is not acknowledged within 3 seconds, so the bot answers
  // (or defers) before it asks Discord anything else: its first request is the callback.
  expect(f.fake.requests[before]?.path).toContain(`/interactions/${interaction.payload.id}/`);
  const data = reply.data as MessagePayload & { flags?: number; allowed_mentions?: unknown };
  return {
    text: [data.content ?? '', ...(data.embeds ?? []).map((e) => JSON.stringify(e))].join('\n'),
    data,
    ephemeral: ((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & EPHEMERAL,
  };
}

describe('lookups for every member', () => {
  it('/observance list: the three days with their next dates and countdowns, privately', async () => {
    const { text, ephemeral } = await run(G1, 'observance list');
    expect(ephemeral).toBeTruthy();
    for (const name of [
      'National Mourning Day',
      'Day of the Khojaly Genocide',
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
  it('answers a member without Manage Server whom the server let use /commemoration', async () => {
    // Discord delivers /commemoration only to members its permissions allow: Manage Server by
    // default (default_member_permissions), or whoever the server chose under Integrations. The
    // bot trusts that choice and does not demand Manage Server again.
    const { text, ephemeral } = await run(
      G1,
      'commemoration settings',
      {},
      { memberPermissions: 0x400n | 0x800n },
    );
    expect(ephemeral).toBeTruthy();
    expect(text).toContain('Settings');
    expect(text).toContain('not set (no posts)');
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

  it('names View Channel for a channel the bot cannot see', async () => {
    const { text } = await run(
      G1,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: HIDDEN } },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain(`I can't post in <#${HIDDEN}>: I am missing View Channel.`);
    expect(await f.bot.services.settings.find(G1)).toBeUndefined();
  });

  it('says that Discord did not answer when reading the channel fails with a 5xx', async () => {
    f.fake.failChannel(TEXT, 'server-error');
    try {
      const { text } = await run(
        G1,
        'commemoration setup',
        { channel: { type: ApplicationCommandOptionType.Channel, value: TEXT } },
        { memberPermissions: ADMIN },
      );
      expect(text).toContain('Discord did not answer');
      expect(text).not.toContain('Pick a text, announcement or forum channel');
    } finally {
      f.fake.failChannel(TEXT, null);
    }
    expect(await f.bot.services.settings.find(G1)).toBeUndefined();
  });

  it('refuses a voice channel', async () => {
    const { text } = await run(
      G1,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: VOICE } },
      { memberPermissions: ADMIN },
    );
    expect(text).toContain('Pick a text, announcement or forum channel');
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
      `Quraşdırıldı. Paylaşımlar <#${TEXT}> kanalında dərc olunacaq. Vaxt: Bakı vaxtı ilə 18:30.`,
    );
    expect(text).toContain(`<@&${QUIET}>`);
    expect(text).toContain('Növbəti paylaşım: 20 yanvar 2027-ci il, Bakı vaxtı ilə 12:00');
    expect(text).toContain('qeyd etmək mümkün deyil');
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
    // German here is stand-in data: every reply is the English one marked "DE ".
    const { dir, data } = copyDataWithLanguage(
      {
        code: 'de',
        name: 'Deutsch',
        discordLocales: ['de'],
        translate: (english) => `DE ${english}`,
      },
      FIXTURE_DATA_DIR,
    );
    const G3 = '200000000000000003';
    const german = await startBotWithFake(
      { guilds: [{ id: G3, name: 'Third' }] },
      '2026-11-21T12:00:00Z',
      {
        content: loadContent(data),
      },
    );
    const status = async (locale: string) => {
      const interaction = await german.fake.injectInteraction(
        slash(G3, 'commemoration status', {}, { memberPermissions: ADMIN, locale }),
      );
      return JSON.stringify((await interaction.waitForReply()).data);
    };
    try {
      expect(await status('de')).toContain('DE Not set up');
      expect(await status('ru')).toContain('Бот не настроен');
      expect(await status('tr')).toContain('Kurulmadı');
      // French is not among the languages: English.
      const french = await status('fr');
      expect(french).toContain('Not set up');
      expect(french).not.toContain('DE ');
      // When even the server's settings cannot be read, the error is still in the member's language.
      const spy = vi.spyOn(german.bot.services.settings, 'find').mockImplementationOnce(() => {
        throw new Error('database is locked');
      });
      const failed = await status('de');
      spy.mockRestore();
      expect(failed).toContain('DE Something went wrong on the bot');
      // Once the server has chosen a language, it wins over the member's.
      await german.bot.services.settings.update(G3, { language: 'en' }, german.clock.now());
      expect(await status('de')).not.toContain('DE ');
    } finally {
      await german.close();
      rmSync(dir, { recursive: true, force: true });
    }
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

describe('a handler that returns without answering', () => {
  it('gets the member a generic private answer, and the log records it as a bug', async () => {
    // With no observance in the content, /observance next has nothing to say and returns.
    const { content } = f.bot.services;
    const observances = content.observances;
    Object.defineProperty(content, 'observances', { value: [], configurable: true });
    try {
      const { text, ephemeral } = await run(G1, 'observance next');
      expect(ephemeral).toBeTruthy();
      expect(text).toContain('The bot did not finish answering this command.');
    } finally {
      Object.defineProperty(content, 'observances', { value: observances, configurable: true });
    }
    const logged = f.logs.find((line) => line.includes('returned without answering'));
    expect(logged).toContain('"level":50');
    expect(logged).toContain('/observance next');
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

describe('what the bot sends', () => {
  it('puts no nonce on interaction replies and edits, where Discord does not support one', () => {
    // Runs last: every reply and edit of this file has been sent by now.
    const interactionBodies = f.fake.requests
      .filter((r) => r.path.startsWith('/interactions/') || r.path.startsWith('/webhooks/'))
      .map((r) => r.body as { data?: Record<string, unknown> } & Record<string, unknown>)
      .map((body) => body.data ?? body);
    expect(interactionBodies.length).toBeGreaterThan(20);
    // discord.js always adds enforce_nonce: false, which Discord ignores; only a nonce is a bug.
    expect(interactionBodies.filter((b) => 'nonce' in b || b.enforce_nonce === true)).toEqual([]);
  });
});
