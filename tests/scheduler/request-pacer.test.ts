import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RequestPacer } from '../../src/scheduler/request-pacer.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Release times of `count` requests taken at once, in fake milliseconds from the start. */
async function releases(pacer: RequestPacer, count: number): Promise<number[]> {
  const start = performance.now();
  const times: number[] = [];
  const all = Array.from({ length: count }, (_, i) =>
    pacer.take().then(() => {
      times[i] = performance.now() - start;
    }),
  );
  await vi.advanceTimersByTimeAsync(10_000);
  await Promise.all(all);
  return times;
}

function maxInAnySecond(times: readonly number[]): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
}

it('spaces requests evenly a little under the limit: never more than 48 in any 1,000 ms', async () => {
  const times = await releases(new RequestPacer(50), 200);
  expect(maxInAnySecond(times)).toBeLessThanOrEqual(48);
  // 200 requests at 50/s take 4 s at best; the pacer takes about 5% longer.
  expect(times.at(-1)).toBeGreaterThan(4000);
  expect(times.at(-1)).toBeLessThan(4400);
});

it('follows a higher limit granted by Discord', async () => {
  const times = await releases(new RequestPacer(500), 1000);
  expect(maxInAnySecond(times)).toBeLessThanOrEqual(498);
  expect(times.at(-1)).toBeLessThan(2200);
});

it('does not pace at all when the limit is infinite', async () => {
  const times = await releases(new RequestPacer(Number.POSITIVE_INFINITY), 100);
  expect(Math.max(...times)).toBe(0);
});
