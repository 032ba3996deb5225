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
   * Starts a forum post: a new thread titled `title` whose first message is the payload. Discord
   * has no duplicate protection for it (no nonce), so a repeat after an unclear answer must come
   * only after `findPosted` said "absent".
   */
  startForumPost(request: ForumPostRequest, signal?: AbortSignal): Promise<PublishResult>;
  /**
   * Looks for the bot's own message carrying `marker` among the channel's messages after `after`
   * (in a forum: the first messages of the bot's posts since then, archived ones included): did an
   * attempt whose answer was lost create the post?
   */
  findPosted(request: HistoryRequest): Promise<HistoryCheck>;
}

export interface ForumPostRequest {
  forumId: string;
  /** 1–100 characters. */
  title: string;
  payload: MessagePayload;
  /** A tag of the forum, for forums that require one. */
  tagId?: string | undefined;
}

export interface HistoryRequest {
  guildId: string;
  channelId: string;
  marker: string;
  after: Date;
  /**
   * In a forum, the title the post would have: a post of the bot's with this title whose first
   * message a moderator has deleted is the post, though its marker can no longer be read.
   */
  title?: string | undefined;
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
/** The same in a forum: permissions (4), active and archived posts, and two first messages. */
export const FORUM_CHECK_REQUESTS = 8;

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
