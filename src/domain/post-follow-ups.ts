import type { DeliveryRecord } from './delivery-record.js';
import type { ChannelKind, GuildSettings } from './guild-settings.js';
import type { PostKind } from './observance.js';

/**
 * What happens to a post after it is sent, each step recorded on its delivery and retried from
 * the tick like the post itself (the database is the queue):
 *
 * - publish: in an announcement channel with `publish` on, every post (eve, day and moment) is
 *   crossposted to the servers that follow the channel. The test message is never published.
 * - thread: with `thread` on, in a text or announcement channel, a thread is started from each
 *   day post, for members' words.
 *
 * Neither applies in a forum channel, where each post already is a thread of its own. A step
 * failing never changes the post's own state: the post was sent.
 */
export type PublishState = 'pending' | 'published' | 'failed';
export type ThreadState = 'pending' | 'started' | 'failed';

/** Why a step waits (pending) or stopped (failed). */
export type FollowUpReason =
  /** Discord's publish limit (about 10 an hour per channel); tried again when it says. */
  | 'rate-limited'
  /** Discord or the network failed; tried again in a few minutes. */
  | 'transient'
  /** Publish: Send Messages (View Channel) missing; thread: Create Public Threads missing. */
  | 'missing-permissions'
  /** Publish: the channel is no announcement channel (any more). */
  | 'not-announcement'
  /** Thread: the channel is no text or announcement channel (any more). */
  | 'wrong-channel'
  /** The post was deleted before the step could be done. */
  | 'message-deleted'
  | 'unknown-channel'
  | 'rejected'
  /** Still not done a day after the post: a late publish or thread would only confuse. */
  | 'expired';

export interface PublishFollowUp {
  state: PublishState;
  /** When the tick tries (again); set while pending. */
  nextAt?: Date;
  reason?: FollowUpReason;
  /** Discord's code and message, or the network error. */
  detail?: string;
}

export interface ThreadFollowUp {
  state: ThreadState;
  nextAt?: Date;
  reason?: FollowUpReason;
  detail?: string;
  /** The thread, once started (Discord gives it the post's id). */
  threadId?: string;
}

/** A step still owed this long after its post was sent is given up. */
export const FOLLOW_UP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The wait after a network error or a 5xx before the step is tried again. */
export const FOLLOW_UP_RETRY_MS = 5 * 60 * 1000;

/** Whether a post of this kind, in this channel, with these settings, is published. */
export function shouldPublish(
  settings: Pick<GuildSettings, 'publish'>,
  channelKind: ChannelKind | undefined,
): boolean {
  // An unknown kind (a server set up before the bot recorded it) is looked up before publishing.
  return settings.publish && (channelKind === undefined || channelKind === 'announcement');
}

/** Whether a thread is started from a post of this kind, in this channel, with these settings. */
export function shouldStartThread(
  settings: Pick<GuildSettings, 'thread'>,
  channelKind: ChannelKind | undefined,
  kind: PostKind,
): boolean {
  return settings.thread && kind === 'day' && channelKind !== 'forum';
}

/**
 * The follow-ups a post owes, written with its `sent` state in the same save, so that a crash
 * just after the send cannot lose them. Steps already recorded are kept.
 */
export function planFollowUps(
  record: DeliveryRecord,
  settings: Pick<GuildSettings, 'publish' | 'thread' | 'channelKind'>,
  now: Date,
): DeliveryRecord {
  if (record.status !== 'sent') return record;
  const next = { ...record };
  if (!next.publish && shouldPublish(settings, settings.channelKind)) {
    next.publish = { state: 'pending', nextAt: now };
  }
  if (!next.thread && shouldStartThread(settings, settings.channelKind, record.kind)) {
    next.thread = { state: 'pending', nextAt: now };
  }
  return next;
}

/** What Discord answered to one attempt at a step. */
export type FollowUpOutcome =
  | { type: 'done'; threadId?: string }
  /** The step does not apply after all (the channel turned out not to be an announcement one). */
  | { type: 'not-applicable' }
  | { type: 'rate-limited'; retryAfterMs: number; detail: string }
  | { type: 'transient'; detail: string }
  | { type: 'refused'; reason: FollowUpReason; detail: string };

/**
 * The publish step after one attempt: published, waiting until a later instant, or failed for a
 * reason only the admin can fix; undefined when it does not apply after all. `sentAt`: when the
 * post was sent (a step still waiting FOLLOW_UP_WINDOW_MS after it is given up).
 */
export function settlePublish(
  outcome: FollowUpOutcome,
  sentAt: Date,
  now: Date,
): PublishFollowUp | undefined {
  if (outcome.type === 'done') return { state: 'published' };
  return settleUnfinished(outcome, sentAt, now);
}

/** The thread step after one attempt, as `settlePublish`; done records the thread's id. */
export function settleThread(
  step: ThreadFollowUp,
  outcome: FollowUpOutcome,
  sentAt: Date,
  now: Date,
): ThreadFollowUp | undefined {
  if (outcome.type === 'done') {
    const threadId = outcome.threadId ?? step.threadId;
    return { state: 'started', ...(threadId ? { threadId } : {}) };
  }
  return settleUnfinished(outcome, sentAt, now);
}

function settleUnfinished(
  outcome: Exclude<FollowUpOutcome, { type: 'done' }>,
  sentAt: Date,
  now: Date,
):
  | { state: 'pending' | 'failed'; nextAt?: Date; reason: FollowUpReason; detail: string }
  | undefined {
  switch (outcome.type) {
    case 'not-applicable':
      return undefined;
    case 'refused':
      return { state: 'failed', reason: outcome.reason, detail: outcome.detail };
    case 'rate-limited':
    case 'transient': {
      const wait = outcome.type === 'rate-limited' ? outcome.retryAfterMs : FOLLOW_UP_RETRY_MS;
      const nextAt = new Date(now.getTime() + Math.max(wait, 1000));
      if (nextAt.getTime() > sentAt.getTime() + FOLLOW_UP_WINDOW_MS) {
        return { state: 'failed', reason: 'expired', detail: outcome.detail };
      }
      return { state: 'pending', nextAt, reason: outcome.type, detail: outcome.detail };
    }
  }
}
