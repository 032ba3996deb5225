import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FakeDiscord } from '../src/fake-discord.js';
import { useHarness } from './harness.js';

const GUILD = '940000000000000001';
const CHANNEL = '940000000000000010';
const ROLE = '940000000000000020';
const QUIET_ROLE = '940000000000000021';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { id?: string };
}

async function call(fake: FakeDiscord, method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.apiBaseUrl}/v10${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bot ${fake.token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : {},
  } as Answer;
}

const post = (fake: FakeDiscord, body: unknown) =>
  call(fake, 'POST', `/channels/${CHANNEL}/messages`, body);

const guild = (extra: Record<string, unknown> = {}) => ({
  id: GUILD,
  channels: [{ id: CHANNEL }],
  roles: [
    { id: ROLE, name: 'remembrance', mentionable: true },
    { id: QUIET_ROLE, name: 'quiet', mentionable: false },
  ],
  ...extra,
});

describe('fake-discord: behaviour as Discord behaves', () => {
  const harness = useHarness();

  it('remembers an enforced nonce for a window on the test clock, of configurable length', async () => {
    let clock = 1_000_000;
    const fake = await harness.start({
      guilds: [guild()],
      clock: () => clock,
      nonceWindowMs: 60_000,
    });
    const body = { content: 'x', nonce: 'post-1', enforce_nonce: true };

    const first = await post(fake, body);
    clock += 59_999;
    expect((await post(fake, body)).body.id).toBe(first.body.id);
    clock += 1;
    const afterWindow = await post(fake, body);
    expect(afterWindow.body.id).not.toBe(first.body.id);

    // Discord only promises "a few minutes": a window shorter than a bot assumes.
    fake.setNonceWindow(30_000);
    clock += 30_000;
    expect((await post(fake, body)).body.id).not.toBe(afterWindow.body.id);
    expect(fake.messages).toHaveLength(3);
  });

  it('answers 10008 for the nonce of a message that was deleted, by the bot or a moderator', async () => {
    const fake = await harness.start({ guilds: [guild()] });
    const one = { content: 'x', nonce: 'one', enforce_nonce: true };
    const two = { content: 'x', nonce: 'two', enforce_nonce: true };

    const created = await post(fake, one);
    expect(
      (await call(fake, 'DELETE', `/channels/${CHANNEL}/messages/${created.body.id}`)).status,
    ).toBe(204);
    expect(await post(fake, one)).toMatchObject({ status: 404, body: { code: 10008 } });

    const other = await post(fake, two);
    fake.deleteMessage(other.body.id ?? '');
    expect(await post(fake, two)).toMatchObject({ status: 404, body: { code: 10008 } });
    expect(fake.messages.filter((m) => m.deletedAt === null)).toHaveLength(0);
  });

  it('enforces Embed Links: drops the embed beside content, refuses an embed-only message', async () => {
    const fake = await harness.start({
      guilds: [
        guild({
          botPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
        }),
      ],
    });
    const embed = { title: 'Khojaly' };

    expect(await post(fake, { embeds: [embed] })).toMatchObject({
      status: 403,
      body: { code: 50013 },
    });
    const withContent = await post(fake, { content: 'x', embeds: [embed] });
    expect(withContent.status).toBe(200);
    expect(withContent.body.embeds).toEqual([]);
  });

  it('puts a role in mention_roles only if allowed_mentions lets it and it can be mentioned', async () => {
    const fake = await harness.start({ guilds: [guild()] });
    const mention = (roleId: string, allowed: unknown) =>
      post(fake, {
        content: `<@&${roleId}>`,
        ...(allowed === undefined ? {} : { allowed_mentions: allowed }),
      });

    expect((await mention(ROLE, { roles: [ROLE] })).body.mention_roles).toEqual([ROLE]);
    expect((await mention(ROLE, { parse: ['roles'] })).body.mention_roles).toEqual([ROLE]);
    expect((await mention(ROLE, undefined)).body.mention_roles).toEqual([ROLE]);
    expect((await mention(ROLE, { parse: [] })).body.mention_roles).toEqual([]);
    expect((await mention(QUIET_ROLE, { roles: [QUIET_ROLE] })).body.mention_roles).toEqual([]);

    fake.setBotPermissions(
      GUILD,
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.MentionEveryone,
    );
    expect((await mention(QUIET_ROLE, { roles: [QUIET_ROLE] })).body.mention_roles).toEqual([
      QUIET_ROLE,
    ]);
  });

  it('lists messages after an id only with Read Message History, newest first', async () => {
    const fake = await harness.start({ guilds: [guild()] });
    const ids: string[] = [];
    for (const content of ['a', 'b', 'c']) ids.push((await post(fake, { content })).body.id ?? '');
    const list = () => call(fake, 'GET', `/channels/${CHANNEL}/messages?after=${ids[0]}&limit=10`);

    // Without the permission Discord answers 200 with nothing, not an error.
    fake.setBotPermissions(
      GUILD,
      PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
    );
    expect(await list()).toMatchObject({ status: 200, body: [] });
    fake.setBotPermissions(
      GUILD,
      PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.SendMessages |
        PermissionFlagsBits.ReadMessageHistory,
    );
    const page = (await list()).body as unknown as { id: string }[];
    expect(page.map((m) => m.id)).toEqual([ids[2], ids[1]]);
  });

  it('counts session starts down, and allows max_concurrency IDENTIFYs per 5 s', async () => {
    let clock = 0;
    const fake = await harness.start({
      guilds: [guild()],
      sessionStartLimit: { total: 2 },
      clock: () => clock,
    });
    const limit = async () =>
      (
        (await call(fake, 'GET', '/gateway/bot')).body as {
          session_start_limit: Record<string, number>;
        }
      ).session_start_limit;
    expect(await limit()).toMatchObject({ total: 2, remaining: 2, max_concurrency: 1 });

    const identify = () =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
        socket.on('error', reject);
        socket.on('close', (code) => reject(new Error(`closed with ${code}`)));
        socket.on('message', (raw) => {
          const frame = JSON.parse(String(raw)) as { op: number; t?: string };
          if (frame.op === 10) {
            socket.send(
              JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }),
            );
          } else if (frame.op === 9 || frame.t === 'READY') {
            socket.terminate();
            resolve(frame.op);
          }
        });
      });

    expect(await identify()).toBe(0);
    // A second IDENTIFY on the same rate-limit key within 5 s: op 9 Invalid Session.
    expect(await identify()).toBe(9);
    expect(await limit()).toMatchObject({ remaining: 1 });
    expect(fake.gatewayLog.map((e) => e.kind)).toContain('identify-throttled');

    // The window runs on the test's clock: 5 s later the same key may identify again.
    clock += 5_000;
    expect(await identify()).toBe(0);
    expect(await limit()).toMatchObject({ remaining: 0 });
    // No session starts left: Discord resets the token, so the IDENTIFY fails (4004).
    clock += 5_000;
    await expect(identify()).rejects.toThrow('closed with 4004');
  });

  it('never sends a negative X-RateLimit-Remaining, and sends 429 bodies as Discord does', async () => {
    const fake = await harness.start({
      guilds: [guild()],
      rateLimits: {
        routes: { 'POST /channels/:channelId/messages': { limit: 3, windowMs: 60_000 } },
      },
    });
    for (let i = 0; i < 3; i += 1) await post(fake, { content: 'x' });
    fake.setRateLimits({
      routes: { 'POST /channels/:channelId/messages': { limit: 1, windowMs: 60_000 } },
    });
    const limited = await post(fake, { content: 'x' });

    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(Object.keys(limited.body).sort()).toEqual(['global', 'message', 'retry_after']);
    expect(limited.body).toMatchObject({ message: 'You are being rate limited.', global: false });
  });

  it('counts 401, 403 and non-shared 429 answers against 10,000 per 10 minutes', async () => {
    let clock = 0;
    const fake = await harness.start({
      guilds: [guild({ botPermissions: PermissionFlagsBits.ViewChannel })],
      clock: () => clock,
      rateLimits: { routes: { 'GET /users/@me': { limit: 1, windowMs: 60_000 } } },
    });
    await fetch(`${fake.apiBaseUrl}/v10/users/@me`); // 401
    await post(fake, { content: 'x' }); // 403
    await call(fake, 'GET', '/users/@me');
    await call(fake, 'GET', '/users/@me'); // 429 scope user
    fake.setFaults({ rateLimitRate: 1, routes: /^\/gateway/ });
    await call(fake, 'GET', '/gateway'); // 429 scope shared: not counted
    expect(fake.invalidRequestsInWindow()).toBe(3);
    expect(fake.stats.invalidRequests).toBe(3);

    clock += 10 * 60_000;
    expect(fake.invalidRequestsInWindow()).toBe(0);
  });

  it('lists the fields an interaction reply carries that Discord ignores', async () => {
    const fake = await harness.start({ guilds: [guild()] });
    await harness.login(fake);
    const interaction = await fake.injectInteraction({ guildId: GUILD, data: { name: 'test' } });
    const answer = await fetch(
      `${fake.apiBaseUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'x', nonce: '1', enforce_nonce: true } }),
      },
    );
    expect(answer.status).toBe(204);
    expect(fake.ignoredFields).toEqual([
      {
        route: 'POST /interactions/:interactionId/:token/callback',
        fields: ['nonce', 'enforce_nonce'],
      },
    ]);
  });
});
