import type { ScheduledPost } from '../domain/post-schedule.js';
import type { DeliveryRecord } from '../storage/delivery-record.js';

/** A post sent this long after its time says that it is late. */
export const LATE_AFTER_MS = 60 * 1000;

/**
 * How long Discord is trusted to drop a repeated nonce. Discord documents "a few minutes"; two
 * keeps a margin. Past it, a send whose outcome is unknown is never repeated.
 */
export const NONCE_WINDOW_MS = 2 * 60 * 1000;

export type Decision =
  | { action: 'send'; late: boolean }
  | { action: 'miss' }
  | { action: 'give-up' }
  | { action: 'wait' };

export interface DecisionInput {
  post: ScheduledPost;
  record: DeliveryRecord | undefined;
  /** The server's settings version now: a refused delivery is retried once the admin changes something. */
  settingsVersion: number;
  now: Date;
  /** This process already has the delivery queued or in flight. */
  inFlight: boolean;
}

/**
 * What to do about one owed post at one instant. Pure: the tick applies the decision. Records
 * whose window closed are swept to "missed" separately, keeping their reason.
 */
export function decideDelivery({
  post,
  record,
  settingsVersion,
  now,
  inFlight,
}: DecisionInput): Decision {
  if (inFlight) return { action: 'wait' };
  const closed = now.getTime() >= post.closesAt.getTime();
  const late = now.getTime() - post.at.getTime() >= LATE_AFTER_MS;
  if (!record) return closed ? { action: 'miss' } : { action: 'send', late };
  if (closed) return { action: 'wait' };
  switch (record.status) {
    case 'retry':
      if (record.inDoubtSince && now.getTime() - record.inDoubtSince.getTime() >= NONCE_WINDOW_MS) {
        return { action: 'give-up' };
      }
      if (record.nextAttemptAt && now.getTime() < record.nextAttemptAt.getTime())
        return { action: 'wait' };
      return { action: 'send', late };
    case 'failed':
      return record.settingsVersion === settingsVersion
        ? { action: 'wait' }
        : { action: 'send', late };
    case 'sending':
    case 'sent':
    case 'missed':
    case 'unconfirmed':
      return { action: 'wait' };
  }
}

/** 1, 2, 4, 8 minutes… capped at 15: retries are checked on each minute's tick. */
export function computeRetryDelay(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}
