import { DiscordAPIError, REST } from '@discordjs/rest';
import { type SessionInfo, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import {
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayIntentBits,
} from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { rejectCrosspostRateLimits } from './discord-follow-ups.js';
import { pacedMakeRequest } from './pace-requests.js';

export interface GatewaySettings {
  token: string;
  apiBaseUrl: string;
  /** Discord's global limit for this bot: 50 unless Discord has granted more. */
  globalRequestsPerSecond: number;
  /** The bot's total number of shards (SHARD_COUNT); unset: as many as Discord recommends. */
  shardCount?: number;
  /** The shards this process connects (SHARD_IDS); unset: all of them. */
  shardIds?: readonly number[];
}

/**
 * Discord as the bot uses it: a REST client and the gateway, from discord.js's own lower-level
 * packages. There is no object cache: gateway events arrive as Discord's JSON, and the bot keeps
 * only the ids of the servers it is in. Memory therefore grows with the number of servers alone
 * (see docs/benchmarks.md).
 */
export interface DiscordConnection {
  rest: REST;
  /**
   * The same, sending each request once: for a create that has no duplicate protection (a forum
   * post carries no nonce), where a retry after a 5xx or a timeout could make a second post. Its
   * outcome in doubt goes to the delivery lifecycle, which looks before it sends again.
   */
  singleTryRest: REST;
  gateway: WebSocketManager;
  /** The servers the bot is in, from GUILD_CREATE and GUILD_DELETE. */
  guildIds: ReadonlySet<string>;
  /** The bot's own user id, from READY; undefined before the first shard is ready. */
  botUserId(): string | undefined;
  /** Opens every shard and resolves when each is ready and has delivered its servers. */
  connect(): Promise<void>;
  destroy(): Promise<void>;
}

/** How long to wait for the servers a READY announces, as discord.js does before 'ready'. */
const GUILD_WAIT_MS = 15_000;

export class TokenRejectedError extends Error {
  constructor() {
    super('TokenInvalid: Discord rejected the token');
    this.name = 'TokenRejectedError';
  }
}

export function createDiscordConnection(
  { token, apiBaseUrl, globalRequestsPerSecond, shardCount, shardIds }: GatewaySettings,
  onDispatch: (dispatch: GatewayDispatchPayload, shardId: number) => void,
  logger: Logger,
): DiscordConnection {
  // A fan-out leaves one idle rate-limit handler per channel; sweep them each minute rather than
  // each hour, or 10,000 of them linger after every observance day.
  const options = {
    api: apiBaseUrl,
    timeout: 15_000,
    handlerSweepInterval: 60_000,
    globalRequestsPerSecond,
    // One pacer for both clients: together they stay under the global limit.
    makeRequest: pacedMakeRequest(globalRequestsPerSecond),
    rejectOnRateLimit: rejectCrosspostRateLimits,
  };
  const rest = new REST({ ...options, retries: 3 });
  rest.setToken(token);
  const singleTryRest = new REST({ ...options, retries: 0 });
  singleTryRest.setToken(token);
  // One connection per shard Discord recommends (GET /gateway/bot), all in this process; the
  // Guilds intent only (no privileged intents).
  // Sessions (for resuming) are kept per connection: the package's default store is shared by
  // every manager in the process, which would let two bots in one test resume each other's.
  const sessions = new Map<number, SessionInfo>();
  const gateway = new WebSocketManager({
    token,
    intents: GatewayIntentBits.Guilds,
    rest,
    // With SHARD_COUNT (and SHARD_IDS), this process connects its own part of a fixed set.
    ...(shardCount !== undefined ? { shardCount } : {}),
    ...(shardIds ? { shardIds: [...shardIds] } : {}),
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, session) => {
      if (session) sessions.set(shardId, session);
      else sessions.delete(shardId);
    },
  });
  const guildIds = new Set<string>();
  let botUserId: string | undefined;
  const awaited = new Set<string>();
  let allGuildsArrived: () => void = () => {};

  gateway.on(WebSocketShardEvents.Dispatch, ({ data, shardId }) => {
    switch (data.t) {
      case GatewayDispatchEvents.Ready:
        botUserId = data.d.user.id;
        for (const guild of data.d.guilds) if (!guildIds.has(guild.id)) awaited.add(guild.id);
        break;
      case GatewayDispatchEvents.GuildCreate:
        guildIds.add(data.d.id);
        awaited.delete(data.d.id);
        if (awaited.size === 0) allGuildsArrived();
        logger.debug({ guildId: data.d.id }, 'server available');
        break;
      case GatewayDispatchEvents.GuildDelete:
        // `unavailable` is an outage; without it the bot was removed from the server.
        if (!data.d.unavailable) guildIds.delete(data.d.id);
        break;
    }
    onDispatch(data, shardId);
  });
  gateway.on(WebSocketShardEvents.Error, ({ error, shardId }) =>
    logger.error({ err: error, shardId }, 'gateway error'),
  );
  gateway.on(WebSocketShardEvents.Closed, ({ code, shardId }) => {
    // 1000 is a normal close: the bot's own shutdown, or Discord asking it to reconnect.
    if (code === 1000) logger.info({ shardId, code }, 'gateway closed');
    else logger.warn({ shardId, code }, 'gateway disconnected');
  });
  gateway.on(WebSocketShardEvents.Resumed, ({ shardId }) =>
    logger.info({ shardId }, 'gateway resumed'),
  );
  rest.on('rateLimited', (info) =>
    logger.debug(
      { route: info.route, global: info.global, retryAfter: info.retryAfter },
      'rate limited',
    ),
  );

  return {
    rest,
    singleTryRest,
    gateway,
    guildIds,
    botUserId: () => botUserId,
    async connect() {
      try {
        await gateway.connect();
      } catch (error) {
        if (error instanceof DiscordAPIError && error.status === 401)
          throw new TokenRejectedError();
        throw error;
      }
      if (awaited.size === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GUILD_WAIT_MS);
        allGuildsArrived = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    async destroy() {
      await gateway.destroy();
    },
  };
}
