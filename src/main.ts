import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { REST } from '@discordjs/rest';
import {
  GatewayDispatchEvents,
  InteractionResponseType,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import { type Config, ConfigError, listSecrets, loadConfig } from './config.js';
import { ContentError, type LoadedContent, loadContent } from './content/load-content.js';
import type { BotServices } from './discord/bot-services.js';
import { createCommands } from './discord/commands/all-commands.js';
import {
  createDiscordConnection,
  type DiscordConnection,
  TokenRejectedError,
} from './discord/connect-gateway.js';
import { DiscordFollowUps } from './discord/discord-follow-ups.js';
import { DiscordPublisher } from './discord/discord-publisher.js';
import { DiscordScheduledEvents } from './discord/discord-scheduled-events.js';
import { DiscordServerInspector } from './discord/discord-server-inspector.js';
import { createInteractionRouter } from './discord/interaction-router.js';
import { type MalformedInteraction, readInteraction } from './discord/read-interaction.js';
import { resolveReplyLanguage } from './discord/resolve-language.js';
import { startHealthServer } from './health-server.js';
import { createLogger } from './logger.js';
import { DeliveryDispatcher, type TickSummary } from './scheduler/dispatch-deliveries.js';
import { FollowUpRunner } from './scheduler/follow-up-post.js';
import { AlertCheckPlanner } from './scheduler/plan-alert-checks.js';
import { DeliveryPlanner } from './scheduler/plan-deliveries.js';
import { AlertChecker } from './scheduler/run-alert-checks.js';
import { startTicking, type Ticker } from './scheduler/start-ticking.js';
import { EventSyncer } from './scheduler/sync-events.js';
import { openStore } from './storage/open-store.js';

export interface BotOptions {
  config: Config;
  logger?: Logger;
  content?: LoadedContent;
  /** Tests move time by hand; production reads the system clock. */
  clock?: Clock;
  /** Tick every minute with node-cron (production), or only when `tick()` is called (tests). */
  tickEveryMinute?: boolean;
}

export interface RunningBot {
  discord: DiscordConnection;
  services: BotServices;
  scheduler: DeliveryDispatcher;
  /**
   * Resolves when the gateway is ready and the first round of the dispatcher election is over
   * (with SQLite, at once): the dispatcher has started its catch-up tick.
   */
  ready: Promise<void>;
  /** Resolves when the start-up catch-up tick has finished its sends. */
  caughtUp: Promise<void>;
  tick(now?: Date): Promise<TickSummary>;
  stop(): Promise<void>;
}

/** How long shutdown waits for sends already under way. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The one place that wires configuration, storage, services, Discord and the scheduler. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, listSecrets(config));
  const content = options.content ?? loadContent();
  const bootId = randomUUID();

  // DATABASE_URL (Postgres, shared by several processes) wins over DATABASE_PATH (SQLite).
  const store = await openStore({
    databaseUrl: config.DATABASE_URL,
    databasePath: config.DATABASE_PATH,
    bootId,
    clock,
    logger: logger.child({ component: 'election' }),
  });
  const { settings, deliveries, state } = store;

  let handleInteraction: (payload: unknown) => void = () => {};
  const discord = createDiscordConnection(
    {
      token: config.DISCORD_TOKEN,
      apiBaseUrl: config.DISCORD_API_BASE_URL,
      globalRequestsPerSecond: config.DISCORD_GLOBAL_RPS,
      ...(config.SHARD_COUNT !== undefined ? { shardCount: config.SHARD_COUNT } : {}),
      ...(config.SHARD_IDS ? { shardIds: config.SHARD_IDS } : {}),
    },
    (dispatch) => {
      if (dispatch.t === GatewayDispatchEvents.InteractionCreate) handleInteraction(dispatch.d);
      else if (dispatch.t === GatewayDispatchEvents.GuildDelete && !dispatch.d.unavailable) {
        // Removed from a server: stop posting there (an outage arrives with `unavailable`).
        const guildId = dispatch.d.id;
        const stopPosting = async () => {
          if ((await settings.find(guildId))?.channelId)
            await settings.update(guildId, { channelId: null }, clock.now());
          logger.info({ guildId }, 'removed from a server');
        };
        stopPosting().catch((error: unknown) =>
          logger.error({ err: error, guildId }, 'could not stop posting in a removed server'),
        );
      }
    },
    logger,
  );
  const { rest } = discord;
  const publisher = new DiscordPublisher(rest, discord.botUserId, discord.singleTryRest);
  const schedulerLogger = logger.child({ component: 'scheduler' });
  const planner = new DeliveryPlanner({
    content,
    settings,
    deliveries,
    state,
    logger: schedulerLogger,
  });
  const scheduler = new DeliveryDispatcher({
    content,
    settings,
    deliveries,
    state,
    planner,
    publisher,
    clock,
    logger: schedulerLogger,
    bootId,
    globalRequestsPerSecond: config.DISCORD_GLOBAL_RPS,
    role: store.role,
    events: new EventSyncer({
      content,
      settings,
      events: store.events,
      api: new DiscordScheduledEvents(rest, discord.botUserId),
      logger: schedulerLogger.child({ feature: 'events' }),
    }),
    followUps: new FollowUpRunner({
      content,
      settings,
      deliveries,
      publisher: new DiscordFollowUps(rest),
      clock,
      logger: schedulerLogger,
    }),
  });
  // The checks before each day use half of Discord's global limit, and only while no post is
  // queued or being sent: posts come first.
  const checks = new AlertChecker({
    content,
    settings,
    alerts: store.alerts,
    planner: new AlertCheckPlanner({
      content,
      settings,
      alerts: store.alerts,
      logger: schedulerLogger,
    }),
    inspector: new DiscordServerInspector(rest, discord.botUserId),
    publisher,
    clock,
    logger: logger.child({ component: 'checks' }),
    role: store.role,
    requestsPerSecond: config.DISCORD_GLOBAL_RPS / 2,
    isBusy: () => !scheduler.isIdle(),
  });
  const runChecks = (now: Date) =>
    checks.run(now).catch((error: unknown) => {
      logger.error({ err: error }, 'checks before the day failed; the next tick tries again');
    });
  /** A tick: the posts due, then the checks due. */
  const tickAll = async (now: Date) => {
    const summary = await scheduler.tick(now);
    await runChecks(now);
    return summary;
  };
  const services: BotServices = {
    content,
    settings,
    deliveries,
    planner,
    publisher,
    rest,
    checks,
    clock,
    logger,
    events: store.events,
  };
  const route = createInteractionRouter(createCommands(content), services);
  handleInteraction = (payload) => {
    const read = readInteraction(payload);
    if (read.kind === 'slash') void route(read.interaction);
    else if (read.kind === 'malformed') answerMalformed(read.malformed);
  };
  const answerMalformed = (malformed: MalformedInteraction) => {
    logger.warn(
      { interactionId: malformed.id, problem: malformed.problem },
      'ignored a malformed interaction',
    );
    const answer = async () => {
      const guild = malformed.guildId ? await settings.find(malformed.guildId) : undefined;
      // As the router does: the server's language, else the member's (in a DM, always theirs).
      const language = resolveReplyLanguage(content, guild?.language, malformed.locale);
      const strings = content.languages.get(language) ?? content.languages.get('en');
      await sendMalformedAnswer(rest, malformed, strings?.bot.errors.malformed ?? '');
    };
    answer().catch((error: unknown) =>
      logger.warn(
        { err: error, interactionId: malformed.id },
        'could not answer a malformed interaction',
      ),
    );
  };

  let ready = false;
  let dispatcher = false;
  let ticker: Ticker | undefined;
  let health: Server | undefined;
  if (config.HEALTH_PORT !== undefined) {
    health = await startHealthServer(config.HEALTH_PORT, config.HEALTH_HOST, {
      isReady: () => ready && store.isOpen(),
      isDispatcher: () => dispatcher,
    });
    logger.info({ port: config.HEALTH_PORT, host: config.HEALTH_HOST }, 'health server listening');
  }

  let markCaughtUp: () => void = () => {};
  const caughtUpPromise = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });
  const onReady = async () => {
    ready = true;
    logger.info({ guilds: discord.guildIds.size }, 'gateway ready');
    // The election starts once the gateway is ready: a dispatcher must be able to send.
    await store
      .startElection((change) => {
        dispatcher = change.role === 'dispatcher';
        if (change.role === 'standby') {
          scheduler.abandonQueue();
          return;
        }
        // Catch up at once on anything owed while no process was sending, then every minute.
        scheduler
          .recover()
          .then(() => scheduler.tick(clock.now()))
          .catch((error: unknown) => logger.error({ err: error }, 'catch-up tick failed'))
          .finally(markCaughtUp)
          // Checks the bot missed while down, if their day has not come: after the posts owed.
          .then(() => runChecks(clock.now()));
      })
      .then(() => {
        // A standby has nothing to catch up on: the dispatcher does that.
        if (!store.role.isDispatcher()) markCaughtUp();
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'could not start the dispatcher election');
        markCaughtUp();
      });
    // Ready once this process knows whether it is the dispatcher, so that a tick from then on
    // does what its role says.
    if (options.tickEveryMinute ?? true) ticker = startTicking({ tick: tickAll }, clock, logger);
  };
  const readyPromise = discord.connect().then(onReady);
  // A failed start (a rejected token, no network) is the caller's to report.
  await readyPromise;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down');
      ready = false;
      await ticker?.stop();
      const finished = await scheduler.stop(SHUTDOWN_GRACE_MS);
      await checks.stop();
      if (!finished)
        logger.warn('some sends were still running at shutdown; the next start resumes them');
      await discord.destroy();
      await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
      await store.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  return {
    discord,
    services,
    scheduler,
    ready: readyPromise,
    caughtUp: caughtUpPromise,
    tick: (now) => tickAll(now ?? clock.now()),
    stop,
  };
}

/** Tells the member, where the payload allows an answer at all, that the request was unusable. */
async function sendMalformedAnswer(
  rest: REST,
  interaction: MalformedInteraction,
  message: string,
): Promise<void> {
  if (!interaction.id || !interaction.token) return;
  await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: message, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    },
    auth: false,
  });
}

/** `npm start`: configuration from the environment, signals for shutdown, one clear line on failure. */
async function runFromCommandLine(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return exitWith(error);
  }
  const logger = createLogger(config.LOG_LEVEL, listSecrets(config));
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
  let bot: RunningBot;
  try {
    bot = await startBot({ config, logger });
  } catch (error) {
    return exitWith(error, listSecrets(config));
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'signal received');
      bot.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

function exitWith(error: unknown, secrets: readonly string[] = []): void {
  let message: string;
  if (error instanceof ConfigError || error instanceof ContentError) message = error.message;
  else if (error instanceof TokenRejectedError) {
    message =
      'Discord rejected DISCORD_TOKEN. Reset the token (developer portal → your application → Bot) and put the new one in .env.';
  } else if (isPostgresConnectionError(error)) {
    message = `Cannot reach Postgres: ${error instanceof Error ? error.message : String(error)}. Check DATABASE_URL, and that the server is up and accepts this user.`;
  } else if (error instanceof Error && /database|SQLITE/i.test(error.message)) {
    message = `Cannot open the database: ${error.message}. Check DATABASE_PATH and that the folder is writable.`;
  } else {
    message = `Cannot start: ${error instanceof Error ? error.message : String(error)}. Check DISCORD_API_BASE_URL and the network.`;
  }
  for (const secret of secrets) if (secret) message = message.replaceAll(secret, '[redacted]');
  console.error(message);
  process.exit(1);
}

/** pg's and Node's errors for a server it cannot reach or log in to. */
function isPostgresConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' &&
    (/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET)$/.test(code) ||
      /^(28|3D|08)/.test(code))
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runFromCommandLine();
}
