import type { RecordedRequest } from '@remembrance-bot/fake-discord';

export interface BurstPattern {
  /** Runs of requests separated by a quiet gap: discord.js's global windows, seen from Discord. */
  bursts: number;
  medianSize: number;
  /** From one burst's first request to the next one's: the effective global window. */
  medianPeriodMs: number;
}

/** A pause this long between two requests ends a burst; within one they are ms apart. */
const QUIET_GAP_MS = 200;

/**
 * How the requests actually arrived. With discord.js's limiter, a fan-out comes as 50 requests
 * at once, then a pause until its window (plus its `offset`) has passed; the period is the cost.
 */
export function describeBursts(requests: readonly RecordedRequest[]): BurstPattern | null {
  const starts: number[] = [];
  const sizes: number[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const request of [...requests].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (request.receivedAt - previous > QUIET_GAP_MS) {
      starts.push(request.receivedAt);
      sizes.push(0);
    }
    sizes[sizes.length - 1] = (sizes[sizes.length - 1] ?? 0) + 1;
    previous = request.receivedAt;
  }
  if (starts.length < 2) return null;
  const periods = starts.slice(1).map((start, index) => start - (starts[index] ?? start));
  // The last burst is usually partial; leave it out of the typical size.
  return {
    bursts: starts.length,
    medianSize: median(sizes.slice(0, -1)),
    medianPeriodMs: median(periods),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
