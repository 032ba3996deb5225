import type { MessagePayload } from '../domain/message-payload.js';
import type { FailureReason } from '../storage/delivery-record.js';

/**
 * Where posts go. The Discord implementation lives with the Discord code; tests use a fake. A
 * publisher never throws for Discord's answers: it says what happened.
 */
export interface Publisher {
  publish(channelId: string, payload: MessagePayload, nonce: string): Promise<PublishResult>;
}

export type PublishResult =
  | {
      ok: true;
      /**
       * Null when the nonce's first send created a message that was deleted since (Discord answers
       * 10008): the post was delivered and a moderator removed it, so it must never be sent again.
       */
      messageId: string | null;
    }
  | {
      ok: false;
      /** permanent: only the admin can fix it; transient: worth retrying while the post makes sense. */
      retry: boolean;
      reason: FailureReason;
      /** Discord's code and message, or the network error, for the log and /commemoration status. */
      detail: string;
      /** True when the request may have reached Discord (a timeout, a dropped connection). */
      maybeDelivered: boolean;
    };
