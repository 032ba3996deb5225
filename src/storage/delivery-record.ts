import type { PostKind } from '../domain/observance.js';

/**
 * - sending: claimed; a send is in flight (or was, if the process died meanwhile).
 * - retry: a transient failure (rate limit, 5xx, network); tried again from nextAttemptAt.
 * - failed: Discord refused for a reason only the admin can fix; tried again after a settings change.
 * - sent: done, with the message id.
 * - missed: the window closed without a post.
 * - unconfirmed: a send may or may not have reached Discord, and its duplicate protection has
 *   expired, so the bot does not risk a second message.
 */
export type DeliveryStatus = 'sending' | 'retry' | 'failed' | 'sent' | 'missed' | 'unconfirmed';

export type FailureReason =
  | 'offline'
  | 'missing-permissions'
  | 'unknown-channel'
  | 'rejected'
  | 'transient'
  | 'interrupted'
  | 'settings-changed';

/** One delivery per server, observance, kind, moment ('' unless a moment post) and year. */
export interface DeliveryKey {
  guildId: string;
  observanceId: string;
  kind: PostKind;
  momentId: string;
  year: number;
}

export interface DeliveryRecord extends DeliveryKey {
  status: DeliveryStatus;
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
  /** The first attempt whose outcome is unknown: Discord may have created the message. */
  inDoubtSince?: Date;
  nextAttemptAt?: Date;
  updatedAt: Date;
}

export function formatDeliveryKey(key: DeliveryKey): string {
  return [key.guildId, key.observanceId, key.kind, key.momentId, key.year].join('/');
}
