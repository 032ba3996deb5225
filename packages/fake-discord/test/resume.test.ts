import { Status } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const GUILD = '940000000000000001';

describe('fake-discord: gateway resume', () => {
  const harness = useHarness();

  it('resumes after dropped connections and replays what the client missed', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);
    const resumed = new Promise<number>((resolve) => {
      client.once('shardResume', (_id, replayed) => resolve(replayed));
    });

    fake.dropConnections();
    // Sent while the socket is down: only a RESUME replay can deliver it.
    const missed = fake.addGuild({ name: 'joined while offline' });

    const replayed = await resumed;
    expect(replayed).toBeGreaterThanOrEqual(1);
    await fake.waitFor(() => client.guilds.cache.has(missed.id));
    expect(fake.gatewayLog.filter((e) => e.kind === 'identify')).toHaveLength(1);
    expect(fake.gatewayLog.map((e) => e.kind)).toContain('resume');

    // Dispatches after the resume still arrive on the same session.
    const later = new Promise<string>((resolve) => {
      client.once('guildCreate', (guild) => resolve(guild.name));
    });
    fake.addGuild({ name: 'after resume' });
    expect(await later).toBe('after resume');
    expect(fake.gatewaySessions).toHaveLength(1);
  });

  it('survives a server that drops the connection every few dispatches', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);
    fake.dropConnectionsEvery(2);

    for (let i = 0; i < 4; i += 1) {
      // Only dispatches written to a live socket count towards the next drop.
      await fake.waitFor(() => fake.gatewaySessions.every((s) => s.connected));
      const guild = fake.addGuild({ name: `g${i}` });
      await fake.waitFor(() => client.guilds.cache.has(guild.id));
    }

    // Dispatches 2 and 4 were each followed by a drop; the second resume may still be running.
    await fake.waitFor(() => fake.gatewayLog.filter((e) => e.kind === 'resumed').length === 2);
    expect(fake.gatewayLog.filter((e) => e.kind === 'identify')).toHaveLength(1);
  });

  it('answers RESUME of an unknown session with op 9, and the client re-identifies', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const client = await harness.login(fake);
    const shard = client.ws.shards.first();
    if (!shard) throw new Error('no shard');

    // discord.js resumes whatever session it remembers; make that one unknown to the fake.
    const internal = shard as unknown as { sessionInfo: { sessionId: string } | null };
    if (!internal.sessionInfo) throw new Error('no session info');
    internal.sessionInfo.sessionId = 'forgotten';
    fake.dropConnections({ code: 4000 });

    // discord.js spaces IDENTIFYs of one shard 5 s apart, as Discord's max_concurrency demands.
    await fake.waitFor(
      () => fake.gatewayLog.filter((e) => e.kind === 'identify').length === 2,
      10_000,
    );
    // Destroying a discord.js client mid-IDENTIFY hangs client.destroy(), so wait for READY.
    await fake.waitFor(() => shard.status === Status.Ready);
    expect(fake.gatewayLog.map((e) => e.kind)).toContain('invalid-session');
    expect(client.guilds.cache.get(GUILD)?.available).toBe(true);
  });
});
