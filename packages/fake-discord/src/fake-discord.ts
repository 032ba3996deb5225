/**
 * A small Discord (REST under /api/v10 + gateway) on 127.0.0.1 for driving the real discord.js
 * Client end to end:
 *
 *   const fake = await startFakeDiscord({ guilds: [{ name: 'test' }] });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBaseUrl } });
 *   await client.login(fake.token);
 *   ...
 *   await client.destroy(); // before fake.close(), or discord.js keeps reconnecting
 *   await fake.close();
 *
 * State changes made here are dispatched over the gateway so the client cache follows; every
 * request is recorded; rate limits and faults are off until switched on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIUser,
  type ApplicationFlags,
  ApplicationIntegrationType,
  type ChannelType,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { ChangeFeed } from './change-feed.js';
import { ChannelMessages } from './channel-messages.js';
import { epochNow, now } from './clock.js';
import { decideDelivery } from './command-availability.js';
import { buildInjectedOptions, parseCommandLine } from './command-line.js';
import { CommandRegistry, type CommandsView } from './commands.js';
import {
  CONTROL_INTERACTIONS_PATH,
  type ControlRequest,
  memberPermissionsFor,
  placeOf,
  serveControl,
} from './control-api.js';
import {
  type CrosspostLimit,
  Crossposts,
  DEFAULT_CROSSPOST_LIMIT,
  type MemberMessage,
} from './crossposts.js';
import {
  FakeGateway,
  type GatewayLogEntry,
  type GatewaySessionInfo,
  type SessionStartLimitOptions,
} from './fake-gateway.js';
import { FakeRest, type RecordedRequest, type RestStats } from './fake-rest.js';
import {
  type FakeChannel,
  type FakeGuild,
  type FakeGuildSpec,
  type FakeOverwrite,
  FakeState,
} from './fake-state.js';
import { type ChannelFailure, type FaultOptions, Faults } from './faults.js';
import { ForumThreads } from './forum-threads.js';
import { buildInteractionPayload, type InjectInteractionOptions } from './interaction-payload.js';
import { type InjectedInteraction, InteractionStore } from './interactions.js';
import { type FakeThread, MessageThreads } from './message-threads.js';
import type { FakeMessage } from './messages.js';
import { apiChannel, apiGuild, apiRole, apiUser, guildCreatePayload } from './payloads.js';
import { RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { buildRoutes } from './rest-routes.js';
import { isRecord } from './rest-types.js';
import {
  type FakeScheduledEvent,
  type MemberEventSpec,
  ScheduledEvents,
} from './scheduled-events.js';
import { SnowflakeFactory, shardIdForGuild } from './snowflake.js';

export type { CommandsView } from './commands.js';
export type { FakeCommunitySpec } from './community.js';
export type { CrosspostLimit, MemberMessage } from './crossposts.js';
export type {
  GatewayLogEntry,
  GatewaySessionInfo,
  SessionStartLimitOptions,
} from './fake-gateway.js';
export type { RecordedRequest, RestStats } from './fake-rest.js';
export type {
  FakeChannel,
  FakeChannelSpec,
  FakeForumTag,
  FakeForumTagSpec,
  FakeGuild,
  FakeGuildSpec,
  FakeOverwrite,
  FakeRole,
  FakeRoleSpec,
} from './fake-state.js';
export type { ChannelFailure, FaultOptions } from './faults.js';
export type {
  InjectedOption,
  InjectInteractionOptions,
  InteractionPlace,
} from './interaction-payload.js';
export type {
  CallbackCall,
  EditCall,
  InjectedInteraction,
  RecordedCall,
  VisibleReply,
} from './interactions.js';
export type { FakeThread } from './message-threads.js';
export type { FakeMessage } from './messages.js';
export { createPrng } from './prng.js';
export type { RateLimitOptions, RouteLimit } from './rate-limiter.js';
export type { FakeScheduledEvent, MemberEventSpec } from './scheduled-events.js';
export { MAX_UNFINISHED_EVENTS } from './scheduled-events.js';
export { slash } from './slash.js';
export { shardIdForGuild, snowflakeFromTimestamp } from './snowflake.js';

export interface IgnoredFields {
  route: string;
  fields: string[];
}

export interface StartFakeDiscordOptions {
  /** The bot token the client must present. Default 'fake-discord-token'. */
  token?: string;
  guilds?: FakeGuildSpec[];
  /**
   * `shards` of GET /gateway/bot. discord.js only follows it with `shards: 'auto'` (its default is
   * one shard); guilds are always routed by the shard count the client identified with. Default 1.
   */
  shardCount?: number;
  /** HELLO heartbeat_interval. Default 41250 like Discord; tests may go lower. */
  heartbeatIntervalMs?: number;
  /** Seed of the fault generator. Default 1. */
  seed?: number;
  /**
   * How long `enforce_nonce` remembers a nonce, on `clock`. Default 10 minutes. Discord promises
   * only "a few minutes", so tests should also try windows shorter than the bot assumes.
   */
  nonceWindowMs?: number;
  /**
   * Milliseconds that the fake's windows run on: the nonce window, the invalid-request window, and
   * the IDENTIFY and session-start limits. Default: real time. Pass the test's clock (e.g.
   * `() => testClock.now().getTime()`) to move them by hand.
   */
  clock?: () => number;
  /** session_start_limit of GET /gateway/bot, enforced on IDENTIFY. */
  sessionStartLimit?: SessionStartLimitOptions;
  /**
   * Added to the wall clock for new snowflakes: Discord's clock as seen by a bot under test whose
   * own clock was moved (message ids then fall where the bot expects them). Default 0.
   */
  idClockOffsetMs?: number;
  /**
   * Discord's wall clock, epoch ms: scheduled events must start after it, and external events
   * start and end by it. Default: the real time plus `idClockOffsetMs`. Tests that move the
   * bot's clock pass the same clock here.
   */
  wallClock?: () => number;
  /** Callbacks later than this after dispatch get 10062 Unknown interaction. Default 3000. */
  interactionCallbackDeadlineMs?: number;
  botUsername?: string;
  rateLimits?: RateLimitOptions;
  faults?: FaultOptions;
  /** TCP port; default 0, any free port. */
  port?: number;
  /** Serve POST /_fake/interactions, which the inject command uses. Off in tests. */
  controlApi?: boolean;
  /**
   * The Developer Portal's Installation → Installation Contexts. Default: Guild Install only, as
   * for a new application; add User Install to let commands name it in `integration_types`.
   */
  installationContexts?: ApplicationIntegrationType[];
  /**
   * Discord's undocumented publish limit, per channel, on `clock`. Default 10 per hour, as
   * reported; tests may go lower.
   */
  crosspostLimit?: CrosspostLimit;
}

export interface FakeDiscord {
  /** Pass as `rest: { api }`; discord.js appends /v10 itself. */
  readonly apiBaseUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guilds: readonly FakeGuild[];
  /** Throws for unknown ids, so tests need no null checks. */
  guild(id: string): FakeGuild;
  addGuild(spec: FakeGuildSpec): FakeGuild;
  /**
   * Deletes a channel as an admin would: CHANNEL_DELETE, then 404 10003 Unknown Channel for it.
   * Throws for a Community server's rules or community updates channel, as Discord refuses (50074).
   */
  deleteChannel(channelId: string): void;
  /** Converts text ↔ announcement (Community servers only, as Discord): CHANNEL_UPDATE. */
  setChannelType(
    channelId: string,
    type: ChannelType.GuildText | ChannelType.GuildAnnouncement,
  ): void;
  setChannelOverwrites(channelId: string, overwrites: readonly FakeOverwrite[]): void;
  setBotPermissions(guildId: string, permissions: bigint): void;
  /** Every message the bot created in a channel, deleted ones included (see `deletedAt`). */
  readonly messages: readonly FakeMessage[];
  /** Deletes a message as a moderator would: MESSAGE_DELETE, then 10008 for its id and nonce. */
  deleteMessage(messageId: string): void;
  /** Forum posts (threads) the bot started, in every guild, oldest first. */
  readonly threads: readonly FakeChannel[];
  /** Archives a thread now, as Discord does after its inactivity or as a moderator may. */
  archiveThread(threadId: string): void;
  /** Changes the nonce window from now on. */
  setNonceWindow(ms: number): void;
  /** Changes the publish limit from now on (publishes already made still count). */
  setCrosspostLimit(limit: CrosspostLimit): void;
  /** Publishes a message as a moderator would in Discord's client (no checks, no limit). */
  crosspostMessage(messageId: string): void;
  /** Every publish so far, oldest first, with `clock`'s time. */
  readonly crossposts: ReadonlyArray<{ messageId: string; channelId: string; at: number }>;
  /** A message by another member (not in `messages`), e.g. to publish it as a moderator. */
  addMemberMessage(channelId: string, authorId: string, content: string): MemberMessage;
  /** Threads started from messages; each has its starter message's id. */
  readonly messageThreads: readonly FakeThread[];
  /**
   * Every scheduled event, deleted ones included (see `deletedAt`, `deletedBy`); `status` is as
   * last written: `scheduledEventStatus` applies Discord's automatic start and end.
   */
  readonly scheduledEvents: readonly FakeScheduledEvent[];
  scheduledEventStatus(eventId: string): number;
  /** Deletes a scheduled event as a moderator would (GUILD_SCHEDULED_EVENT_DELETE, then 10070). */
  deleteScheduledEvent(eventId: string): void;
  /** An event a member created in Discord, not the bot. */
  addMemberScheduledEvent(spec: MemberEventSpec): FakeScheduledEvent;
  /**
   * Fields of message bodies that Discord does not know for that route and silently drops (for
   * example `nonce` on an interaction reply); the fake drops them too, and lists them here.
   */
  readonly ignoredFields: readonly IgnoredFields[];
  /** 401, 403 and non-shared 429s within the last 10 minutes of `clock`; Discord allows 10,000. */
  invalidRequestsInWindow(): number;
  readonly requests: readonly RecordedRequest[];
  readonly unhandledRequests: readonly RecordedRequest[];
  readonly commands: CommandsView;
  readonly interactions: readonly InjectedInteraction[];
  readonly stats: Readonly<RestStats>;
  readonly gatewayLog: readonly GatewayLogEntry[];
  readonly gatewaySessions: readonly GatewaySessionInfo[];
  /** Heartbeats received (and acknowledged) across all connections. */
  readonly gatewayHeartbeats: number;
  injectInteraction(options: InjectInteractionOptions): Promise<InjectedInteraction>;
  /** Raw dispatch; routed by `shardId`, else by `data.guild_id`, else to shard 0. */
  dispatch(event: string, data: unknown, shardId?: number): void;
  /** Default: destroy the TCP connections (client sees 1006). With a code: a close frame. */
  dropConnections(options?: { code?: number }): void;
  dropConnectionsEvery(dispatches: number | null): void;
  /** Fields left out keep their value; `global: false` / `routes: false` switch a limit off. */
  setRateLimits(options: RateLimitOptions): void;
  /** Replaces the previous fault options: `setFaults({})` switches all faults off. */
  setFaults(options: FaultOptions): void;
  /** Forces every request on one channel to fail; `null` lifts it. */
  failChannel(channelId: string, failure: ChannelFailure | null): void;
  /**
   * Resolves once `predicate` holds; re-checked on every fake state change and every 10 ms (it may
   * read discord.js client state). Times out (default 5 s) with the recent requests and gateway log.
   */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeDiscord(
  options: StartFakeDiscordOptions = {},
): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(options);
  await fake.listen();
  return fake;
}

class FakeDiscordServer implements FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly #ids: SnowflakeFactory;
  readonly #feed = new ChangeFeed();
  readonly #bot: APIUser;
  readonly #state: FakeState;
  readonly #limiter = new RateLimiter();
  readonly #faults: Faults;
  readonly #commands: CommandRegistry;
  readonly #messages: ChannelMessages;
  readonly #interactions: InteractionStore;
  readonly #events: ScheduledEvents;
  readonly #threads: ForumThreads;
  readonly #crossposts: Crossposts;
  readonly #messageThreads: MessageThreads;
  readonly #rest: FakeRest;
  readonly #server: Server;
  readonly #gateway: FakeGateway;
  readonly #ignored: IgnoredFields[] = [];
  readonly #installationContexts: readonly ApplicationIntegrationType[];
  #port = 0;

  constructor(options: StartFakeDiscordOptions) {
    this.#ids = new SnowflakeFactory(options.idClockOffsetMs ?? 0);
    this.token = options.token ?? 'fake-discord-token';
    this.botUserId = this.#ids.next();
    // Bots made since 2016 share their id with their application.
    this.applicationId = this.botUserId;
    this.#bot = apiUser({ id: this.botUserId, username: options.botUsername ?? 'fake-bot' }, true);
    this.#state = new FakeState(this.#ids, this.#bot);
    for (const spec of options.guilds ?? []) this.#state.addGuild(spec);

    const clock = options.clock ?? now;
    const recordIgnored = (route: string, fields: string[]) => {
      this.#ignored.push({ route, fields });
    };
    this.#faults = new Faults(options.seed ?? 1);
    if (options.faults) this.#faults.configure(options.faults);
    if (options.rateLimits) this.#limiter.configure(options.rateLimits);
    this.#installationContexts = options.installationContexts ?? [
      ApplicationIntegrationType.GuildInstall,
    ];
    this.#commands = new CommandRegistry(this.#ids, this.applicationId, {
      installationContexts: this.#installationContexts,
    });
    this.#messages = new ChannelMessages({
      state: this.#state,
      bot: this.#bot,
      ids: this.#ids,
      feed: this.#feed,
      gateway: () => this.#gateway,
      nonceWindowMs: options.nonceWindowMs ?? 10 * 60 * 1000,
      clock,
      recordIgnored,
    });
    this.#threads = new ForumThreads({
      state: this.#state,
      bot: this.#bot,
      ids: this.#ids,
      messages: this.#messages,
      feed: this.#feed,
      gateway: () => this.#gateway,
      clock,
      recordIgnored,
    });
    this.#interactions = new InteractionStore({
      applicationId: this.applicationId,
      bot: this.#bot,
      ids: this.#ids,
      feed: this.#feed,
      callbackDeadlineMs: options.interactionCallbackDeadlineMs ?? 3_000,
      recordIgnored,
    });
    this.#crossposts = new Crossposts({
      state: this.#state,
      bot: this.#bot,
      ids: this.#ids,
      feed: this.#feed,
      gateway: () => this.#gateway,
      messages: this.#messages,
      clock,
      limit: options.crosspostLimit ?? DEFAULT_CROSSPOST_LIMIT,
    });
    this.#messageThreads = new MessageThreads({
      state: this.#state,
      bot: this.#bot,
      feed: this.#feed,
      gateway: () => this.#gateway,
      messages: this.#messages,
    });
    const offsetMs = options.idClockOffsetMs ?? 0;
    this.#events = new ScheduledEvents({
      state: this.#state,
      bot: this.#bot,
      ids: this.#ids,
      feed: this.#feed,
      gateway: () => this.#gateway,
      wallClock: options.wallClock ?? (() => epochNow() + offsetMs),
    });
    this.#rest = new FakeRest({
      token: this.token,
      limiter: this.#limiter,
      faults: this.#faults,
      feed: this.#feed,
      clock,
      routes: buildRoutes({
        state: this.#state,
        bot: this.#bot,
        applicationId: this.applicationId,
        shardCount: options.shardCount ?? 1,
        gatewayUrl: () => this.gatewayUrl,
        sessionStartLimit: () => this.#gateway.sessionStartLimit(),
        commands: this.#commands,
        installationContexts: this.#installationContexts,
        messages: this.#messages,
        interactions: this.#interactions,
        scheduledEvents: this.#events,
        crossposts: this.#crossposts,
        messageThreads: this.#messageThreads,
        threads: this.#threads,
      }),
    });
    const control = options.controlApi === true;
    this.#port = options.port ?? 0;
    this.#server = createServer((req, res) => {
      if (control && req.url?.startsWith(CONTROL_INTERACTIONS_PATH)) {
        serveControl(req, res, { inject: (r) => this.#injectTyped(r) }).catch(() => res.end());
      } else this.#rest.listener(req, res);
    });
    this.#gateway = new FakeGateway(this.#server, {
      token: this.token,
      sessionStartLimit: options.sessionStartLimit ?? {},
      clock,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
      feed: this.#feed,
      ready: (session) => this.#readyPayload(session),
      guildCreates: (shardId, shardCount) =>
        this.#guildsOfShard(shardId, shardCount).map((g) => guildCreatePayload(g, this.#bot)),
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get apiBaseUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get guilds(): readonly FakeGuild[] {
    return [...this.#state.guilds.values()];
  }

  guild(id: string): FakeGuild {
    const guild = this.#state.guild(id);
    if (!guild) throw new Error(`fake-discord: unknown guild ${id}`);
    return guild;
  }

  addGuild(spec: FakeGuildSpec): FakeGuild {
    const guild = this.#state.addGuild(spec);
    this.#gateway.dispatchToGuild(guild.id, 'GUILD_CREATE', guildCreatePayload(guild, this.#bot));
    return guild;
  }

  deleteChannel(channelId: string): void {
    const hadSystemChannel = this.#state.channel(channelId)?.guild.systemChannelId === channelId;
    const channel = this.#state.deleteChannel(channelId);
    this.#gateway.dispatchToGuild(channel.guildId, 'CHANNEL_DELETE', apiChannel(channel, true));
    if (hadSystemChannel) {
      this.#gateway.dispatchToGuild(
        channel.guildId,
        'GUILD_UPDATE',
        apiGuild(this.guild(channel.guildId)),
      );
    }
  }

  setChannelType(
    channelId: string,
    type: ChannelType.GuildText | ChannelType.GuildAnnouncement,
  ): void {
    const channel = this.#state.setChannelType(channelId, type);
    this.#gateway.dispatchToGuild(channel.guildId, 'CHANNEL_UPDATE', apiChannel(channel, true));
  }

  setChannelOverwrites(channelId: string, overwrites: readonly FakeOverwrite[]): void {
    const channel = this.#state.setChannelOverwrites(channelId, overwrites);
    this.#gateway.dispatchToGuild(channel.guildId, 'CHANNEL_UPDATE', apiChannel(channel, true));
  }

  setBotPermissions(guildId: string, permissions: bigint): void {
    const role = this.#state.setBotPermissions(guildId, permissions);
    this.#gateway.dispatchToGuild(guildId, 'GUILD_ROLE_UPDATE', {
      guild_id: guildId,
      role: apiRole(role),
    });
  }

  get messages(): readonly FakeMessage[] {
    return this.#messages.messages;
  }

  deleteMessage(messageId: string): void {
    const message = this.#messages.messages.find((m) => m.id === messageId);
    if (!message) throw new Error(`fake-discord: unknown message ${messageId}`);
    if (message.deletedAt === null) this.#messages.remove(message);
  }

  get threads(): readonly FakeChannel[] {
    return this.guilds.flatMap((guild) => guild.threads);
  }

  archiveThread(threadId: string): void {
    this.#threads.archive(threadId);
  }

  setNonceWindow(ms: number): void {
    this.#messages.nonceWindowMs = ms;
  }

  get scheduledEvents(): readonly FakeScheduledEvent[] {
    return this.#events.events;
  }

  scheduledEventStatus(eventId: string): number {
    return this.#events.statusAt(this.#requireEvent(eventId));
  }

  deleteScheduledEvent(eventId: string): void {
    const event = this.#requireEvent(eventId);
    if (event.deletedAt === null) this.#events.remove(event, 'moderator');
  }

  addMemberScheduledEvent(spec: MemberEventSpec): FakeScheduledEvent {
    return this.#events.addMemberEvent(spec);
  }

  #requireEvent(eventId: string): FakeScheduledEvent {
    const event = this.#events.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`fake-discord: unknown scheduled event ${eventId}`);
    return event;
  }

  setCrosspostLimit(limit: CrosspostLimit): void {
    this.#crossposts.limit = limit;
  }

  crosspostMessage(messageId: string): void {
    const message = this.#crossposts.findAnywhere(messageId);
    if (!message) throw new Error(`fake-discord: unknown message ${messageId}`);
    this.#crossposts.markCrossposted(message);
  }

  get crossposts(): ReadonlyArray<{ messageId: string; channelId: string; at: number }> {
    return this.#crossposts.published;
  }

  addMemberMessage(channelId: string, authorId: string, content: string): MemberMessage {
    return this.#crossposts.addMemberMessage(channelId, authorId, content);
  }

  get messageThreads(): readonly FakeThread[] {
    return this.#messageThreads.threads;
  }

  get ignoredFields(): readonly IgnoredFields[] {
    return this.#ignored;
  }

  invalidRequestsInWindow(): number {
    return this.#rest.invalidRequestsInWindow();
  }

  get requests(): readonly RecordedRequest[] {
    return this.#rest.requests;
  }

  get unhandledRequests(): readonly RecordedRequest[] {
    return this.#rest.unhandledRequests;
  }

  get commands(): CommandsView {
    return this.#commands;
  }

  get interactions(): readonly InjectedInteraction[] {
    return this.#interactions.all;
  }

  get stats(): Readonly<RestStats> {
    return this.#rest.stats;
  }

  get gatewayLog(): readonly GatewayLogEntry[] {
    return this.#gateway.log;
  }

  get gatewaySessions(): readonly GatewaySessionInfo[] {
    return this.#gateway.sessions;
  }

  get gatewayHeartbeats(): number {
    return this.#gateway.heartbeats;
  }

  async injectInteraction(options: InjectInteractionOptions): Promise<InjectedInteraction> {
    const place = options.place ?? { kind: 'guild' };
    const guildId = place.kind === 'guild' ? options.guildId : undefined;
    const userId = options.userId ?? this.#ids.next();
    const name = options.data.name;
    const userInstallable = this.#installationContexts.includes(
      ApplicationIntegrationType.UserInstall,
    );
    if (options.userInstalled && !userInstallable) {
      throw new Error(
        'fake-discord: injectInteraction: no member can have installed an app without User Install (installationContexts)',
      );
    }
    const delivery = decideDelivery({
      place,
      guildId,
      guildCommand: guildId === undefined ? undefined : this.#commands.findInGuild(name, guildId),
      globalCommand: this.#commands.findGlobal(name),
      userInstalled: options.userInstalled ?? (place.kind !== 'guild' && userInstallable),
      userId,
    });
    if (!delivery.delivered) {
      throw new Error(
        `fake-discord: Discord would not deliver /${name} in a ${place.kind}: ${delivery.reason}`,
      );
    }
    const payload = buildInteractionPayload(options, {
      state: this.#state,
      applicationId: this.applicationId,
      id: options.id ?? this.#ids.next(),
      token: options.token ?? `fake-interaction-token-${this.#ids.next()}`,
      userId,
      commandId: options.data.id ?? delivery.command?.id ?? this.#ids.next(),
      nextId: () => this.#ids.next(),
      owners: delivery.owners,
    });
    // Registered before the dispatch, since a fast bot may answer before dispatchToGuild returns.
    const record = this.#interactions.register(payload, now());
    // Events without a guild_id go to shard 0 only, as Discord's sharding formula says.
    const target = 'guild_id' in payload ? payload.guild_id : undefined;
    const sentAt =
      target === undefined
        ? this.#gateway.dispatchToShard(0, 'INTERACTION_CREATE', payload)
        : this.#gateway.dispatchToGuild(target, 'INTERACTION_CREATE', payload);
    if (sentAt === null) throw this.#noSession(target ? `guild ${target}` : 'shard 0');
    record.dispatchedAt = sentAt;
    return record;
  }

  /** An interaction from a typed command line, for the inject command. */
  #injectTyped(request: ControlRequest): Promise<InjectedInteraction> {
    const place = placeOf(request);
    const guildId = request.guildId ?? this.guilds[0]?.id;
    if (place.kind === 'guild' && !guildId)
      throw new Error('fake-discord: there is no guild to send the command in');
    const line = parseCommandLine(request.command);
    const registered =
      (guildId === undefined ? undefined : this.#commands.find(line.name, guildId)) ??
      this.#commands.findGlobal(line.name);
    return this.injectInteraction({
      ...(place.kind === 'guild' && guildId !== undefined ? { guildId } : { place }),
      ...(request.channelId ? { channelId: request.channelId } : {}),
      ...(request.locale ? { locale: request.locale } : {}),
      memberPermissions: memberPermissionsFor(request),
      data: { name: line.name, options: buildInjectedOptions(line, registered, this.#state) },
    });
  }

  dispatch(event: string, data: unknown, shardId?: number): void {
    const guildId = isRecord(data) && typeof data.guild_id === 'string' ? data.guild_id : undefined;
    const sentAt =
      shardId === undefined && guildId !== undefined
        ? this.#gateway.dispatchToGuild(guildId, event, data)
        : this.#gateway.dispatchToShard(shardId ?? 0, event, data);
    if (sentAt === null)
      throw this.#noSession(guildId ? `guild ${guildId}` : `shard ${shardId ?? 0}`);
  }

  dropConnections(options: { code?: number } = {}): void {
    this.#gateway.dropConnections(options.code);
  }

  dropConnectionsEvery(dispatches: number | null): void {
    this.#gateway.dropConnectionsEvery(dispatches);
  }

  setRateLimits(options: RateLimitOptions): void {
    this.#limiter.configure(options);
  }

  setFaults(options: FaultOptions): void {
    this.#faults.configure(options);
  }

  failChannel(channelId: string, failure: ChannelFailure | null): void {
    if (failure === null) this.#faults.channelFailures.delete(channelId);
    else this.#faults.channelFailures.set(channelId, failure);
  }

  waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    return this.#feed.waitFor(predicate, timeoutMs, () => this.#describe());
  }

  async close(): Promise<void> {
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #readyPayload(session: {
    id: string;
    shardId: number;
    shardCount: number;
  }): GatewayReadyDispatchData {
    return {
      v: 10,
      user: this.#bot,
      guilds: this.#guildsOfShard(session.shardId, session.shardCount).map((g) => ({
        id: g.id,
        unavailable: true,
      })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: [session.shardId, session.shardCount],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
  }

  #guildsOfShard(shardId: number, shardCount: number): FakeGuild[] {
    return this.guilds.filter((g) => shardIdForGuild(g.id, shardCount) === shardId);
  }

  #noSession(target: string): Error {
    return new Error(
      `fake-discord: no live gateway session owns ${target}; log the client in first.\n${this.#describe()}`,
    );
  }

  /** Context for timeout errors: what the bot did last, seen from Discord's side. */
  #describe(): string {
    const requests = this.requests
      .slice(-8)
      .map((r) => `    ${r.method} ${r.path} -> ${r.status}`)
      .join('\n');
    const gateway = this.gatewayLog
      .slice(-6)
      .map((e) => `    ${e.kind} shard=${e.shardId ?? '-'}${e.detail ? ` (${e.detail})` : ''}`)
      .join('\n');
    return [
      `  last requests (${this.requests.length} total):`,
      requests || '    none',
      `  gateway log (${this.gatewayLog.length} entries):`,
      gateway || '    none',
      `  messages: ${this.messages.length}, unhandled requests: ${this.unhandledRequests.length}`,
    ].join('\n');
  }
}
