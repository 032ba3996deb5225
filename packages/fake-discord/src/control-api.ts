import type { IncomingMessage, ServerResponse } from 'node:http';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { InjectInteractionOptions, InteractionPlace } from './interaction-payload.js';
import type { InjectedInteraction, VisibleReply } from './interactions.js';
import { isRecord } from './rest-types.js';

/** The path the inject command posts to; outside /api so that no bot request can reach it. */
export const CONTROL_INTERACTIONS_PATH = '/_fake/interactions';

export interface ControlRequest {
  /** What a member would type, e.g. "/observance about observance:khojaly". */
  command: string;
  /** Default: the first guild. */
  guildId?: string;
  channelId?: string;
  /** Give the member Manage Server, which the admin commands need. */
  admin?: boolean;
  locale?: string;
  /** Outside the bot's servers: its DM, a group DM, or a server it is not in. */
  place?: 'dm' | 'group-dm' | 'guild-without-bot';
}

export interface ControlHandlers {
  inject(request: ControlRequest): Promise<InjectedInteraction>;
}

export type ControlReply = { reply: VisibleReply } | { error: string };

/** Injects one interaction and answers with what the member would see, or why there is nothing. */
export async function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: ControlHandlers,
): Promise<void> {
  const send = (status: number, body: ControlReply): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST' || req.url !== CONTROL_INTERACTIONS_PATH) {
    send(404, { error: `only POST ${CONTROL_INTERACTIONS_PATH} exists` });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  if (!isRecord(body) || typeof body.command !== 'string') {
    send(400, { error: 'the body must be JSON with a "command" string' });
    return;
  }
  try {
    const injected = await handlers.inject(body as unknown as ControlRequest);
    send(200, { reply: await injected.waitForReply(15_000) });
  } catch (error) {
    send(409, {
      error: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    });
  }
}

export function placeOf(request: ControlRequest): InteractionPlace {
  switch (request.place) {
    case 'dm':
      return { kind: 'bot-dm' };
    case 'group-dm':
      return { kind: 'group-dm' };
    case 'guild-without-bot':
      return { kind: 'guild-without-bot' };
    default:
      return { kind: 'guild' };
  }
}

export function memberPermissionsFor(request: ControlRequest): bigint {
  const member = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  return request.admin ? member | PermissionFlagsBits.ManageGuild : member;
}

export type { InjectInteractionOptions };
