import { type Client, Events } from 'discord.js';
import type { Logger } from 'pino';

/** What the gateway and the REST queue report, in the bot's structured log. */
export function logClientEvents(client: Client, logger: Logger): void {
  client.on(Events.GuildCreate, (guild) => logger.debug({ guildId: guild.id }, 'server available'));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'gateway disconnected'),
  );
  client.on(Events.ShardResume, (shardId, replayed) =>
    logger.info({ shardId, replayed }, 'gateway resumed'),
  );
  client.rest.on('rateLimited', (info) =>
    logger.debug(
      { route: info.route, global: info.global, retryAfter: info.retryAfter },
      'rate limited',
    ),
  );
}
