import { DiscordAPIError, HTTPError, RateLimitError, type REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { MessagePayload } from '../domain/message-payload.js';
import type { Publisher, PublishResult } from '../scheduler/publisher.js';

/** Discord's JSON error codes that only the server's admin can fix. */
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_GUILD = 10004;

/**
 * Posts through discord.js's REST client, whose queue honours Discord's per-route and global rate
 * limits (and retries 5xx itself). Every send carries the delivery's nonce with enforce_nonce, so
 * a repeat within Discord's window returns the first message instead of creating another.
 */
export class DiscordPublisher implements Publisher {
  constructor(private readonly rest: REST) {}

  async publish(channelId: string, payload: MessagePayload, nonce: string): Promise<PublishResult> {
    try {
      const message = (await this.rest.post(Routes.channelMessages(channelId), {
        body: { ...payload, nonce, enforce_nonce: true },
      })) as { id: string };
      return { ok: true, messageId: message.id };
    } catch (error) {
      return classifyError(error);
    }
  }
}

export function classifyError(error: unknown): Extract<PublishResult, { ok: false }> {
  if (error instanceof DiscordAPIError) {
    const detail = `${error.status} ${error.code}: ${error.message}`;
    if (error.code === MISSING_PERMISSIONS || error.code === MISSING_ACCESS) {
      return {
        ok: false,
        retry: false,
        reason: 'missing-permissions',
        detail,
        maybeDelivered: false,
      };
    }
    if (error.code === UNKNOWN_CHANNEL || error.code === UNKNOWN_GUILD || error.status === 404) {
      return { ok: false, retry: false, reason: 'unknown-channel', detail, maybeDelivered: false };
    }
    if (error.status === 429 || error.status >= 500) {
      return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: false };
    }
    return { ok: false, retry: false, reason: 'rejected', detail, maybeDelivered: false };
  }
  if (error instanceof RateLimitError) {
    return {
      ok: false,
      retry: true,
      reason: 'transient',
      detail: `429 rate limited for ${error.retryAfter} ms`,
      maybeDelivered: false,
    };
  }
  if (error instanceof HTTPError) {
    // A 5xx that discord.js gave up retrying: Discord answered, so nothing was created.
    return {
      ok: false,
      retry: true,
      reason: 'transient',
      detail: `${error.status} ${error.message}`,
      maybeDelivered: false,
    };
  }
  // A timeout or a dropped connection: the request may have reached Discord.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: true };
}
