import { epochNow } from './clock.js';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** A snowflake whose timestamp part is `epochMs`; lets tests pick guild ids that land on chosen shards. */
export function snowflakeFromTimestamp(epochMs: number, increment = 0): string {
  return String(((BigInt(epochMs) - DISCORD_EPOCH) << 22n) | BigInt(increment & 0xfff));
}

/** The epoch ms a snowflake was made at. */
export function timestampOfSnowflake(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Same formula Discord and discord.js use to route a guild to a shard. */
export function shardIdForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Real-looking, strictly increasing ids. They must be 17-19 digits because @discordjs/rest only
 * recognises such ids as major parameters when it assigns rate-limit buckets.
 */
export class SnowflakeFactory {
  #lastMs = 0;
  #increment = 0;

  /** `offsetMs`: added to the wall clock, for a bot under test whose clock was moved. */
  constructor(private readonly offsetMs = 0) {}

  /** Discord's time as the ids carry it: epoch ms with the offset. */
  nowMs(): number {
    return epochNow() + this.offsetMs;
  }

  next(): string {
    let ms = epochNow() + this.offsetMs;
    if (ms <= this.#lastMs) {
      ms = this.#lastMs;
      this.#increment += 1;
      if (this.#increment > 0xfff) {
        ms += 1;
        this.#increment = 0;
      }
    } else {
      this.#increment = 0;
    }
    this.#lastMs = ms;
    // Worker 1, process 0: purely cosmetic, but keeps ids distinguishable from snowflakeFromTimestamp.
    return String(((BigInt(ms) - DISCORD_EPOCH) << 22n) | (1n << 17n) | BigInt(this.#increment));
  }
}
