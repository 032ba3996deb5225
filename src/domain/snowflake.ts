/** Discord's epoch: the first second of 2015, UTC. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * The smallest snowflake of an instant: every id Discord creates at or after it is larger, so it
 * serves as the `after` of a message query.
 */
export function snowflakeAt(at: Date): string {
  const ms = BigInt(Math.max(0, Math.floor(at.getTime()))) - DISCORD_EPOCH_MS;
  return (ms > 0n ? ms << 22n : 0n).toString();
}
