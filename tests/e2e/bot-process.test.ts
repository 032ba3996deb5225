import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, slash } from '../support/bot-fixture.js';
import {
  type BotProcess,
  findFreePort,
  forkBotWithTestClock,
  runBuiltScript,
  spawnNode,
} from '../support/bot-process.js';

const GUILD = '300000000000000001';
const CHANNEL = '300000000000000011';

let fake: FakeDiscord;
let dir: string;
let bots: BotProcess[] = [];

beforeEach(async () => {
  fake = await startFakeDiscord({
    // IDENTIFY pacing has its own tests in the fake's package; here each restart would wait 5 s
    // per shard for it, as a bot with max_concurrency 1 does, and test nothing more.
    sessionStartLimit: { maxConcurrency: 16 },
    heartbeatIntervalMs: 1_000,
    guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'remembrance' }] }],
    // User Install turned on in the Developer Portal, as the README asks.
    installationContexts: [
      ApplicationIntegrationType.GuildInstall,
      ApplicationIntegrationType.UserInstall,
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'bot-process-'));
});

afterEach(async () => {
  await Promise.all(bots.map((bot) => bot.stop('SIGKILL')));
  bots = [];
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An admin runs `/commemoration setup channel:#remembrance`. */
function setUpByCommand() {
  return fake.injectInteraction(
    slash(
      GUILD,
      'commemoration setup',
      { channel: { type: ApplicationCommandOptionType.Channel, value: CHANNEL } },
      { memberPermissions: ADMIN },
    ),
  );
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE_URL: fake.apiBaseUrl,
    DATABASE_PATH: join(dir, 'var', 'bot.db'),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

describe('the register script (npm run register: a build, then this)', () => {
  it('registers both commands globally, from the list the router uses', async () => {
    const { stdout } = await runBuiltScript(
      'register-commands.js',
      env({ DISCORD_GUILD_ID: '' }),
      dir,
    );
    expect(stdout).toBe(
      'Registered /observance and /commemoration globally. Discord may take a few minutes to show them everywhere.\n',
    );
    expect(fake.commands.global.map((c) => (c as { name: string }).name)).toEqual([
      'observance',
      'commemoration',
    ]);
    expect(fake.commands.global).toEqual([
      expect.objectContaining({
        integration_types: [
          ApplicationIntegrationType.GuildInstall,
          ApplicationIntegrationType.UserInstall,
        ],
        contexts: [
          InteractionContextType.Guild,
          InteractionContextType.BotDM,
          InteractionContextType.PrivateChannel,
        ],
      }),
      expect.objectContaining({
        integration_types: [ApplicationIntegrationType.GuildInstall],
        contexts: [InteractionContextType.Guild],
      }),
    ]);
  });

  it('without User Install, registers /observance for servers and the bot’s DM, and says how to turn it on', async () => {
    const serverOnly = await startFakeDiscord({ guilds: [{ id: GUILD }] });
    try {
      const { stdout } = await runBuiltScript(
        'register-commands.js',
        { ...env({ DISCORD_GUILD_ID: '' }), DISCORD_API_BASE_URL: serverOnly.apiBaseUrl },
        dir,
      );
      expect(stdout).toContain('Registered /observance and /commemoration globally.');
      expect(stdout).toContain(
        'turn on Installation → Installation Contexts → User Install in the Discord Developer Portal, then run npm run register again.',
      );
      expect(serverOnly.commands.global[0]).toMatchObject({
        name: 'observance',
        integration_types: [ApplicationIntegrationType.GuildInstall],
        contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      });
    } finally {
      await serverOnly.close();
    }
  });

  it('registers to one server with DISCORD_GUILD_ID', async () => {
    const { stdout } = await runBuiltScript(
      'register-commands.js',
      env({ DISCORD_GUILD_ID: GUILD }),
      dir,
    );
    expect(stdout).toContain(`in server ${GUILD}`);
    expect(fake.commands.guild.get(GUILD)).toHaveLength(2);
  });
});

describe('the built bot as production runs it (npm start: a build, then this)', () => {
  it('starts, reports ready, answers commands, is set up by slash command, and stops cleanly on Ctrl-C', async () => {
    const port = await findFreePort();
    const bot = spawnNode(env({ HEALTH_PORT: String(port) }), dir);
    bots.push(bot);
    await bot.waitForLog(/"msg":"gateway ready"/, 60_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const list = await fake.injectInteraction(slash(GUILD, 'observance list'));
    expect(JSON.stringify((await list.waitForReply()).data)).toContain('National Mourning Day');

    const setup = await setUpByCommand();
    expect(JSON.stringify((await setup.waitForReply()).data)).toContain(
      `Posts will go to <#${CHANNEL}> at 09:00 Baku time`,
    );

    // A member who added the bot to their account asks in its DM, from a Russian client.
    await runBuiltScript('register-commands.js', env({ DISCORD_GUILD_ID: '' }), dir);
    const inDm = await fake.injectInteraction(
      slash({ kind: 'bot-dm' }, 'observance next', {}, { locale: 'ru' }),
    );
    expect(JSON.stringify((await inDm.waitForReply()).data)).toContain('Ближайший день памяти');

    await bot.interrupt();
    expect(bot.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    for (const line of bot.logs) expect(() => JSON.parse(line)).not.toThrow();
    expect(bot.logs.join('\n')).not.toContain(fake.token);
  }, 90_000);
});

describe('the production build with plain node (as in the Dockerfile and the systemd unit)', () => {
  it('starts, serves /healthz and /readyz, and exits 0 on SIGTERM after closing cleanly', async () => {
    const port = await findFreePort();
    const bot = spawnNode(env({ HEALTH_PORT: String(port) }), dir);
    bots.push(bot);
    await bot.waitForLog(/"msg":"gateway ready"/);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({
      status: 'ready',
      dispatcher: true,
    });
    const exit = await bot.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(bot.logs.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  }, 60_000);
});

describe('a bad start says what to do in one line', () => {
  it.each([
    [{ DISCORD_TOKEN: '' }, /^DISCORD_TOKEN is empty\. Copy \.env\.example to \.env/],
    [{ DISCORD_API_BASE_URL: 'not a url' }, /^DISCORD_API_BASE_URL must be an http\(s\) URL/],
    [{ HEALTH_PORT: 'http' }, /^HEALTH_PORT /],
  ])('%j', async (extra, message) => {
    const bot = spawnNode(env(extra), dir);
    bots.push(bot);
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.stderr).toMatch(message);
    expect(bot.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a token Discord rejects', async () => {
    const bot = spawnNode(env({ DISCORD_TOKEN: 'MTIz.wrong.token-that-discord-rejects' }), dir);
    bots.push(bot);
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.stderr.trim()).toBe(
      'Discord rejected DISCORD_TOKEN. Reset the token (developer portal → your application → Bot) and put the new one in .env.',
    );
    expect(bot.stderr + bot.logs.join('')).not.toContain('MTIz.wrong.token-that-discord-rejects');
  });
});

describe('the built bot as its own process', () => {
  it('posts at the scheduled Baku time', async () => {
    const bot = await forkBotWithTestClock(env(), '2027-02-26T04:00:00Z');
    bots.push(bot);
    const setup = await setUpByCommand();
    await setup.waitForReply();
    await bot.tick('2027-02-26T04:59:00Z');
    expect(fake.messages.filter((m) => m.channelId === CHANNEL)).toHaveLength(0);
    await bot.tick('2027-02-26T05:00:00Z');
    const [post] = fake.messages.filter((m) => m.channelId === CHANNEL);
    expect(JSON.stringify(post?.body)).toContain('Day of the Khojaly Genocide');
    expect(JSON.stringify(post?.body)).toContain('35th anniversary');
    expect((await bot.stop('SIGTERM')).code).toBe(0);
  }, 60_000);
});
