import type { InteractionPlace } from '@remembrance-bot/fake-discord';
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCommands } from '../../src/discord/commands/all-commands.js';
import { buildCommandJson } from '../../src/discord/commands/build-command-json.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';
import { ADMIN, type BotFixture, slash, startBotWithFake } from '../support/bot-fixture.js';
import { getFixtureContent } from '../support/test-content.js';

// /observance used where the bot has no server of its own: the member's DM with the bot, a group
// DM, and a server that never added the bot (through the member's own install of it).
const G1 = '210000000000000001';
const TEXT = '210000000000000011';
const ELSEWHERE = '210000000000000900';
const EPHEMERAL = 64;
const DM: InteractionPlace = { kind: 'bot-dm' };
const GROUP_DM: InteractionPlace = { kind: 'group-dm' };
const WITHOUT_BOT: InteractionPlace = { kind: 'guild-without-bot', guildId: ELSEWHERE };

let f: BotFixture;

beforeAll(async () => {
  f = await startBotWithFake(
    {
      // The Developer Portal's Installation → Installation Contexts, with User Install on.
      installationContexts: [
        ApplicationIntegrationType.GuildInstall,
        ApplicationIntegrationType.UserInstall,
      ],
      guilds: [{ id: G1, name: 'Diaspora', channels: [{ id: TEXT, name: 'remembrance' }] }],
    },
    '2026-11-21T12:00:00Z',
  );
  // What `npm run register` sends: Discord delivers nothing outside a server unregistered.
  const content = getFixtureContent();
  const body = createCommands(content).map((command) => buildCommandJson(command, content));
  const response = await fetch(
    `${f.fake.apiBaseUrl}/v10${Routes.applicationCommands(f.fake.applicationId)}`,
    {
      method: 'PUT',
      headers: { Authorization: `Bot ${f.fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  expect(response.status, await response.clone().text()).toBe(200);
});

afterAll(async () => {
  await f?.close();
});

/** Injects the command and returns the reply the member sees, with its flags. */
async function run(...args: Parameters<typeof slash>) {
  const interaction = await f.fake.injectInteraction(slash(...args));
  const reply = await interaction.waitForReply();
  const callback = await interaction.callback;
  const data = reply.data as MessagePayload & { flags?: number };
  return {
    interaction,
    text: [data.content ?? '', ...(data.embeds ?? []).map((e) => JSON.stringify(e))].join('\n'),
    ephemeral: ((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & EPHEMERAL,
  };
}

describe("/observance in the member's DM with the bot", () => {
  it('/observance next answers in Russian for a Russian client', async () => {
    const { interaction, text } = await run(DM, 'observance next', {}, { locale: 'ru' });
    expect(interaction.payload.context).toBe(InteractionContextType.BotDM);
    expect(interaction.payload).not.toHaveProperty('guild_id');
    expect(text).toContain('Ближайший день памяти — **День всенародной скорби**');
    expect(text).toContain('Минута молчания: 12:00 по бакинскому времени');
    expect(text).toContain(`<t:${Date.parse('2027-01-20T08:00:00Z') / 1000}:t>`);
  });

  it('/observance about answers in Turkish for a Turkish client, visible in the DM', async () => {
    const { text, ephemeral } = await run(
      DM,
      'observance about',
      { observance: 'khojaly' },
      { locale: 'tr' },
    );
    expect(ephemeral).toBeFalsy();
    expect(text).toContain('Hocalı Soykırımı Günü');
    expect(text).toContain('Bir sonraki anma: 26');
    expect(text).not.toContain('Next observed on');
  });

  it('/observance list and sources answer too, in English for a client language the bot lacks', async () => {
    const list = await run(DM, 'observance list', {}, { locale: 'de' });
    expect(list.ephemeral).toBeTruthy();
    expect(list.text).toContain('National Mourning Day');
    expect(list.text).toContain('Day of Genocide of Azerbaijanis');
    const sources = await run(
      DM,
      'observance sources',
      { observance: 'khojaly' },
      { locale: 'de' },
    );
    expect(sources.text).toContain('Memorial Human Rights Center');
  });
});

describe('/observance in a group DM, through the member’s own install', () => {
  it('/observance next answers in the member’s language', async () => {
    const { interaction, text } = await run(GROUP_DM, 'observance next', {}, { locale: 'tr' });
    expect(interaction.payload.context).toBe(InteractionContextType.PrivateChannel);
    expect(text).toContain('Bir sonraki anma günü **Ulusal Yas Günü**');
    expect(text).toContain('Saygı duruşu');
  });

  it('/observance about is posted for the group to read', async () => {
    const { text, ephemeral } = await run(
      GROUP_DM,
      'observance about',
      { observance: 'january-20' },
      { locale: 'ru' },
    );
    expect(ephemeral).toBeFalsy();
    expect(text).toContain('День всенародной скорби');
  });
});

describe('/observance in a server that never added the bot', () => {
  it("answers in the member's language and never reads that server's settings", async () => {
    const find = vi.spyOn(f.bot.services.settings, 'find').mockImplementation(() => {
      throw new Error('must not read the settings of a server without the bot');
    });
    try {
      const next = await run(WITHOUT_BOT, 'observance next', {}, { locale: 'ru' });
      expect(next.interaction.payload).toMatchObject({ guild_id: ELSEWHERE });
      expect(next.text).toContain('День всенародной скорби');
      const about = await run(
        WITHOUT_BOT,
        'observance about',
        { observance: 'khojaly' },
        {
          locale: 'tr',
        },
      );
      expect(about.text).toContain('Hocalı Soykırımı Günü');
      expect(find).not.toHaveBeenCalled();
    } finally {
      find.mockRestore();
    }
  });
});

describe('/observance about where the member may not send messages', () => {
  it('answers privately in a server without the bot, as Discord allows a user install there', async () => {
    const { text, ephemeral } = await run(
      WITHOUT_BOT,
      'observance about',
      { observance: 'khojaly' },
      { memberPermissions: PermissionFlagsBits.ViewChannel },
    );
    expect(ephemeral).toBeTruthy();
    expect(text).toContain('Day of the Khojaly Genocide');
  });
});

describe('/commemoration outside a server that added the bot', () => {
  it('Discord does not even deliver it: it is registered for servers only', async () => {
    for (const place of [DM, GROUP_DM, WITHOUT_BOT]) {
      await expect(
        f.fake.injectInteraction(
          slash(place, 'commemoration status', {}, { memberPermissions: ADMIN }),
        ),
      ).rejects.toThrow(/Discord would not deliver \/commemoration/);
    }
  });

  it('from an old registration, gets a polite private refusal in the member’s language', async () => {
    // Before this version, /commemoration was registered without contexts, which Discord offers
    // in the bot's DM too.
    const stale = await fetch(
      `${f.fake.apiBaseUrl}/v10${Routes.applicationCommands(f.fake.applicationId)}`,
      {
        method: 'POST',
        headers: { Authorization: `Bot ${f.fake.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: 'commemoration',
          description: 'Set up the remembrance posts',
          default_member_permissions: '32',
          options: [
            {
              type: ApplicationCommandOptionType.Subcommand,
              name: 'status',
              description: 'Status',
            },
          ],
        }),
      },
    );
    expect(stale.status).toBe(200);
    const refusals = new Map<string, string>();
    for (const locale of ['en-US', 'ru', 'tr']) {
      const { text, ephemeral } = await run(DM, 'commemoration status', {}, { locale });
      expect(ephemeral).toBeTruthy();
      refusals.set(locale, text);
    }
    expect(refusals.get('en-US')).toContain(
      'This command works only in a server that has added the bot. Here you can use `/observance`.',
    );
    expect(refusals.get('ru')).toContain(
      'Эта команда работает только на сервере, куда добавлен бот',
    );
    expect(refusals.get('tr')).toContain('Bu komut yalnızca botu eklemiş bir sunucuda çalışır');
    expect(f.logs.join('\n')).not.toMatch(/"level":50/);
  });
});

describe('in a server that added the bot', () => {
  it('/observance still answers as before, and /commemoration still works', async () => {
    const next = await run(G1, 'observance next');
    expect(next.text).toContain('National Mourning Day');
    const status = await run(G1, 'commemoration status', {}, { memberPermissions: ADMIN });
    expect(status.text).toContain('Not set up');
  });
});
