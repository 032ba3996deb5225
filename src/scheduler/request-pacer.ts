/**
 * Spaces requests evenly at a little under Discord's global limit, so that no 1,000 ms holds
 * more than the limit, whether Discord counts in fixed one-second windows or in a sliding window,
 * and discord.js's own fixed-window limiter never has to hold a burst back.
 *
 * Each release waits a full interval after the previous *actual* release: if the event loop
 * stalls, the requests held up by it go out one interval apart afterwards, not in a burst. A
 * sliding log of the last releases caps any 1,000 ms at `perSecond - 2`, whatever the spacing.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private readonly cap: number;
  private readonly recent: number[] = [];
  private lastReleaseAt = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  /** `perSecond`: Discord's global limit for this bot (50 unless Discord granted more). */
  constructor(perSecond: number, headroom = 0.05) {
    this.intervalMs = Number.isFinite(perSecond) ? (1000 * (1 + headroom)) / perSecond : 0;
    this.cap = Math.max(1, Math.floor(perSecond) - 2);
  }

  /** Resolves when `requests` more requests may start. */
  take(requests = 1): Promise<void> {
    if (this.intervalMs === 0) return Promise.resolve();
    const turn = this.chain.then(async () => {
      for (let i = 0; i < requests; i++) await this.releaseOne();
    });
    this.chain = turn;
    return turn;
  }

  private async releaseOne(): Promise<void> {
    for (;;) {
      const now = performance.now();
      while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - 1000) this.recent.shift();
      const spacedAt = this.lastReleaseAt + this.intervalMs;
      const cappedAt = this.recent.length >= this.cap ? (this.recent[0] ?? now) + 1000 : now;
      const at = Math.max(spacedAt, cappedAt);
      if (at <= now) {
        this.lastReleaseAt = now;
        this.recent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, at - now));
    }
  }
}
