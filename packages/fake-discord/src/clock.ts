// Captured at import time so that a test which fakes timers (vi.useFakeTimers) for the bot's own
// scheduling does not also freeze the fake server: Discord keeps running on real time.
const realPerformanceNow = performance.now.bind(performance);
const realDateNow = Date.now.bind(Date);
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realSetInterval = globalThis.setInterval.bind(globalThis);
const realClearInterval = globalThis.clearInterval.bind(globalThis);

/** High-resolution monotonic milliseconds; every `...At` field of the fake uses this clock. */
export const now = (): number => realPerformanceNow();
/** Wall-clock epoch milliseconds, for timestamps that Discord puts in payloads and headers. */
export const epochNow = (): number => realDateNow();

export const setRealTimeout = realSetTimeout;
export const clearRealTimeout = realClearTimeout;
export const setRealInterval = realSetInterval;
export const clearRealInterval = realClearInterval;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    realSetTimeout(resolve, ms);
  });
}
