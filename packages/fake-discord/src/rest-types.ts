import type { IncomingHttpHeaders } from 'node:http';

export interface UploadedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface RestRequest {
  method: string;
  /** Path below /api/v10, without the query string. */
  path: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the parsed `payload_json` of a multipart upload; undefined when there is none. */
  body: unknown;
  files: readonly UploadedFile[];
  receivedAt: number;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown, status = 200): RestResult {
  return { status, body };
}

export const noContent: RestResult = { status: 204 };

/** Discord's JSON error envelope, which discord.js turns into DiscordAPIError(code, message). */
export function apiError(
  status: number,
  code: number,
  message: string,
  errors?: unknown,
): RestResult {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

export const errors = {
  unauthorized: () => apiError(401, 0, '401: Unauthorized'),
  notFound: () => apiError(404, 0, '404: Not Found'),
  unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => apiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => apiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
  unknownApplication: () => apiError(404, 10002, 'Unknown Application'),
  unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
  missingAccess: () => apiError(403, 50001, 'Missing Access'),
  missingPermissions: () => apiError(403, 50013, 'Missing Permissions'),
  nonTextChannel: () => apiError(400, 50008, 'Cannot send messages in a non-text channel'),
  emptyMessage: () => apiError(400, 50006, 'Cannot send an empty message'),
  cannotSendInForum: () => apiError(400, 40058, 'Cannot send a message in a forum channel'),
  tagRequired: () =>
    apiError(400, 40067, 'A tag is required to create a forum post in this channel'),
  wrongChannelType: () => apiError(400, 50024, 'Cannot execute action on this channel type'),
  alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  invalidFormBody: (fieldErrors: Record<string, string>) =>
    apiError(400, 50035, 'Invalid Form Body', formErrors(fieldErrors)),
  serverError: (status: 500 | 502 | 503) =>
    apiError(
      status,
      0,
      status === 500 ? '500: Internal Server Error' : `${status}: Service Unavailable`,
    ),
};

/** Discord nests field errors as {field: {_errors: [{code, message}]}}; paths use dots ("embeds.0.title"). */
function formErrors(fieldErrors: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    let node = root;
    for (const key of path.split('.')) {
      const child = isRecord(node[key]) ? node[key] : {};
      node[key] = child;
      node = child;
    }
    node._errors = [{ code: 'BASE_TYPE_INVALID', message }];
  }
  return root;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
