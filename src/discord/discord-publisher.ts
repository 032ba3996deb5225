import { DiscordAPIError, HTTPError, RateLimitError, type REST } from '@discordjs/rest';
import { type APIMessage, PermissionFlagsBits, Routes } from 'discord-api-types/v10';
import { carriesDeliveryMarker } from '../domain/delivery-marker.js';
import type { MessagePayload } from '../domain/message-payload.js';
import { snowflakeAt } from '../domain/snowflake.js';
import type {
  HistoryCheck,
  HistoryRequest,
  Publisher,
  PublishResult,
} from '../scheduler/publisher.js';
import { readChannelPermissions } from './check-channel-permissions.js';

/** Discord's JSON error codes that only the server's admin can fix. */
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_GUILD = 10004;
const UNKNOWN_MESSAGE = 10008;

/** Discord returns at most this many messages per page. */
const PAGE = 100;
/** Pages read at most: a post in doubt is minutes old, and a busy channel rarely has 500 since. */
const MAX_PAGES = 5;

/**
 * Posts through `@discordjs/rest`, whose queue honours Discord's per-route and global rate
 * limits (and retries 5xx itself). Every send carries the delivery's nonce with enforce_nonce, so
 * a repeat within Discord's window returns the first message instead of creating another.
 */
export class DiscordPublisher implements Publisher {
  constructor(
    private readonly rest: REST,
    /** The bot's user id, known once the gateway is ready. */
    private readonly botUserId: () => string | undefined,
  ) {}

  async publish(
    channelId: string,
    payload: MessagePayload,
    nonce: string,
    signal?: AbortSignal,
  ): Promise<PublishResult> {
    try {
      const message = (await this.rest.post(Routes.channelMessages(channelId), {
        body: { ...payload, nonce, enforce_nonce: true },
        ...(signal ? { signal } : {}),
      })) as { id: string };
      return { ok: true, messageId: message.id };
    } catch (error) {
      return classifyError(error);
    }
  }

  /**
   * Reads the channel's messages after the given instant, looking for the bot's own with the
   * marker. Without Read Message History Discord answers with an empty list rather than an error,
   * so the permission is checked first: an empty list must mean "not there".
   */
  async findPosted({ guildId, channelId, marker, after }: HistoryRequest): Promise<HistoryCheck> {
    const botId = this.botUserId();
    if (!botId) return { outcome: 'failed', detail: 'not logged in' };
    try {
      const access = await readChannelPermissions(this.rest, {
        guildId,
        channelId,
        botId,
      });
      if (access === 'not-found') return { outcome: 'unreadable', detail: 'the channel is gone' };
      if (access === 'no-view') return { outcome: 'unreadable', detail: 'missing View Channel' };
      const needed = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
      if ((access.permissions & needed) !== needed) {
        return { outcome: 'unreadable', detail: 'missing Read Message History' };
      }
      let cursor = snowflakeAt(after);
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ after: cursor, limit: String(PAGE) });
        const messages = (await this.rest.get(Routes.channelMessages(channelId), {
          query,
        })) as APIMessage[];
        const mine = messages.find(
          (m) => m.author.id === botId && carriesDeliveryMarker(m.embeds, marker),
        );
        if (mine) return { outcome: 'found', messageId: mine.id };
        if (messages.length < PAGE) return { outcome: 'absent' };
        // Newest first: continue after the newest message seen.
        cursor = messages.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), cursor);
      }
      return { outcome: 'failed', detail: `more than ${PAGE * MAX_PAGES} messages to read` };
    } catch (error) {
      const failure = classifyError(error);
      if (!failure.retry && failure.reason !== 'rejected') {
        return { outcome: 'unreadable', detail: failure.detail };
      }
      return { outcome: 'failed', detail: failure.detail };
    }
  }
}

export function classifyError(error: unknown): Extract<PublishResult, { ok: false }> {
  if (error instanceof DiscordAPIError) {
    const detail = `${error.status} ${error.code}: ${error.message}`;
    if (error.code === UNKNOWN_MESSAGE) {
      // A resend carrying the nonce of a message that a moderator has since deleted.
      return { ok: false, retry: false, reason: 'message-deleted', detail, maybeDelivered: true };
    }
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
    if (error.status === 429) {
      return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: false };
    }
    if (error.status >= 500) {
      // Discord can store the message and still answer 5xx.
      return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: true };
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
    // A 5xx that discord.js gave up retrying: Discord may have stored the message all the same.
    return {
      ok: false,
      retry: true,
      reason: 'transient',
      detail: `${error.status} ${error.message}`,
      maybeDelivered: true,
    };
  }
  // A timeout or a dropped connection: the request may have reached Discord.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: true };
}
