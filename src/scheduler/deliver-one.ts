import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Content } from '../domain/content.js';
import {
  applyDeliveryEvent,
  checkFrom,
  chooseAttempt,
  type DeliveryEvent,
  isCoveredByNonce,
} from '../domain/delivery-lifecycle.js';
import { addDeliveryMarker, formatDeliveryMarker } from '../domain/delivery-marker.js';
import {
  type DeliveryKey,
  type DeliveryRecord,
  type DeliveryStatus,
  formatDeliveryKey,
} from '../domain/delivery-record.js';
import { formatForumPostTitle } from '../domain/forum-post-title.js';
import { choosePostLanguage, type GuildSettings } from '../domain/guild-settings.js';
import { planFollowUps } from '../domain/post-follow-ups.js';
import { type PostRequest, renderPost } from '../domain/render-post.js';
import type { DeliveryRepository, DispatcherFence } from '../storage/delivery-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import {
  FORUM_CHECK_REQUESTS,
  HISTORY_CHECK_REQUESTS,
  type Publisher,
  type PublishResult,
} from './publisher.js';

export interface DeliverDeps {
  content: Content;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
  bootId: string;
  /** Waits for room under Discord's global limit for this many requests. */
  pace: (requests: number) => Promise<void>;
  /** The dispatcher's fencing epoch, carried by its claims and outcomes (Postgres). */
  fence?: DispatcherFence | undefined;
  /** Checks, just before a send, that this process is still the dispatcher. */
  confirmDispatcher?: () => Promise<boolean>;
  /** Aborted when this process stops being the dispatcher. */
  signal?: AbortSignal;
}

/** Where one delivery ended up after this attempt; 'skipped' when another claim got there first. */
export type DeliveryOutcome = DeliveryStatus | 'removed' | 'skipped';

/**
 * Claims one due delivery, attempts it, and records the outcome, every step through the
 * lifecycle module. Whatever happens inside, the claim does not stay `sending`: an exception is
 * recorded as a retry (in doubt if the request may have gone out).
 */
export async function deliverOne(deps: DeliverDeps, key: DeliveryKey): Promise<DeliveryOutcome> {
  const { deliveries, settings, clock } = deps;
  await deps.pace(1);
  const record = await deliveries.find(key);
  if (!record) return 'skipped';
  const guild = await settings.find(key.guildId);
  if (!guild?.channelId || guild.disabledObservances.includes(key.observanceId)) {
    // The admin stopped posting or switched this off after the rows were read.
    return store(deps, record, { type: 'withdrawn' });
  }
  const claim = applyDeliveryEvent(
    record,
    {
      type: 'claim',
      bootId: deps.bootId,
      channelId: guild.channelId,
      settingsVersion: guild.version,
    },
    clock.now(),
  );
  if (claim.kind !== 'move' || !(await deliveries.save(claim.record, record, deps.fence)))
    return 'skipped';
  const claimed = claim.record;
  const channelId = guild.channelId;

  let sendStarted = false;
  let event: DeliveryEvent;
  try {
    event = await attempt(deps, record, claimed, { ...guild, channelId }, () => {
      sendStarted = true;
    });
    // A sent post's follow-ups (publishing, its thread) are saved with its sent state.
    return await store(deps, claimed, event, (next) => planFollowUps(next, guild, clock.now()));
  } catch (error) {
    if (error instanceof SupersededError) return 'skipped';
    deps.logger.error({ err: error, delivery: formatDeliveryKey(key) }, 'delivery crashed');
    return store(deps, claimed, {
      type: 'crashed',
      detail: error instanceof Error ? error.message : String(error),
      sendStarted,
    });
  }
}

async function attempt(
  deps: DeliverDeps,
  before: DeliveryRecord,
  claimed: DeliveryRecord,
  guild: GuildSettings & { channelId: string },
  markSendStarted: () => void,
): Promise<DeliveryEvent> {
  const marker = formatDeliveryMarker(claimed.nonce);
  const { content } = deps;
  const forum = guild.channelKind === 'forum';
  const request: PostRequest = {
    observanceId: claimed.observanceId,
    kind: claimed.kind,
    locale: choosePostLanguage(guild, content.locales),
    year: claimed.year,
    ...(claimed.momentId ? { momentId: claimed.momentId } : {}),
  };
  const title = forum ? formatForumPostTitle(content, request) : undefined;
  const covered = isCoveredByNonce(before.channelId, {
    id: guild.channelId,
    kind: guild.channelKind,
  });
  if (chooseAttempt(claimed, claimed.claimedAt ?? deps.clock.now(), covered) === 'check-first') {
    await deps.pace(forum ? FORUM_CHECK_REQUESTS : HISTORY_CHECK_REQUESTS);
    // Where the attempt in doubt went, even if the admin has picked another channel since.
    const channelId = before.channelId ?? guild.channelId;
    const check = await deps.publisher.findPosted({
      guildId: guild.guildId,
      channelId,
      marker,
      after: checkFrom(claimed),
      ...(channelId === guild.channelId && title !== undefined ? { title } : {}),
    });
    switch (check.outcome) {
      case 'found':
        return { type: 'found', messageId: check.messageId };
      case 'unreadable':
        return { type: 'history-unreadable', detail: check.detail };
      case 'failed':
        return { type: 'in-doubt', detail: check.detail };
      case 'absent':
        break;
    }
  }
  const payload = renderPost(content, request, {
    ...(guild.roleId ? { roleId: guild.roleId } : {}),
    silent: guild.silent,
    ...(claimed.late ? { lateFor: claimed.scheduledAt } : {}),
  });
  // A dispatcher paused since its claim may have been replaced: the claim is its successor's now.
  if (deps.confirmDispatcher && !(await deps.confirmDispatcher())) throw new SupersededError();
  markSendStarted();
  const marked = addDeliveryMarker(payload, marker);
  // A forum post carries no nonce: a repeat is safe only after the search above said "absent".
  const result =
    title !== undefined
      ? await deps.publisher.startForumPost(
          { forumId: guild.channelId, title, payload: marked, tagId: guild.forumTagId },
          deps.signal,
        )
      : await deps.publisher.publish(guild.channelId, marked, claimed.nonce, deps.signal);
  return toEvent(result);
}

function toEvent(result: PublishResult): DeliveryEvent {
  if (result.ok) return { type: 'sent', messageId: result.messageId };
  if (result.reason === 'message-deleted') return { type: 'deleted', detail: result.detail };
  if (!result.retry) return { type: 'refused', reason: result.reason, detail: result.detail };
  return result.maybeDelivered
    ? { type: 'in-doubt', detail: result.detail }
    : { type: 'transient', detail: result.detail };
}

/** Thrown when a successor took over between this process's claim and its send. */
class SupersededError extends Error {}

/** Applies the event and stores the result if the row is still as read. */
async function store(
  deps: DeliverDeps,
  record: DeliveryRecord,
  event: DeliveryEvent,
  addFollowUps: (next: DeliveryRecord) => DeliveryRecord = (next) => next,
): Promise<DeliveryOutcome> {
  const transition = applyDeliveryEvent(record, event, deps.clock.now());
  const delivery = formatDeliveryKey(record);
  switch (transition.kind) {
    case 'ignore':
      return 'skipped';
    case 'remove':
      return (await deps.deliveries.remove(record, record)) ? 'removed' : 'skipped';
    case 'move': {
      const next = addFollowUps(transition.record);
      if (!(await deps.deliveries.save(next, record, deps.fence))) return 'skipped';
      const fields = {
        delivery,
        status: next.status,
        ...(next.messageId ? { messageId: next.messageId } : {}),
        ...(next.detail ? { detail: next.detail } : {}),
        ...(next.nextAttemptAt ? { nextAttemptAt: next.nextAttemptAt } : {}),
      };
      if (next.status === 'sent') deps.logger.debug(fields, 'sent');
      else if (next.status === 'unconfirmed' || next.status === 'failed')
        deps.logger.warn(fields, 'not sent; the admin can see why in /commemoration status');
      else deps.logger.warn(fields, `delivery is now ${next.status}`);
      return next.status;
    }
  }
}
