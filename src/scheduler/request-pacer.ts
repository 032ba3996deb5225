/**
 * Spaces requests evenly at a little under Discord's global limit. Even spacing keeps every
 * 1,000 ms below the limit, whether Discord counts in fixed one-second windows or in a sliding
 * window, and leaves discord.js's own fixed-window limiter nothing to hold back.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private nextFreeAt = 0;

  /** `perSecond`: Discord's global limit for this bot (50 unless Discord granted more). */
  constructor(perSecond: number, headroom = 0.05) {
    this.intervalMs = Number.isFinite(perSecond) ? (1000 * (1 + headroom)) / perSecond : 0;
  }

  /** Resolves when `requests` more requests may start. */
  async take(requests = 1): Promise<void> {
    if (this.intervalMs === 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = slot + requests * this.intervalMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
