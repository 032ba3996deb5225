/**
 * Spaces requests evenly at a little under Discord's global limit, so that no 1,000 ms holds
 * more than the limit, whether Discord counts in fixed one-second windows or in a sliding window,
 * and discord.js's own fixed-window limiter never has to hold a burst back.
 *
 * Requests keep to a schedule one interval apart. After the event loop stalls, the ones held up
 * catch up at twice the pace rather than all at once, and a sliding log of the actual releases
 * caps any 1,000 ms at two below the limit, whatever happened.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private readonly cap: number;
  /** Release times of the last 1,000 ms, oldest first. */
  private readonly recent: number[] = [];
  private scheduledAt = Number.NEGATIVE_INFINITY;
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
    // Behind schedule after a stall, keep the schedule (and catch up) for up to one second's worth.
    this.scheduledAt = Math.max(performance.now() - 1000, this.scheduledAt + this.intervalMs);
    for (;;) {
      const now = performance.now();
      while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - 1000) this.recent.shift();
      const at = Math.max(
        this.scheduledAt,
        this.lastReleaseAt + this.intervalMs / 2,
        this.recent.length >= this.cap ? (this.recent[0] ?? now) + 1000 : now,
      );
      if (at <= now) {
        this.lastReleaseAt = now;
        this.recent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, at - now));
    }
  }
}
