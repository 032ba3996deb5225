import type { DeliveryRecord, FailureReason } from './delivery-record.js';
import type { ChannelKind } from './guild-settings.js';

/**
 * Every state a delivery (one post to one server) can be in, and every reason it moves. This is
 * the one place that decides; storage stores the result and the scheduler carries it out.
 *
 * - planned: written ahead of time; goes out when its time comes (nextAttemptAt = its time).
 * - sending: claimed by one process; the request to Discord is in flight, or was when the
 *   process died.
 * - retry: a send failed and certainly created nothing (429, a refused connection); tried again
 *   from nextAttemptAt.
 * - in-doubt: a send may have created the message (a timeout, a dropped connection, a 5xx to the
 *   create, a process that died mid-send). Tried again from nextAttemptAt: with the same nonce
 *   while Discord's duplicate protection surely holds, after that only once the channel's history
 *   shows the post is not there. A forum post carries no nonce, so it is always looked for first
 *   (among the forum's threads, archived ones included).
 * - failed: Discord refused for a reason only the admin can fix (permissions, a deleted channel);
 *   tried again once the settings change.
 * - sent (final): in the channel, with its message id.
 * - deleted (final): it was sent, and a moderator has since deleted it; never sent again.
 * - missed (final): its window closed before it could go out; the reason says why.
 * - unconfirmed (final): it may be in the channel, and the bot could not check (no Read Message
 *   History, or the window closed while in doubt), so it does not risk a second copy.
 */
export const DELIVERY_STATES = [
  'planned',
  'sending',
  'retry',
  'in-doubt',
  'failed',
  'sent',
  'deleted',
  'missed',
  'unconfirmed',
] as const;

export type DeliveryStatus = (typeof DELIVERY_STATES)[number];

/** Nothing will ever be attempted again for a delivery in one of these. */
export const FINAL_STATES = [
  'sent',
  'deleted',
  'missed',
  'unconfirmed',
] as const satisfies readonly DeliveryStatus[];

/** The states the tick picks up once nextAttemptAt has come, while the window is open. */
export const DUE_STATES = [
  'planned',
  'retry',
  'in-doubt',
] as const satisfies readonly DeliveryStatus[];

export function isFinal(status: DeliveryStatus): boolean {
  return (FINAL_STATES as readonly DeliveryStatus[]).includes(status);
}

/** A post sent this long after its time says that it is late. */
export const LATE_AFTER_MS = 60 * 1000;

/**
 * How long after an attempt in doubt a resend may rely on the nonce alone. Discord drops a
 * repeated nonce for "a few minutes"; two keeps a margin. After it, the bot reads the channel first.
 */
export const NONCE_SAFE_MS = 2 * 60 * 1000;

/** The history check starts this long before the first attempt in doubt (clock skew, queueing). */
export const CHECK_LOOKBACK_MS = 60 * 1000;

/**
 * A claim older than this is stale: discord.js gives up on a request after 15 s × 4 tries, so a
 * send still "in flight" after five minutes belongs to a process that died or an error that escaped.
 */
export const SENDING_LEASE_MS = 5 * 60 * 1000;

/** 1, 2, 4, 8 minutes… capped at 15: retries are picked up by each minute's tick. */
export function computeRetryDelay(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

/**
 * What the window closing does to each state still waiting for an attempt. Storage runs this as
 * one statement; `applyDeliveryEvent(…, { type: 'window-closed' })` reads the same table.
 */
export const ON_WINDOW_CLOSED = {
  planned: { status: 'missed', reason: 'offline' },
  retry: { status: 'missed' },
  failed: { status: 'missed' },
  'in-doubt': { status: 'unconfirmed', reason: 'interrupted' },
} as const satisfies Partial<
  Record<DeliveryStatus, { status: DeliveryStatus; reason?: FailureReason }>
>;

export type DeliveryEvent =
  /** The tick takes a due delivery for this process. */
  | { type: 'claim'; bootId: string; channelId: string; settingsVersion: number }
  /** Discord answered with the message. */
  | { type: 'sent'; messageId: string }
  /** The history check found the post of an earlier attempt. */
  | { type: 'found'; messageId: string }
  /** Discord refused for a reason only the admin can fix. */
  | { type: 'refused'; reason: FailureReason; detail: string }
  /** Failed, and certainly nothing was created (a 429, a refused connection). */
  | { type: 'transient'; detail: string }
  /** Failed, and the message may have been created. */
  | { type: 'in-doubt'; detail: string }
  /** The post may be in the channel, and the bot cannot read the channel's history to check. */
  | { type: 'history-unreadable'; detail: string }
  /** A resend answered "unknown message": the post was there, and a moderator deleted it. */
  | { type: 'deleted'; detail: string }
  /** An exception inside the bot, before or after the request went out. */
  | { type: 'crashed'; detail: string; sendStarted: boolean }
  /** The claim outlived its lease: its process died, or its outcome was never recorded. */
  | { type: 'lease-expired' }
  | { type: 'window-closed' }
  /** The admin changed something: a refusal may be fixed. */
  | { type: 'settings-changed' }
  /** The admin stopped posting, or switched this observance off. */
  | { type: 'withdrawn' };

export type DeliveryEventType = DeliveryEvent['type'];

export type Transition =
  | { kind: 'move'; record: DeliveryRecord }
  /** Drop the row: it was only a plan. */
  | { kind: 'remove' }
  /** The event means nothing in this state. */
  | { kind: 'ignore' };

const IGNORE: Transition = { kind: 'ignore' };

/** Whether the tick should pick the delivery up at `now`. */
export function isDue(record: DeliveryRecord, now: Date): boolean {
  return (
    (DUE_STATES as readonly DeliveryStatus[]).includes(record.status) &&
    record.nextAttemptAt !== undefined &&
    record.nextAttemptAt.getTime() <= now.getTime() &&
    now.getTime() < record.closesAt.getTime()
  );
}

export function isLate(record: Pick<DeliveryRecord, 'scheduledAt'>, now: Date): boolean {
  return now.getTime() - record.scheduledAt.getTime() >= LATE_AFTER_MS;
}

/**
 * Whether Discord's duplicate protection covers a resend to `channel`: only when the attempt in
 * doubt and this one are both channel messages (each carries the delivery's nonce) to the same
 * channel. A forum post carries none (Discord ignores a nonce when it starts a forum post), and
 * when the channel has changed since the attempt in doubt, that attempt's kind is not known.
 */
export function isCoveredByNonce(
  inDoubtChannelId: string | undefined,
  channel: { id: string; kind?: ChannelKind | undefined },
): boolean {
  return (
    channel.kind !== 'forum' && (inDoubtChannelId === undefined || inDoubtChannelId === channel.id)
  );
}

/**
 * How a claimed delivery is attempted: a plain send (the nonce makes a repeat harmless while
 * Discord remembers it), or, once that protection may have lapsed or where there is none (see
 * `isCoveredByNonce`), a look at the channel first. Never a resend without one or the other.
 */
export function chooseAttempt(
  record: DeliveryRecord,
  now: Date,
  coveredByNonce = true,
): 'send' | 'check-first' {
  if (!record.inDoubtSince) return 'send';
  if (!coveredByNonce) return 'check-first';
  return now.getTime() - record.inDoubtSince.getTime() < NONCE_SAFE_MS ? 'send' : 'check-first';
}

/** Where the history check starts reading: a little before the first attempt in doubt. */
export function checkFrom(record: DeliveryRecord): Date {
  const since = record.inDoubtSince ?? record.claimedAt ?? record.scheduledAt;
  return new Date(since.getTime() - CHECK_LOOKBACK_MS);
}

/** The one function that moves a delivery between states. Pure: `now` is a parameter. */
export function applyDeliveryEvent(
  record: DeliveryRecord,
  event: DeliveryEvent,
  now: Date,
): Transition {
  const { status } = record;
  const move = (patch: Partial<DeliveryRecord>, drop: Array<keyof DeliveryRecord> = []) =>
    ({ kind: 'move', record: update(record, { ...patch, updatedAt: now }, drop) }) as const;

  switch (event.type) {
    case 'claim':
      if (!isDue(record, now)) return IGNORE;
      return move(
        {
          status: 'sending',
          attempts: record.attempts + 1,
          channelId: event.channelId,
          settingsVersion: event.settingsVersion,
          claimedBy: event.bootId,
          claimedAt: now,
          late: isLate(record, now),
        },
        ['nextAttemptAt'],
      );

    case 'sent':
    case 'found':
      if (status !== 'sending') return IGNORE;
      return move(
        {
          status: 'sent',
          messageId: event.messageId,
          ...(event.type === 'found'
            ? { detail: 'found in the channel after an unclear answer' }
            : {}),
        },
        event.type === 'found'
          ? ['reason', 'nextAttemptAt']
          : ['reason', 'detail', 'nextAttemptAt'],
      );

    case 'refused':
      if (status !== 'sending') return IGNORE;
      return move({ status: 'failed', reason: event.reason, detail: event.detail }, [
        'nextAttemptAt',
      ]);

    case 'transient':
      if (status !== 'sending') return IGNORE;
      return move(scheduleRetry(record, 'transient', event.detail, now, false));

    case 'in-doubt':
      if (status !== 'sending') return IGNORE;
      return move(scheduleRetry(record, 'transient', event.detail, now, true));

    case 'crashed':
      if (status !== 'sending') return IGNORE;
      return move(
        scheduleRetry(
          record,
          'transient',
          `internal error: ${event.detail}`,
          now,
          event.sendStarted,
        ),
      );

    case 'history-unreadable':
      if (status !== 'sending') return IGNORE;
      return move({ status: 'unconfirmed', reason: 'history-unreadable', detail: event.detail }, [
        'nextAttemptAt',
      ]);

    case 'deleted':
      if (status !== 'sending') return IGNORE;
      return move({ status: 'deleted', reason: 'message-deleted', detail: event.detail }, [
        'nextAttemptAt',
      ]);

    case 'lease-expired':
      if (status !== 'sending') return IGNORE;
      return move({
        status: 'in-doubt',
        inDoubtSince: record.inDoubtSince ?? record.claimedAt ?? now,
        reason: record.reason ?? 'interrupted',
        nextAttemptAt: now,
      });

    case 'window-closed': {
      if (now.getTime() < record.closesAt.getTime()) return IGNORE;
      const target = (ON_WINDOW_CLOSED as Partial<Record<DeliveryStatus, ClosedTarget>>)[status];
      if (!target) return IGNORE;
      return move({ status: target.status, reason: record.reason ?? target.reason ?? 'offline' }, [
        'nextAttemptAt',
      ]);
    }

    case 'settings-changed':
      if (status !== 'failed') return IGNORE;
      return move({ status: record.inDoubtSince ? 'in-doubt' : 'retry', nextAttemptAt: now });

    case 'withdrawn':
      switch (status) {
        case 'planned':
          return { kind: 'remove' };
        case 'retry':
        case 'failed':
          return move({ status: 'missed', reason: 'settings-changed' }, ['nextAttemptAt']);
        case 'in-doubt':
          return move({ status: 'unconfirmed', reason: 'settings-changed' }, ['nextAttemptAt']);
        default:
          return IGNORE;
      }
  }
}

type ClosedTarget = { status: DeliveryStatus; reason?: FailureReason };

function scheduleRetry(
  record: DeliveryRecord,
  reason: FailureReason,
  detail: string,
  now: Date,
  maybeDelivered: boolean,
): Partial<DeliveryRecord> {
  const inDoubtSince =
    record.inDoubtSince ?? (maybeDelivered ? (record.claimedAt ?? now) : undefined);
  return {
    // Once in doubt, always in doubt: a later clean failure says nothing about the earlier attempt.
    status: inDoubtSince ? 'in-doubt' : 'retry',
    reason,
    detail,
    nextAttemptAt: new Date(now.getTime() + computeRetryDelay(record.attempts)),
    ...(inDoubtSince ? { inDoubtSince } : {}),
  };
}

function update(
  record: DeliveryRecord,
  patch: Partial<DeliveryRecord>,
  drop: ReadonlyArray<keyof DeliveryRecord>,
): DeliveryRecord {
  const next = { ...record, ...patch } as Record<string, unknown>;
  for (const key of drop) delete next[key];
  return next as unknown as DeliveryRecord;
}
