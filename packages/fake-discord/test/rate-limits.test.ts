import { REST, RESTEvents, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '950000000000000001';
const channelIds = Array.from({ length: 200 }, (_, i) => String(950000000000001000n + BigInt(i)));
const FIRST_CHANNEL = '950000000000001000';

describe('fake-discord: rate limits', () => {
  const harness = useHarness();

  it('lets discord.js at 50 req/s post to 200 channels, waiting out any 429 from clock skew', async () => {
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: channelIds.map((id) => ({ id })) }],
      rateLimits: { global: 50, routes: true },
    });
    const client = await harness.login(fake, { rest: { globalRequestsPerSecond: 50 } });

    const started = performance.now();
    await Promise.all(
      channelIds.map((id) =>
        client.rest.post(Routes.channelMessages(id), { body: { content: id } }),
      ),
    );
    const elapsed = performance.now() - started;

    expect(fake.messages).toHaveLength(200);
    // The fake's windows follow discord.js's own, with a 50 ms skew tolerance: on an idle machine
    // no request gets a 429. On a loaded one the event loop that runs both can stall for longer,
    // so requests land in a full window; the count then depends on the load, not on the code, and
    // is not asserted. discord.js waits those 429s out, so every message still arrives.
    expect(fake.stats.rateLimited).toBe(fake.stats.rateLimitedGlobal);
    // Windows of 50 (the first shared with login's GET /gateway/bot): at least four must pass.
    expect(elapsed).toBeGreaterThan(3_000);
  }, 15_000);

  it('punishes a client that ignores the global limit, and discord.js recovers', async () => {
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: channelIds.slice(0, 80).map((id) => ({ id })) }],
      rateLimits: { global: 50 },
    });
    const rest = new REST({ api: fake.apiBaseUrl, globalRequestsPerSecond: 1_000 }).setToken(
      fake.token,
    );
    const limited: boolean[] = [];
    rest.on(RESTEvents.RateLimited, (info) => limited.push(info.global));

    await Promise.all(
      channelIds
        .slice(0, 80)
        .map((id) => rest.post(Routes.channelMessages(id), { body: { content: id } })),
    );

    expect(fake.messages).toHaveLength(80);
    expect(fake.stats.rateLimitedGlobal).toBeGreaterThan(0);
    expect(fake.stats.rateLimitedRoute).toBe(0);
    const globals = fake.requests.filter((r) => r.status === 429);
    expect(globals.length).toBe(fake.stats.rateLimitedGlobal);
  }, 15_000);

  it('makes discord.js wait on bucket headers, and retry after an unexpected route 429', async () => {
    const channelId = FIRST_CHANNEL;
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: [{ id: channelId }] }],
      rateLimits: {
        routes: { 'POST /channels/:channelId/messages': { limit: 2, windowMs: 500 } },
      },
    });
    const client = await harness.login(fake);
    const post = (content: string) =>
      client.rest.post(Routes.channelMessages(channelId), { body: { content } });

    // Sequential per channel and header-driven: discord.js never exceeds the bucket.
    const started = performance.now();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(post));
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(fake.stats.rateLimited).toBe(0);

    // Someone else (another process with the same token) drains a fresh bucket behind its back.
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const content of ['x', 'y']) {
      await fetch(`${fake.apiBaseUrl}/v10/channels/${channelId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content }),
      });
    }
    await post('after the 429');

    expect(fake.stats.rateLimitedRoute).toBe(1);
    const last = fake.requests.slice(-2);
    expect(last.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.messages.map((m) => (m.body as { content: string }).content).at(-1)).toBe(
      'after the 429',
    );
  }, 15_000);

  it('sends realistic bucket headers even when limits are off', async () => {
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: [{ id: FIRST_CHANNEL }] }],
    });

    const response = await fetch(`${fake.apiBaseUrl}/v10/channels/${FIRST_CHANNEL}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: 'x' }),
    });

    expect(response.status).toBe(200);
    for (const header of ['limit', 'remaining', 'reset', 'reset-after', 'bucket']) {
      expect(response.headers.get(`x-ratelimit-${header}`)).toMatch(/\S/);
    }
  });
});
