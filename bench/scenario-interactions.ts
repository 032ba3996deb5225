import type { FakeDiscord } from '@remembrance-bot/fake-discord';
import { slash } from '@remembrance-bot/fake-discord';
import { InteractionResponseType } from 'discord-api-types/v10';
import type { BotChild, ChildStats } from './bot-child-process.js';
import { type Distribution, describeDistribution } from './percentiles.js';
import { progress } from './progress.js';
import { sleep, withTimeout } from './wait-until.js';

export interface InteractionLatencyResult {
  servers: number;
  /** Interactions in flight at once: 1 = the next is dispatched when the previous was answered. */
  concurrency: number;
  /** Pause a worker takes after each answer before dispatching its next interaction. */
  gapMs: number;
  /** Whether the runs overlapped the fan-out of the day post. */
  duringFanOut: boolean;
  /** Dispatch of INTERACTION_CREATE on the gateway socket to the callback request reaching Discord. */
  latencyMs: Distribution;
  /** Replies that were not the public "about khojaly" answer. */
  wrongReplies: number;
  /** The bot's event-loop delay over the measured interactions. */
  eventLoopDelayMs: ChildStats['eventLoopDelayMs'];
  /** `performance.now()` when the measured (not warm-up) interactions started and ended. */
  span: { start: number; end: number };
}

export interface InteractionOptions {
  count: number;
  concurrency: number;
  gapMs: number;
  /** Run first and not counted: the first calls of each code path pay for JIT compilation. */
  warmUp: number;
}

/** Discord gives a bot 3 s to answer; anything near that is a failure, not a slow sample. */
const CALLBACK_TIMEOUT_MS = 5_000;

/**
 * `/observance about observance:khojaly` from members of servers across every shard: `concurrency`
 * workers, each dispatching its next interaction `gapMs` after its previous one was answered.
 */
export async function measureInteractionLatency(
  fake: FakeDiscord,
  bot: BotChild,
  guildIds: readonly string[],
  options: InteractionOptions,
  duringFanOut = false,
): Promise<InteractionLatencyResult> {
  const label = `interactions (${options.concurrency} in flight, ${options.gapMs} ms gap${duringFanOut ? ', during the fan-out' : ''})`;
  progress(`${label}: ${options.count} + ${options.warmUp} warm-up, ${guildIds.length} servers`);
  await runBatch(fake, guildIds, options.warmUp, options, 0);
  await bot.resetLoopDelay();
  const start = performance.now();
  const { latencies, wrongReplies } = await runBatch(
    fake,
    guildIds,
    options.count,
    options,
    options.warmUp,
  );
  const end = performance.now();
  const stats = await bot.stats();
  const latencyMs = describeDistribution(latencies);
  progress(
    `${label}: p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms, max ${latencyMs.max.toFixed(1)} ms`,
  );
  return {
    servers: guildIds.length,
    concurrency: options.concurrency,
    gapMs: options.gapMs,
    duringFanOut,
    latencyMs,
    wrongReplies,
    eventLoopDelayMs: stats.eventLoopDelayMs,
    span: { start, end },
  };
}

async function runBatch(
  fake: FakeDiscord,
  guildIds: readonly string[],
  count: number,
  options: InteractionOptions,
  offset: number,
): Promise<{ latencies: number[]; wrongReplies: number }> {
  const latencies: number[] = [];
  let wrongReplies = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = offset + next;
      next += 1;
      // A prime stride visits the servers (and so the shards) in a scattered order.
      const guildId = guildIds[(index * 7_919) % guildIds.length];
      if (!guildId) throw new Error('no servers');
      const interaction = await fake.injectInteraction(
        slash(guildId, 'observance about', { observance: 'khojaly' }),
      );
      const callback = await withTimeout(
        interaction.callback,
        CALLBACK_TIMEOUT_MS,
        `the bot's answer to interaction ${index} in server ${guildId}`,
      );
      latencies.push(callback.receivedAt - interaction.dispatchedAt);
      const answered =
        callback.type === InteractionResponseType.ChannelMessageWithSource &&
        JSON.stringify(callback.body).includes('Khojaly');
      if (!answered) wrongReplies += 1;
      if (options.gapMs > 0) await sleep(options.gapMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latencies, wrongReplies };
}
