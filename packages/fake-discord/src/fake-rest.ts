import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChangeFeed } from './change-feed.js';
import { now, sleep } from './clock.js';
import type { FaultDecision, Faults } from './faults.js';
import { type RateLimiter, tooManyRequests } from './rate-limiter.js';
import {
  apiError,
  errors,
  type RestRequest,
  type RestResult,
  type UploadedFile,
} from './rest-types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  /** Path below /api/v10 with `:name` parameters, e.g. "/channels/:channelId/messages". */
  pattern: string;
  /**
   * Interaction callbacks and interaction webhooks: authorised by the token in the URL (discord.js
   * sends no Authorization header) and exempt from the global rate limit, as on Discord.
   */
  interaction?: boolean;
  /** A write Discord may commit even though the client then sees a 5xx (see createThenFail). */
  commitsBeforeFailure?: boolean;
  handle(request: RestRequest): RestResult | Promise<RestResult>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without "?", e.g. "with_response=false". */
  query: string;
  body: unknown;
  files: readonly UploadedFile[];
  status: number;
  /** "POST /channels/:channelId/messages", or null when no route matched. */
  route: string | null;
  receivedAt: number;
  respondedAt: number;
}

export interface RestStats {
  /** Every 429 sent, whatever the cause. */
  rateLimited: number;
  rateLimitedGlobal: number;
  rateLimitedRoute: number;
  /** Spurious 429s from setFaults({ rateLimitRate }). */
  rateLimitedFault: number;
  /** 5xx sent, injected or forced with failChannel. */
  serverErrors: number;
  unauthorized: number;
  /** 401, 403 and non-shared 429 answers: what Discord counts against 10,000 per 10 minutes. */
  invalidRequests: number;
}

/** Discord bans (temporarily, by IP) a client that makes this many invalid requests in the window. */
export const INVALID_REQUEST_LIMIT = 10_000;
export const INVALID_REQUEST_WINDOW_MS = 10 * 60 * 1000;

export interface FakeRestOptions {
  token: string;
  routes: readonly RouteDef[];
  limiter: RateLimiter;
  faults: Faults;
  feed: ChangeFeed;
  /** Milliseconds; the invalid-request window runs on it. */
  clock: () => number;
}

const API_PREFIX = '/api/v10';

interface CompiledRoute {
  def: RouteDef;
  key: string;
  regex: RegExp;
  names: string[];
}

export class FakeRest {
  readonly requests: RecordedRequest[] = [];
  /** Requests no route matched: the bot called something the fake (and maybe Discord) lacks. */
  readonly unhandledRequests: RecordedRequest[] = [];
  readonly stats: RestStats = {
    rateLimited: 0,
    rateLimitedGlobal: 0,
    rateLimitedRoute: 0,
    rateLimitedFault: 0,
    serverErrors: 0,
    unauthorized: 0,
    invalidRequests: 0,
  };
  /** Clock times of the invalid requests, oldest first. */
  readonly #invalidAt: number[] = [];
  readonly #options: FakeRestOptions;
  readonly #routes: CompiledRoute[];

  constructor(options: FakeRestOptions) {
    this.#options = options;
    this.#routes = options.routes.map(compile);
  }

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.#serve(req, res).catch((error: unknown) => {
      console.error('fake-discord: request handler crashed', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'fake-discord crashed', code: 0 }));
    });
  };

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    // Discord decodes the path, and discord-api-types encodes ids: Routes.user('@me') is /users/%40me.
    const decoded = url.pathname.split('/').map(safeDecode).join('/');
    const path = decoded.startsWith(`${API_PREFIX}/`) ? decoded.slice(API_PREFIX.length) : decoded;
    const parsed = await parseBody(req.headers['content-type'], raw);
    const match = decoded.startsWith(`${API_PREFIX}/`) ? this.#match(method, path) : null;

    const request: RestRequest = {
      method,
      path,
      params: match?.params ?? {},
      query: url.searchParams,
      headers: req.headers,
      body: parsed.ok ? parsed.body : undefined,
      files: parsed.ok ? parsed.files : [],
      receivedAt,
    };
    let result: RestResult;
    if (!match)
      result = this.#routeExists(path)
        ? apiError(405, 0, '405: Method Not Allowed')
        : errors.notFound();
    else if (!parsed.ok) result = parsed.error;
    else result = await this.#process(match.route, request);
    this.#count(result);

    const { slowMs } = this.#options.faults;
    if (slowMs > 0) await sleep(slowMs);
    const payload = result.body === undefined ? undefined : JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...result.headers,
    });
    res.end(payload);

    const recorded: RecordedRequest = {
      method,
      path,
      query: url.search.slice(1),
      body: request.body,
      files: request.files,
      status: result.status,
      route: match?.route.key ?? null,
      receivedAt,
      respondedAt: now(),
    };
    this.requests.push(recorded);
    if (!match) this.unhandledRequests.push(recorded);
    this.#options.feed.notify();
  }

  async #process(route: CompiledRoute, request: RestRequest): Promise<RestResult> {
    const { limiter, token } = this.#options;
    const major = majorParameter(request.params);
    if (!route.def.interaction && request.headers.authorization !== `Bot ${token}`) {
      this.stats.unauthorized += 1;
      return {
        ...errors.unauthorized(),
        headers: limiter.takeRoute(route.key, major, false).headers,
      };
    }
    if (!route.def.interaction) {
      const retryAfterMs = limiter.takeGlobal();
      if (retryAfterMs !== null) {
        this.stats.rateLimitedGlobal += 1;
        return tooManyRequests(retryAfterMs, 'global');
      }
    }
    const bucket = limiter.takeRoute(route.key, major);
    if (bucket.retryAfterMs !== null) {
      this.stats.rateLimitedRoute += 1;
      return tooManyRequests(bucket.retryAfterMs, 'user', bucket.headers);
    }
    const result = await this.#handleWithFaults(route.def, request);
    return { ...result, headers: { ...bucket.headers, ...result.headers } };
  }

  async #handleWithFaults(route: RouteDef, request: RestRequest): Promise<RestResult> {
    const { faults } = this.#options;
    const channelId = request.params.channelId;
    const forced = channelId === undefined ? undefined : faults.channelFailures.get(channelId);
    if (forced === 'missing-permissions') return errors.missingPermissions();
    if (forced === 'unknown-channel') return errors.unknownChannel();
    const decision: FaultDecision =
      forced === 'server-error'
        ? { kind: 'server-error', status: 500 }
        : faults.decide(request.path);

    if (decision.kind === 'rate-limit') {
      this.stats.rateLimitedFault += 1;
      return tooManyRequests(decision.retryAfterMs, 'shared');
    }
    if (decision.kind === 'server-error') {
      if (route.commitsBeforeFailure && faults.createThenFail) await route.handle(request);
      return errors.serverError(decision.status);
    }
    return route.handle(request);
  }

  #count(result: RestResult): void {
    const { status } = result;
    if (status === 429) this.stats.rateLimited += 1;
    if (status >= 500) this.stats.serverErrors += 1;
    const shared = result.headers?.['X-RateLimit-Scope'] === 'shared';
    if (status === 401 || status === 403 || (status === 429 && !shared)) {
      this.stats.invalidRequests += 1;
      this.#invalidAt.push(this.#options.clock());
    }
  }

  /** Invalid requests within the last 10 minutes of the clock: Discord's limit is 10,000. */
  invalidRequestsInWindow(): number {
    const since = this.#options.clock() - INVALID_REQUEST_WINDOW_MS;
    while (this.#invalidAt.length > 0 && (this.#invalidAt[0] ?? 0) <= since)
      this.#invalidAt.shift();
    return this.#invalidAt.length;
  }

  #match(
    method: string,
    path: string,
  ): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.#routes) {
      if (route.def.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = found[index + 1] ?? '';
      });
      return { route, params };
    }
    return null;
  }

  #routeExists(path: string): boolean {
    return this.#routes.some((route) => route.regex.test(path));
  }
}

function compile(def: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = def.pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { def, key: `${def.method} ${def.pattern}`, regex: new RegExp(`^${source}$`), names };
}

/** Discord's buckets are per channel, guild or webhook; everything else shares one per route. */
function majorParameter(params: Readonly<Record<string, string>>): string {
  if (params.channelId) return params.channelId;
  if (params.guildId) return params.guildId;
  if (params.token) return params.token;
  return 'global';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type ParsedBody =
  | { ok: true; body: unknown; files: UploadedFile[] }
  | { ok: false; error: RestResult };

/** JSON, or multipart with payload_json + files[n], which is how discord.js uploads attachments. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { ok: true, body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const files: UploadedFile[] = [];
    const fields: Record<string, unknown> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') fields[field] = value;
      else files.push({ field, name: value.name, size: value.size, contentType: value.type });
    }
    const payload = fields.payload_json;
    if (typeof payload !== 'string') return { ok: true, body: fields, files };
    const json = parseJson(payload);
    return json === undefined ? invalidJson() : { ok: true, body: json, files };
  }
  const json = parseJson(raw.toString('utf8'));
  return json === undefined ? invalidJson() : { ok: true, body: json, files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function invalidJson(): ParsedBody {
  return { ok: false, error: apiError(400, 50109, 'The request body contains invalid JSON.') };
}
