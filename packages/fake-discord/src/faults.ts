import { createPrng } from './prng.js';

export interface FaultOptions {
  /** Probability (0..1) of answering 500/502/503 instead of handling the request. */
  serverErrorRate?: number;
  /** Probability (0..1) of a spurious 429 (scope "shared") that no bucket predicted. */
  rateLimitRate?: number;
  /** retry_after of spurious 429s; the Retry-After header rounds it up to whole seconds. */
  rateLimitRetryAfterMs?: number;
  /** Delay before every response is written (including error responses). */
  slowMs?: number;
  /** Only requests whose path (below /api/v10) matches are affected. Default: all. */
  routes?: RegExp;
  /**
   * When a message create draws a 5xx, commit the message first: Discord wrote it but the response
   * was lost, which is exactly the case where a client retry duplicates a post.
   */
  createThenFail?: boolean;
  /** Re-seed the generator, to replay the same sequence of faults. */
  seed?: number;
}

export type ChannelFailure = 'missing-permissions' | 'unknown-channel' | 'server-error';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'rate-limit'; retryAfterMs: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 };

const SERVER_ERROR_STATUSES = [500, 502, 503] as const;

export class Faults {
  #options: FaultOptions = {};
  #random: () => number;
  readonly channelFailures = new Map<string, ChannelFailure>();

  constructor(seed: number) {
    this.#random = createPrng(seed);
  }

  configure(options: FaultOptions): void {
    const { seed, ...rest } = options;
    if (seed !== undefined) this.#random = createPrng(seed);
    this.#options = rest;
  }

  get slowMs(): number {
    return this.#options.slowMs ?? 0;
  }

  get createThenFail(): boolean {
    return this.#options.createThenFail ?? false;
  }

  /**
   * Draws from the generator only when a rate is configured and the route matches, so the fault
   * sequence depends on nothing but the requests the test makes while faults are on.
   */
  decide(path: string): FaultDecision {
    const { routes, rateLimitRate = 0, serverErrorRate = 0 } = this.#options;
    if (routes && !routes.test(path)) return { kind: 'none' };
    if (rateLimitRate > 0 && this.#random() < rateLimitRate) {
      return { kind: 'rate-limit', retryAfterMs: this.#options.rateLimitRetryAfterMs ?? 250 };
    }
    if (serverErrorRate > 0 && this.#random() < serverErrorRate) {
      const index = Math.floor(this.#random() * SERVER_ERROR_STATUSES.length);
      return { kind: 'server-error', status: SERVER_ERROR_STATUSES[index] ?? 500 };
    }
    return { kind: 'none' };
  }
}
