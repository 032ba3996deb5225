import { type Client, DiscordAPIError, HTTPError, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../src/fake-discord.js';
import { useHarness } from './harness.js';

const GUILD = '960000000000000001';
const CHANNEL = '960000000000000010';
const OTHER = '960000000000000011';
const guilds = [{ id: GUILD, channels: [{ id: CHANNEL }, { id: OTHER }] }];

type Outcome = 'ok' | 'gave-up';

/** Sequential posts, so the seeded fault sequence is consumed in a fixed order. */
async function postEach(client: Client, bodies: readonly object[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const body of bodies) {
    try {
      await client.rest.post(Routes.channelMessages(CHANNEL), { body });
      outcomes.push('ok');
    } catch (error) {
      if (!(error instanceof HTTPError)) throw error;
      outcomes.push('gave-up');
    }
  }
  return outcomes;
}

const statuses = (fake: FakeDiscord) =>
  fake.requests
    .filter((r) => r.route === 'POST /channels/:channelId/messages')
    .map((r) => r.status);

describe('fake-discord: fault injection', () => {
  const harness = useHarness();

  it('serves seeded 5xx that discord.js retries, reproducibly', async () => {
    const runOnce = async () => {
      const fake = await harness.start({ guilds });
      const client = await harness.login(fake);
      fake.setFaults({ serverErrorRate: 0.5, seed: 42 });
      const bodies = Array.from({ length: 12 }, (_, i) => ({ content: `post ${i}` }));
      const outcomes = await postEach(client, bodies);
      return { fake, outcomes, statuses: statuses(fake) };
    };

    const first = await runOnce();
    const second = await runOnce();

    expect(second.statuses).toEqual(first.statuses);
    expect(first.fake.stats.serverErrors).toBeGreaterThan(0);
    expect(first.statuses.every((s) => [200, 500, 502, 503].includes(s))).toBe(true);
    // discord.js retries a 5xx three times (four attempts) before it gives up with HTTPError.
    const okCount = first.outcomes.filter((o) => o === 'ok').length;
    expect(first.statuses.length).toBe(okCount + first.fake.stats.serverErrors);
    expect(first.fake.messages).toHaveLength(okCount);
    expect(first.statuses.filter((s) => s === 200)).toHaveLength(okCount);
  }, 20_000);

  it('createThenFail: retries duplicate posts unless the bot enforces a nonce', async () => {
    const fake = await harness.start({ guilds });
    const client = await harness.login(fake);
    fake.setFaults({ serverErrorRate: 0.5, createThenFail: true, seed: 7 });

    await postEach(
      client,
      Array.from({ length: 8 }, (_, i) => ({ content: `plain ${i}` })),
    );
    const plain = fake.messages.length;
    expect(plain).toBeGreaterThan(8);

    await postEach(
      client,
      Array.from({ length: 8 }, (_, i) => ({
        content: `safe ${i}`,
        nonce: `safe-${i}`,
        enforce_nonce: true,
      })),
    );
    const safe = fake.messages.slice(plain);
    expect(safe).toHaveLength(8);
    expect(new Set(safe.map((m) => (m.body as { nonce: string }).nonce)).size).toBe(8);
  }, 20_000);

  it('serves spurious 429s that discord.js waits out and retries', async () => {
    const fake = await harness.start({ guilds });
    const client = await harness.login(fake);
    // Seed 1 at rate 0.5 draws exactly one 429 (on the second attempt); Retry-After rounds up to
    // whole seconds as on Discord, so each spurious 429 costs discord.js about one second.
    fake.setFaults({
      rateLimitRate: 0.5,
      rateLimitRetryAfterMs: 100,
      seed: 1,
      routes: /\/messages$/,
    });

    const outcomes = await postEach(client, [{ content: 'a' }, { content: 'b' }, { content: 'c' }]);

    expect(outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(statuses(fake)).toEqual([200, 429, 200, 200]);
    expect(fake.stats.rateLimitedFault).toBe(1);
    expect(fake.stats.rateLimited).toBe(1);
    const limited = fake.requests.find((r) => r.status === 429);
    expect(limited?.body).toEqual({ content: 'b' });
  }, 20_000);

  it('failChannel forces one channel to fail while others work', async () => {
    const fake = await harness.start({ guilds });
    const client = await harness.login(fake);
    const post = (channelId: string) =>
      client.rest.post(Routes.channelMessages(channelId), { body: { content: 'x' } }).then(
        () => 'ok' as const,
        (error: unknown) => error,
      );

    fake.failChannel(CHANNEL, 'missing-permissions');
    expect(await post(CHANNEL)).toMatchObject({ code: 50013, status: 403 });
    fake.failChannel(CHANNEL, 'unknown-channel');
    expect(await post(CHANNEL)).toMatchObject({ code: 10003, status: 404 });
    expect(await post(OTHER)).toBe('ok');

    fake.failChannel(CHANNEL, 'server-error');
    const before = fake.requests.length;
    const failure = await post(CHANNEL);
    expect(failure).toBeInstanceOf(HTTPError);
    expect(failure).not.toBeInstanceOf(DiscordAPIError);
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([500, 500, 500, 500]);

    fake.failChannel(CHANNEL, null);
    expect(await post(CHANNEL)).toBe('ok');
    expect(fake.messages.map((m) => m.channelId)).toEqual([OTHER, CHANNEL]);
  });

  it('slows every response by slowMs', async () => {
    const fake = await harness.start({ guilds });
    const client = await harness.login(fake);
    fake.setFaults({ slowMs: 150 });

    const started = performance.now();
    await client.rest.get(Routes.user('@me'));

    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    const last = fake.requests.at(-1);
    expect((last?.respondedAt ?? 0) - (last?.receivedAt ?? 0)).toBeGreaterThanOrEqual(145);
  });
});
