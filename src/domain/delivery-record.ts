import type { DeliveryStatus } from './delivery-lifecycle.js';
import type { PostKind } from './observance.js';
import type { PublishFollowUp, ThreadFollowUp } from './post-follow-ups.js';

export type { DeliveryStatus } from './delivery-lifecycle.js';

export type FailureReason =
  | 'offline'
  | 'missing-permissions'
  | 'unknown-channel'
  | 'rejected'
  | 'transient'
  | 'interrupted'
  | 'settings-changed'
  | 'history-unreadable'
  | 'message-deleted';

/** One delivery per server, observance, kind, moment ('' unless a moment post) and year. */
export interface DeliveryKey {
  guildId: string;
  observanceId: string;
  kind: PostKind;
  momentId: string;
  year: number;
}

/** One row of the deliveries table: the queue entry and the record of one post to one server. */
export interface DeliveryRecord extends DeliveryKey {
  status: DeliveryStatus;
  /** The channel of the latest attempt: where a post in doubt is looked for. */
  channelId?: string;
  scheduledAt: Date;
  closesAt: Date;
  nonce: string;
  attempts: number;
  late: boolean;
  messageId?: string;
  reason?: FailureReason;
  detail?: string;
  settingsVersion?: number;
  claimedBy?: string;
  claimedAt?: Date;
  /** The start of the first attempt whose outcome is unknown: Discord may have created the message. */
  inDoubtSince?: Date;
  /** When the tick may pick the delivery up (again); unset once nothing more will be tried. */
  nextAttemptAt?: Date;
  updatedAt: Date;
  /** Publishing a sent post to following servers; unset where it does not apply. */
  publish?: PublishFollowUp;
  /** The thread started from a sent day post; unset where it does not apply. */
  thread?: ThreadFollowUp;
}

export function formatDeliveryKey(key: DeliveryKey): string {
  return [key.guildId, key.observanceId, key.kind, key.momentId, key.year].join('/');
}
