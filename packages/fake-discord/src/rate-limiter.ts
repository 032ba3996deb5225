import { createHash } from 'node:crypto';
import { epochNow, now } from './clock.js';

export interface RouteLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Requests per second per bot token; interaction callbacks and webhooks are exempt, as on Discord. */
  global?: number | false;
  /** `true` for Discord-like buckets, or overrides keyed like "POST /channels/:channelId/messages". */
  routes?: boolean | Readonly<Record<string, RouteLimit>>;
  /**
   * How the global limit is counted. 'fixed' (default): discord.js's own one-second windows, with
   * a skew tolerance. 'sliding': any 1,000 ms may hold at most `global` requests, the strictest
   * reading of Discord's documented limit.
   */
  globalWindow?: 'fixed' | 'sliding';
}

/** Discord's documented message-create limit; other routes get a generic bucket. */
export const DEFAULT_ROUTE_LIMITS: Readonly<Record<string, RouteLimit>> = {
  'POST /channels/:channelId/messages': { limit: 5, windowMs: 5_000 },
};
const FALLBACK_ROUTE_LIMIT: RouteLimit = { limit: 10, windowMs: 10_000 };

/**
 * With route limits off, responses still carry bucket headers so discord.js runs its real
 * header-parsing path, but the advertised limit is too high to make it wait.
 */
const UNENFORCED_LIMIT = 10_000;

const GLOBAL_WINDOW_MS = 1_000;
const SKEW_TOLERANCE_MS = 50;

export interface RouteDecision {
  headers: Record<string, string>;
  /** Set when the bucket is exhausted and the request must get a 429. */
  retryAfterMs: number | null;
}

interface Bucket {
  used: number;
  resetAt: number;
}

export class RateLimiter {
  #global: number | false = false;
  #routes: false | Readonly<Record<string, RouteLimit>> = false;
  #globalWindowStart = Number.NEGATIVE_INFINITY;
  #globalWindowCount = 0;
  #globalModel: 'fixed' | 'sliding' = 'fixed';
  /** Arrival times of the accepted requests of the last 1,000 ms, oldest first (sliding model). */
  readonly #globalRecent: number[] = [];
  readonly #buckets = new Map<string, Bucket>();

  configure(options: RateLimitOptions): void {
    if (options.global !== undefined) this.#global = options.global;
    if (options.globalWindow !== undefined) this.#globalModel = options.globalWindow;
    if (options.routes !== undefined) {
      this.#routes =
        options.routes === true
          ? DEFAULT_ROUTE_LIMITS
          : options.routes === false
            ? false
            : { ...DEFAULT_ROUTE_LIMITS, ...options.routes };
    }
  }

  /**
   * A fixed 1000 ms window opened by the first request after the previous one ended - the same
   * model discord.js uses for its own `globalRequestsPerSecond` limiter - plus a skew tolerance.
   *
   * Why not a sliding window or a token bucket of 50: discord.js may legally send 100 requests
   * within a few ms (the tail of one of its windows, then the head of the next), e.g. right after
   * login, where GET /gateway/bot opened a window ~30 ms before the bot's burst: a sliding
   * 1000 ms window then refuses the next batch, which it sends exactly one window later. Mirroring
   * its windows accepts every trace it can produce, except that our clock (arrival) and its clock
   * (decision to send) disagree by a few ms, which can put one of its requests on the wrong side
   * of a boundary. Hence the tolerance: when the window is full and a request arrives within
   * SKEW_TOLERANCE_MS of its end, we assume the client already started its next window and open
   * ours there. A client ignoring the limit still gets 429s after its 50th request, and the
   * tolerance can only let through 50 per 950 ms. Rejected requests are not counted.
   */
  takeGlobal(): number | null {
    if (this.#global === false) return null;
    if (this.#globalModel === 'sliding') return this.#takeSliding(this.#global);
    const at = now();
    const windowEnd = this.#globalWindowStart + GLOBAL_WINDOW_MS;
    const full = this.#globalWindowCount >= this.#global;
    if (at >= windowEnd || (full && at >= windowEnd - SKEW_TOLERANCE_MS)) {
      this.#globalWindowStart = at;
      this.#globalWindowCount = 0;
    }
    if (this.#globalWindowCount >= this.#global) {
      return this.#globalWindowStart + GLOBAL_WINDOW_MS - at;
    }
    this.#globalWindowCount += 1;
    return null;
  }

  #takeSliding(limit: number): number | null {
    const at = now();
    const recent = this.#globalRecent;
    while (recent.length > 0 && (recent[0] ?? 0) <= at - GLOBAL_WINDOW_MS) recent.shift();
    if (recent.length >= limit) return (recent[0] ?? at) + GLOBAL_WINDOW_MS - at;
    recent.push(at);
    return null;
  }

  /**
   * Fixed window per (route, major parameter), opened by the first request, like Discord's buckets.
   * `consume: false` only reports the bucket, for responses refused before reaching it (401).
   */
  takeRoute(routeKey: string, majorId: string, consume = true): RouteDecision {
    const enforced = this.#routes !== false;
    const configured =
      (this.#routes === false ? undefined : this.#routes[routeKey]) ??
      DEFAULT_ROUTE_LIMITS[routeKey] ??
      FALLBACK_ROUTE_LIMIT;
    const limit = enforced ? configured.limit : UNENFORCED_LIMIT;
    const at = now();
    const key = `${routeKey}\u0000${majorId}`;
    let bucket = this.#buckets.get(key);
    if (!bucket || at >= bucket.resetAt) {
      bucket = { used: 0, resetAt: at + configured.windowMs };
      this.#buckets.set(key, bucket);
    }
    const limited = bucket.used >= limit;
    if (!limited && consume) bucket.used += 1;
    const resetAfterMs = bucket.resetAt - at;
    return {
      headers: {
        'X-RateLimit-Limit': String(limit),
        // A bucket whose limit was lowered mid-window can be over it; Discord never sends a negative.
        'X-RateLimit-Remaining': String(Math.max(0, limit - bucket.used)),
        'X-RateLimit-Reset': ((epochNow() + resetAfterMs) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': (resetAfterMs / 1000).toFixed(3),
        'X-RateLimit-Bucket': bucketHash(routeKey),
      },
      retryAfterMs: limited && consume ? resetAfterMs : null,
    };
  }
}

/** Discord's bucket ids are opaque hashes; a stable one per route lets discord.js share handlers. */
function bucketHash(routeKey: string): string {
  return createHash('sha1').update(routeKey).digest('hex').slice(0, 32);
}

/**
 * Discord's 429 shape: message, retry_after (seconds, precise) and global; `code` only for special
 * limits, so not here. Retry-After is whole seconds in the header.
 */
export function tooManyRequests(
  retryAfterMs: number,
  scope: 'user' | 'global' | 'shared',
  headers: Record<string, string> = {},
): { status: 429; body: unknown; headers: Record<string, string> } {
  const seconds = Math.max(retryAfterMs, 1) / 1000;
  return {
    status: 429,
    body: {
      message: 'You are being rate limited.',
      retry_after: Number(seconds.toFixed(3)),
      global: scope === 'global',
    },
    headers: {
      ...headers,
      'Retry-After': String(Math.ceil(seconds)),
      'X-RateLimit-Scope': scope,
      ...(scope === 'global' ? { 'X-RateLimit-Global': 'true' } : {}),
    },
  };
}
