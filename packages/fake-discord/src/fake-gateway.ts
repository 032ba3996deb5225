import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  GatewayCloseCodes,
  type GatewayGuildCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { ChangeFeed } from './change-feed.js';
import { now } from './clock.js';
import { isRecord } from './rest-types.js';
import { shardIdForGuild } from './snowflake.js';

export interface GatewayLogEntry {
  kind:
    | 'connect'
    | 'identify'
    | 'identify-throttled'
    | 'resume'
    | 'resumed'
    | 'invalid-session'
    | 'disconnect';
  shardId: number | null;
  sessionId: string | null;
  at: number;
  detail?: string;
}

export interface GatewaySessionInfo {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  connected: boolean;
  /** False once the client closed with 1000/1001 or a newer IDENTIFY took the same shard. */
  resumable: boolean;
}

export interface SessionStartLimitOptions {
  /** Session starts (IDENTIFYs) allowed per 24 hours. Default 1000, as for most bots. */
  total?: number;
  /** IDENTIFYs allowed per 5 s, per rate-limit key (shard id % max_concurrency). Default 1. */
  maxConcurrency?: number;
}

const SESSION_START_WINDOW_MS = 24 * 60 * 60 * 1000;
const IDENTIFY_WINDOW_MS = 5_000;

export interface GatewayOptions {
  token: string;
  sessionStartLimit: SessionStartLimitOptions;
  /** Milliseconds that the identify and session-start windows run on. */
  clock: () => number;
  heartbeatIntervalMs: number;
  /** ws://host:port, also used as resume_gateway_url. */
  url: () => string;
  ready: (session: { id: string; shardId: number; shardCount: number }) => GatewayReadyDispatchData;
  guildCreates: (shardId: number, shardCount: number) => GatewayGuildCreateDispatchData[];
  feed: ChangeFeed;
}

interface Session extends Omit<GatewaySessionInfo, 'connected'> {
  /** Every dispatch of the session, so a RESUME can replay what the client missed. */
  sent: { s: number; frame: string }[];
  socket: WebSocket | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
}

/** Close codes that end a session on Discord; anything else (including a dropped TCP link) keeps it resumable. */
const SESSION_ENDING_CLOSE_CODES = new Set([1000, 1001]);
const IGNORED_OPCODES = new Set<number>([
  GatewayOpcodes.PresenceUpdate,
  GatewayOpcodes.VoiceStateUpdate,
  GatewayOpcodes.RequestGuildMembers,
  GatewayOpcodes.RequestSoundboardSounds,
]);

export class FakeGateway {
  readonly log: GatewayLogEntry[] = [];
  heartbeats = 0;
  readonly #options: GatewayOptions;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  #dropEvery: number | null = null;
  /** Clock time of every accepted IDENTIFY, for session_start_limit. */
  readonly #sessionStarts: number[] = [];
  /** Clock time of the last accepted IDENTIFY per rate-limit key. */
  readonly #lastIdentifyByKey = new Map<number, number>();
  #dispatchesSinceDrop = 0;

  constructor(server: Server, options: GatewayOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({ server });
    this.#wss.on('connection', (socket, request) => this.#accept(socket, request));
  }

  /** GET /gateway/bot's session_start_limit: counts down with every IDENTIFY in 24 hours. */
  sessionStartLimit(): {
    total: number;
    remaining: number;
    reset_after: number;
    max_concurrency: number;
  } {
    const total = this.#options.sessionStartLimit.total ?? 1000;
    const at = this.#options.clock();
    const recent = this.#sessionStarts.filter((t) => at - t < SESSION_START_WINDOW_MS);
    const first = recent[0];
    return {
      total,
      remaining: Math.max(0, total - recent.length),
      reset_after: first === undefined ? 0 : Math.ceil(first + SESSION_START_WINDOW_MS - at),
      max_concurrency: this.#options.sessionStartLimit.maxConcurrency ?? 1,
    };
  }

  get sessions(): GatewaySessionInfo[] {
    return [...this.#sessions.values()].map(({ sent: _sent, socket, ...info }) => ({
      ...info,
      connected: socket?.readyState === WebSocket.OPEN,
    }));
  }

  /** Sends to the live session(s) whose shard owns the guild; returns `now()` at send, or null if none. */
  dispatchToGuild(
    guildId: string,
    event: string,
    data: unknown,
    requiredIntent = 0,
  ): number | null {
    let sentAt: number | null = null;
    for (const session of this.#liveSessions()) {
      if (shardIdForGuild(guildId, session.shardCount) !== session.shardId) continue;
      if (requiredIntent !== 0 && (session.intents & requiredIntent) === 0) continue;
      sentAt = this.#dispatch(session, event, data);
    }
    return sentAt;
  }

  dispatchToShard(shardId: number, event: string, data: unknown): number | null {
    let sentAt: number | null = null;
    for (const session of this.#liveSessions()) {
      if (session.shardId === shardId) sentAt = this.#dispatch(session, event, data);
    }
    return sentAt;
  }

  /** Without a code the TCP connection is destroyed (client sees 1006), like a network failure. */
  dropConnections(code?: number): void {
    for (const connection of this.#connections) {
      this.#logEvent(
        'disconnect',
        connection.session,
        code === undefined ? 'terminate' : `close ${code}`,
      );
      if (code === undefined) connection.socket.terminate();
      else connection.socket.close(code, 'fake-discord dropped the connection');
    }
  }

  dropConnectionsEvery(dispatches: number | null): void {
    this.#dropEvery = dispatches;
    this.#dispatchesSinceDrop = 0;
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #liveSessions(): Session[] {
    return [...this.#sessions.values()].filter((s) => s.resumable);
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://fake').searchParams;
    const connection: Connection = { socket, session: null };
    this.#connections.add(connection);
    this.#logEvent('connect', null, request.url);
    socket.on('close', (code) => this.#onClose(connection, code));
    socket.on('error', () => socket.terminate());

    // discord.js connects with ?v=10&encoding=json, plus compress=zlib-stream only when the optional
    // zlib-sync package is installed; it parses text frames either way, so we never compress.
    if (query.get('v') !== '10') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      socket.close(GatewayCloseCodes.DecodeError, 'Only encoding=json is supported');
      return;
    }
    socket.on('message', (raw, isBinary) => this.#onMessage(connection, raw, isBinary));
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs },
    });
  }

  #onMessage(connection: Connection, raw: RawData, isBinary: boolean): void {
    const { socket } = connection;
    let payload: unknown;
    try {
      payload = isBinary ? undefined : JSON.parse(rawText(raw));
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload');
      return;
    }
    const { op, d } = payload;
    if (op === GatewayOpcodes.Heartbeat) {
      this.heartbeats += 1;
      this.#send(socket, { op: GatewayOpcodes.HeartbeatAck });
    } else if (op === GatewayOpcodes.Identify) {
      this.#identify(connection, d);
    } else if (op === GatewayOpcodes.Resume) {
      this.#resume(connection, d);
    } else if (!connection.session) {
      socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated');
    } else if (!IGNORED_OPCODES.has(op)) {
      socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode');
    }
  }

  #identify(connection: Connection, data: unknown): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    if (!isRecord(data) || data.token !== this.#options.token) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const [shardId, shardCount] = Array.isArray(data.shard) ? data.shard : [0, 1];
    if (
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard');
      return;
    }
    const limit = this.sessionStartLimit();
    if (limit.remaining === 0) {
      // Discord then resets the bot's token, so the identify fails as with a wrong token.
      this.#logEvent('identify-throttled', null, 'session_start_limit exhausted');
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const key = shardId % limit.max_concurrency;
    const last = this.#lastIdentifyByKey.get(key);
    const at = this.#options.clock();
    if (last !== undefined && at - last < IDENTIFY_WINDOW_MS) {
      this.#logEvent('identify-throttled', null, `shard ${shardId}, rate-limit key ${key}`);
      this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    this.#lastIdentifyByKey.set(key, at);
    this.#sessionStarts.push(at);
    // A new IDENTIFY for the same shard supersedes the old session, so guild events go to one place.
    for (const old of this.#sessions.values()) {
      if (old.shardId === shardId && old.shardCount === shardCount) old.resumable = false;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shardId,
      shardCount,
      intents: typeof data.intents === 'number' ? data.intents : 0,
      seq: 0,
      resumable: true,
      sent: [],
      socket,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;
    this.#logEvent('identify', session);
    this.#dispatch(session, 'READY', this.#options.ready(session));
    for (const guild of this.#options.guildCreates(shardId, shardCount)) {
      this.#dispatch(session, 'GUILD_CREATE', guild);
    }
  }

  #resume(connection: Connection, data: unknown): void {
    const { socket } = connection;
    if (!isRecord(data) || data.token !== this.#options.token) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const session =
      typeof data.session_id === 'string' ? this.#sessions.get(data.session_id) : undefined;
    const seq = typeof data.seq === 'number' ? data.seq : 0;
    if (!session?.resumable) {
      this.#logEvent('invalid-session', session ?? null, 'unknown or ended session');
      this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (seq > session.seq) {
      socket.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq');
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    connection.session = session;
    this.#logEvent('resume', session, `from seq ${seq}`);
    for (const entry of session.sent) {
      if (entry.s > seq) socket.send(entry.frame);
    }
    this.#dispatch(session, 'RESUMED', {}, false);
    this.#logEvent('resumed', session);
  }

  #onClose(connection: Connection, code: number): void {
    this.#connections.delete(connection);
    const { session } = connection;
    if (!session || session.socket !== connection.socket) return;
    session.socket = null;
    if (SESSION_ENDING_CLOSE_CODES.has(code)) session.resumable = false;
    this.#options.feed.notify();
  }

  /** Buffers the dispatch for replay even while disconnected: that is what RESUME recovers. */
  #dispatch(session: Session, event: string, data: unknown, countForDrops = true): number {
    session.seq += 1;
    const frame = JSON.stringify({
      op: GatewayOpcodes.Dispatch,
      t: event,
      s: session.seq,
      d: data,
    });
    session.sent.push({ s: session.seq, frame });
    const sentAt = now();
    const socket = session.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(frame);
      if (countForDrops && this.#dropEvery !== null) {
        this.#dispatchesSinceDrop += 1;
        if (this.#dispatchesSinceDrop >= this.#dropEvery) {
          this.#dispatchesSinceDrop = 0;
          this.#logEvent('disconnect', session, `after ${this.#dropEvery} dispatches`);
          socket.terminate();
        }
      }
    }
    this.#options.feed.notify();
    return sentAt;
  }

  #send(socket: WebSocket, payload: { op: GatewayOpcodes; d?: unknown }): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ d: null, ...payload }));
  }

  #logEvent(kind: GatewayLogEntry['kind'], session: Session | null, detail?: string): void {
    this.log.push({
      kind,
      shardId: session?.shardId ?? null,
      sessionId: session?.id ?? null,
      at: now(),
      ...(detail === undefined ? {} : { detail }),
    });
    this.#options.feed.notify();
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw).toString('utf8');
}
