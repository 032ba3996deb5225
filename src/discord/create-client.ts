import { type CacheFactory, Client, Collection, GatewayIntentBits, GuildManager } from 'discord.js';

export interface ClientSettings {
  apiBaseUrl: string;
  /** Discord's global limit for this bot: 50 unless Discord has granted more. */
  globalRequestsPerSecond?: number;
  /** The bot's total number of shards (SHARD_COUNT); unset: as many as Discord recommends. */
  shardCount?: number;
  /** The shards this process connects (SHARD_IDS); unset: all of them. */
  shardIds?: readonly number[];
}

/** A collection that drops every entry. */
class EmptyCollection<K, V> extends Collection<K, V> {
  override set(): this {
    return this;
  }
}
// discord.js warns, once per manager, when a cache is not a plain Collection, because limiting the
// channel and role caches breaks the features that read them. The bot reads neither (it asks the
// API at setup), so the warning, meant for other designs, would only alarm the admin.
Object.defineProperty(EmptyCollection, 'name', { value: 'Collection' });

/**
 * One collection that never holds anything, shared by every cache the bot does not use: it
 * stores nothing, so sharing it is safe, and it saves about 15 empty collections per server.
 */
const NOTHING = new EmptyCollection<unknown, unknown>();

/**
 * Only servers are cached, because discord.js needs them to route gateway events. The bot reads
 * channels, roles and its own member from the API when an admin runs setup, so nothing else is
 * kept and memory grows with the number of servers alone. discord.js warns that limiting the
 * channel and role caches breaks features that read them; the bot uses none of those features,
 * and the end-to-end tests exercise every path it does use.
 */
const makeCache = ((managerType: unknown) =>
  managerType === GuildManager ? new Collection() : NOTHING) as CacheFactory;

/** The gateway client: the Guilds intent only (no privileged intents). */
export function createClient({
  apiBaseUrl,
  globalRequestsPerSecond = 50,
  shardCount,
  shardIds,
}: ClientSettings): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // By default one connection per shard Discord recommends (GET /gateway/bot), all in this
    // process. With SHARD_COUNT (and SHARD_IDS), this process connects its own part of a fixed set.
    ...(shardCount === undefined
      ? { shards: 'auto' as const }
      : {
          shardCount,
          shards: shardIds ? [...shardIds] : Array.from({ length: shardCount }, (_, id) => id),
        }),
    // A fan-out leaves one idle rate-limit handler per channel; sweep them each minute rather than
    // each hour, or 10,000 of them linger after every observance day.
    rest: {
      api: apiBaseUrl,
      timeout: 15_000,
      retries: 3,
      handlerSweepInterval: 60_000,
      globalRequestsPerSecond,
    },
    makeCache,
    // Nothing to sweep: the only cache is the servers'.
    sweepers: {},
    allowedMentions: { parse: [] },
    enforceNonce: true,
  });
}
