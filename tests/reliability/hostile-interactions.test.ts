import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeDiscord,
  type InjectedOption,
  type InjectInteractionOptions,
  startFakeDiscord,
} from '@remembrance-bot/fake-discord';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedSettings } from '../../harness/seed-settings.js';
import { createCommands } from '../../src/discord/commands/all-commands.js';
import { ADMIN } from '../support/bot-fixture.js';
import { type BotProcess, forkBotWithTestClock } from '../support/bot-process.js';
import { makeServers, toGuildSpecs } from '../support/many-servers.js';
import { getFixtureContent } from '../support/test-content.js';

/**
 * Several hundred malformed or hostile interactions, against the real bot process: missing
 * options, wrong types, oversized strings, unknown (sub)commands, mention strings in text
 * options, and broken envelopes. None may crash it or leave a promise rejection unhandled.
 */
const [server] = makeServers(1);
const GUILD = server?.guildId ?? '';
const CHANNEL = server?.channelId ?? '';
const TYPE_SAMPLES: Array<[T, unknown]> = [
  [T.String, 'khojaly'],
  [T.String, ''],
  [T.Integer, 42],
  [T.Integer, -1e30],
  [T.Number, Number.NaN],
  [T.Boolean, true],
  [T.Boolean, 'yes'],
  [T.Channel, '1'],
  [T.Channel, CHANNEL],
  [T.Role, 'not-a-snowflake'],
  [T.Role, GUILD],
  [T.User, '123456789012345678'],
  [T.String, null],
  [T.String, { nested: ['object'] }],
];
const HOSTILE_TEXT = [
  '@everyone',
  '@here',
  `<@&${GUILD}>`,
  '<@123456789012345678>',
  '<#123456789012345678>',
  '**bold** [link](https://example.com)',
  '\u0000\u202e',
  'x'.repeat(1_000),
  'ű'.repeat(10_000),
  'y'.repeat(100_000),
];

let fake: FakeDiscord;
let bot: BotProcess;
let dir: string;

beforeAll(async () => {
  fake = await startFakeDiscord({
    heartbeatIntervalMs: 1_000,
    guilds: toGuildSpecs(makeServers(1)),
  });
  dir = mkdtempSync(join(tmpdir(), 'hostile-'));
  seedSettings(join(dir, 'bot.db'), makeServers(1), new Date('2027-01-01T00:00:00Z'));
  bot = await forkBotWithTestClock(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE_URL: fake.apiBaseUrl,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'info',
    },
    '2027-01-10T00:00:00Z',
  );
});

afterAll(async () => {
  await bot?.stop('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function command(
  name: string,
  sub: string,
  options: InjectedOption[],
  admin = true,
): InjectInteractionOptions {
  return {
    guildId: GUILD,
    ...(admin ? { memberPermissions: ADMIN } : {}),
    data: { name, options: [{ name: sub, type: T.Subcommand, options }] },
  };
}

/** Interactions with a sound envelope and unsound options: each must still be answered. */
function optionCases(): InjectInteractionOptions[] {
  const cases: InjectInteractionOptions[] = [];
  for (const slash of createCommands(getFixtureContent())) {
    for (const sub of slash.subcommands) {
      cases.push(command(slash.name, sub.name, []));
      for (const spec of sub.options) {
        for (const [type, value] of TYPE_SAMPLES) {
          cases.push(
            command(slash.name, sub.name, [{ name: spec.name, type, value } as InjectedOption]),
          );
        }
        if (spec.type === T.String) {
          for (const text of HOSTILE_TEXT)
            cases.push(
              command(slash.name, sub.name, [{ name: spec.name, type: T.String, value: text }]),
            );
        }
      }
    }
    cases.push(command(slash.name, 'does-not-exist', []));
    cases.push(command(slash.name, 'x'.repeat(200), []));
    cases.push({
      guildId: GUILD,
      data: {
        name: slash.name,
        options: [
          {
            name: 'group',
            type: T.SubcommandGroup,
            options: [{ name: 'setup', type: T.Subcommand, options: [] }],
          },
        ],
      },
    });
    cases.push({ guildId: GUILD, data: { name: slash.name } });
  }
  cases.push({ guildId: GUILD, data: { name: 'no-such-command' } });
  cases.push({ guildId: GUILD, data: { name: '' } });
  return cases;
}

/** Broken envelopes, sent as raw gateway dispatches. */
function envelopeCases(template: Record<string, unknown>): Record<string, unknown>[] {
  const variants: Array<(p: Record<string, unknown>) => void> = [
    (p) => delete p.data,
    (p) => (p.data = 'not an object'),
    (p) => (p.data = { ...(p.data as object), options: 'not an array' }),
    (p) => (p.data = { ...(p.data as object), options: [null, 1, 'x'] }),
    (p) => (p.data = { ...(p.data as object), type: 99 }),
    (p) => (p.data = { ...(p.data as object), resolved: { channels: { 1: null }, roles: 'x' } }),
    (p) => delete p.member,
    (p) => (p.member = { ...(p.member as object), permissions: 'not-a-number' }),
    (p) => (p.member = { ...(p.member as object), user: null }),
    (p) => delete p.guild_id,
    (p) => (p.type = 99),
    (p) => (p.locale = 12),
    (p) => delete p.channel,
    (p) => delete p.token,
    (p) => (p.id = { not: 'a string' }),
    (p) => (p.app_permissions = '-1'),
  ];
  return variants.map((mutate, index) => {
    const payload = structuredClone(template);
    payload.id = String(700000000000000000n + BigInt(index));
    payload.token = `hostile-${index}`;
    mutate(payload);
    return payload;
  });
}

it('answers or safely ignores several hundred hostile interactions, and keeps working', async () => {
  const cases = optionCases();
  const injected = [];
  const callbacks = [];
  // In batches: Discord drops an answer later than 3 s, as the fake does, and a few hundred at
  // once on a loaded machine would make some late. Lateness is not what this test is about.
  for (let start = 0; start < cases.length; start += 20) {
    const batch = [];
    for (const options of cases.slice(start, start + 20))
      batch.push(await fake.injectInteraction(options));
    injected.push(...batch);
    // Every interaction with a sound envelope is acknowledged, whatever its options.
    callbacks.push(...(await Promise.all(batch.map((i) => i.callback))));
  }
  expect(callbacks).toHaveLength(cases.length);
  for (const callback of callbacks) {
    const body = callback.body as { type: number; data?: { allowed_mentions?: unknown } };
    // A reply (type 4) never lets a mention through; a deferral (type 5) carries no content.
    if (body.type === 4) expect(body.data?.allowed_mentions).toEqual({ parse: [] });
  }

  const template = structuredClone(injected[0]?.payload) as unknown as Record<string, unknown>;
  const envelopes = envelopeCases(template);
  for (const payload of envelopes) fake.dispatch('INTERACTION_CREATE', payload, 0);

  expect(cases.length + envelopes.length).toBeGreaterThanOrEqual(300);
  // Still alive, still answering.
  const after = await fake.injectInteraction({
    guildId: GUILD,
    data: { name: 'observance', options: [{ name: 'list', type: T.Subcommand }] },
  });
  expect(JSON.stringify((await after.waitForReply()).data)).toContain('National Mourning Day');
  expect(bot.child.exitCode).toBeNull();
  const logs = bot.logs.join('\n');
  // Broken envelopes fail the zod check that every interaction meets first, and are logged.
  expect(
    bot.logs.filter((line) => line.includes('ignored a malformed interaction')).length,
  ).toBeGreaterThanOrEqual(envelopes.length - 2);
  expect(logs).not.toMatch(/unhandled rejection|uncaught/i);
  expect(logs).not.toContain(fake.token);
  // No mention was ever let through in a reply.
  for (const request of fake.requests.filter(
    (r) => r.path.includes('/interactions/') || r.path.includes('/webhooks/'),
  )) {
    const mentions = request.body as
      | { data?: { allowed_mentions?: unknown }; allowed_mentions?: unknown }
      | undefined;
    const allowed = mentions?.data?.allowed_mentions ?? mentions?.allowed_mentions;
    if (allowed) expect(allowed).toEqual({ parse: [] });
  }
}, 120_000);
