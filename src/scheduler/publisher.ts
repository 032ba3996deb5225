import type { FailureReason } from '../domain/delivery-record.js';
import type { MessagePayload } from '../domain/message-payload.js';

/**
 * Where posts go. The Discord implementation lives with the Discord code; tests use a fake. A
 * publisher never throws for Discord's answers: it says what happened.
 */
export interface Publisher {
  /**
   * `signal`: aborted when this process stops being the dispatcher, so that a send waiting in the
   * REST queue (or about to be retried by it) never reaches Discord.
   */
  publish(
    channelId: string,
    payload: MessagePayload,
    nonce: string,
    signal?: AbortSignal,
  ): Promise<PublishResult>;
  /**
   * Looks for the bot's own message carrying `marker` among the channel's messages after `after`:
   * did an attempt whose answer was lost create the post?
   */
  findPosted(request: HistoryRequest): Promise<HistoryCheck>;
}

export interface HistoryRequest {
  guildId: string;
  channelId: string;
  marker: string;
  after: Date;
}

export type HistoryCheck =
  | { outcome: 'found'; messageId: string }
  | { outcome: 'absent' }
  /** The bot lacks Read Message History (Discord would answer with an empty list) or access. */
  | { outcome: 'unreadable'; detail: string }
  /** Discord or the network failed: nothing learnt. */
  | { outcome: 'failed'; detail: string };

/** How many requests one history check may make, for pacing: permissions (4) and one page. */
export const HISTORY_CHECK_REQUESTS = 5;

export type PublishResult =
  | { ok: true; messageId: string }
  | {
      ok: false;
      /** permanent: only the admin can fix it; transient: worth retrying while the post makes sense. */
      retry: boolean;
      /** 'message-deleted': a resend met the first message, which a moderator has deleted. */
      reason: FailureReason;
      /** Discord's code and message, or the network error, for the log and /commemoration status. */
      detail: string;
      /** True when the request may have created the message (a timeout, a lost connection, a 5xx). */
      maybeDelivered: boolean;
    };
