import type { DeliveryRecord } from '../../../domain/delivery-record.js';
import { fillTemplate } from '../../../domain/fill-template.js';
import type { FollowUpReason } from '../../../domain/post-follow-ups.js';
import type { CommandContext } from '../../command-context.js';
import { formatDiscordTimestamp } from '../../discord-timestamp.js';

type PublishingStrings = CommandContext['strings']['publishing'];

/**
 * What became of a sent post's publishing and thread, for `/commemoration status`: "published",
 * "to be published in 40 minutes", "not published: <why and what to do>", "thread #…".
 * Empty for a post with neither.
 */
export function describeFollowUps(ctx: CommandContext, record: DeliveryRecord): string[] {
  const p = ctx.strings.publishing;
  const parts: string[] = [];
  const { publish, thread } = record;
  if (publish) {
    const when = publish.nextAt ? formatDiscordTimestamp(publish.nextAt, 'R') : '';
    const detail = publish.detail ?? '';
    if (publish.state === 'published') parts.push(p.published);
    else if (publish.state === 'failed') {
      parts.push(
        fillTemplate(p.publishFailed, { reason: explain(p, publish.reason, detail, 'publish') }),
      );
    } else if (publish.reason === 'rate-limited')
      parts.push(fillTemplate(p.publishWaiting, { when }));
    else if (publish.reason === 'transient')
      parts.push(fillTemplate(p.publishRetrying, { when, detail }));
    else parts.push(p.publishPending);
  }
  if (thread) {
    const when = thread.nextAt ? formatDiscordTimestamp(thread.nextAt, 'R') : '';
    const detail = thread.detail ?? '';
    if (thread.state === 'started' && thread.threadId) {
      parts.push(fillTemplate(p.thread, { thread: `<#${thread.threadId}>` }));
    } else if (thread.state === 'failed') {
      parts.push(
        fillTemplate(p.threadFailed, { reason: explain(p, thread.reason, detail, 'thread') }),
      );
    } else if (thread.reason === 'transient' || thread.reason === 'rate-limited')
      parts.push(fillTemplate(p.threadRetrying, { when, detail }));
    else parts.push(p.threadPending);
  }
  return parts;
}

/** Whether a step of this post failed: the admin has something to do. */
export function hasFailedFollowUp(record: DeliveryRecord): boolean {
  return record.publish?.state === 'failed' || record.thread?.state === 'failed';
}

function explain(
  p: PublishingStrings,
  reason: FollowUpReason | undefined,
  detail: string,
  step: 'publish' | 'thread',
): string {
  switch (reason) {
    case 'missing-permissions':
      return step === 'publish' ? p.reasonPublishPermissions : p.reasonThreadPermissions;
    case 'not-announcement':
      return p.reasonNotAnnouncement;
    case 'wrong-channel':
      return p.reasonWrongChannel;
    case 'message-deleted':
      return p.reasonMessageDeleted;
    case 'unknown-channel':
      return p.reasonUnknownChannel;
    case 'expired':
      return fillTemplate(p.reasonExpired, { detail });
    default:
      return fillTemplate(p.reasonRejected, { detail });
  }
}
