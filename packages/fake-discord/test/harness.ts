import { once } from 'node:events';
import { Client, type ClientOptions, GatewayIntentBits } from 'discord.js';
import { afterEach } from 'vitest';
import {
  type FakeDiscord,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from '../src/fake-discord.js';

export interface Harness {
  start(options?: StartFakeDiscordOptions): Promise<FakeDiscord>;
  /** A real discord.js Client logged in to the fake, resolved once 'clientReady' fired. */
  login(fake: FakeDiscord, options?: Partial<ClientOptions>): Promise<Client<true>>;
}

/**
 * discord.js's client.destroy() never settles when it lands in the middle of an IDENTIFY (two
 * shard.destroy() calls race for the same close handler); cap it so one bad test cannot eat the
 * hook timeout, and say so.
 */
async function destroyWithin5s(client: Client): Promise<void> {
  const timedOut = Symbol('timed out');
  const outcome = await Promise.race([
    client.destroy(),
    new Promise<symbol>((resolve) => setTimeout(resolve, 5_000, timedOut).unref()),
  ]);
  if (outcome === timedOut) console.error('fake-discord harness: client.destroy() hung for 5 s');
}

/** Registers afterEach cleanup so every test destroys its clients before closing its fakes. */
export function useHarness(): Harness {
  const clients: Client[] = [];
  const fakes: FakeDiscord[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map(destroyWithin5s));
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  return {
    async start(options = {}) {
      const fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000, ...options });
      fakes.push(fake);
      return fake;
    },
    async login(fake, options = {}) {
      const client = new Client({
        intents: [GatewayIntentBits.Guilds],
        ...options,
        rest: { api: fake.apiBaseUrl, ...options.rest },
      });
      clients.push(client);
      const ready = once(client, 'clientReady');
      await client.login(fake.token);
      await ready;
      return client as Client<true>;
    },
  };
}
