import { ON_WINDOW_CLOSED } from '../domain/delivery-lifecycle.js';
import type {
  DeliveryKey,
  DeliveryRecord,
  DeliveryStatus,
  FailureReason,
} from '../domain/delivery-record.js';
import type { PostKind } from '../domain/observance.js';
import type {
  FollowUpReason,
  PublishFollowUp,
  PublishState,
  ThreadFollowUp,
  ThreadState,
} from '../domain/post-follow-ups.js';

/**
 * A deliveries row as both stores hold it: the same columns and types (times as epoch ms,
 * booleans as 0/1), so one mapping serves SQLite and Postgres.
 */
export interface DeliveryRow {
  guild_id: string;
  observance_id: string;
  kind: string;
  moment_id: string;
  year: number;
  status: string;
  channel_id: string | null;
  scheduled_at: number;
  closes_at: number;
  nonce: string;
  attempts: number;
  late: number;
  message_id: string | null;
  reason: string | null;
  detail: string | null;
  settings_version: number | null;
  claimed_by: string | null;
  claimed_at: number | null;
  in_doubt_since: number | null;
  next_attempt_at: number | null;
  updated_at: number;
  publish_state: string | null;
  publish_reason: string | null;
  publish_detail: string | null;
  publish_next_at: number | null;
  thread_state: string | null;
  thread_reason: string | null;
  thread_detail: string | null;
  thread_next_at: number | null;
  thread_id: string | null;
}

/** The follow-up columns alone: what `saveFollowUps` writes. */
export type FollowUpRow = Pick<
  DeliveryRow,
  | 'publish_state'
  | 'publish_reason'
  | 'publish_detail'
  | 'publish_next_at'
  | 'thread_state'
  | 'thread_reason'
  | 'thread_detail'
  | 'thread_next_at'
  | 'thread_id'
>;

export type DeliveryKeyRow = Pick<
  DeliveryRow,
  'guild_id' | 'observance_id' | 'kind' | 'moment_id' | 'year'
>;

export function fromKeyRow(row: DeliveryKeyRow): DeliveryKey {
  return {
    guildId: row.guild_id,
    observanceId: row.observance_id,
    kind: row.kind as PostKind,
    momentId: row.moment_id,
    year: row.year,
  };
}

export function toKeyParams(key: DeliveryKey): [string, string, string, string, number] {
  return [key.guildId, key.observanceId, key.kind, key.momentId, key.year];
}

export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * `status = CASE …` for closing windows, written from the lifecycle's own table. `now` is the
 * placeholder for the current instant (`?` in SQLite, `$1` in Postgres).
 */
export function writeWindowClosedSql(now: string): string {
  const entries = Object.entries(ON_WINDOW_CLOSED) as Array<
    [DeliveryStatus, { status: DeliveryStatus; reason?: FailureReason }]
  >;
  const statusCases = entries.map(([from, to]) => `WHEN '${from}' THEN '${to.status}'`).join(' ');
  const reasonCases = entries
    .map(([from, to]) => `WHEN '${from}' THEN COALESCE(reason, '${to.reason ?? 'offline'}')`)
    .join(' ');
  return `UPDATE deliveries SET status = CASE status ${statusCases} END,
      reason = CASE status ${reasonCases} END, next_attempt_at = NULL, updated_at = ${now}
    WHERE status IN (${sqlList(entries.map(([from]) => from))}) AND closes_at <= ${now}`;
}

/**
 * Sent posts with a follow-up due at the placeholder `now` (`?` in SQLite, `$1` in Postgres).
 * Only sent posts carry follow-ups (`saveFollowUps` writes nowhere else), so the status is not
 * tested: each side of the OR then reads its own partial index instead of every sent row.
 */
export function writeDueFollowUpsWhere(now: string): string {
  return `((publish_state = 'pending' AND publish_next_at <= ${now})
    OR (thread_state = 'pending' AND thread_next_at <= ${now}))`;
}

export function fromDeliveryRow(row: DeliveryRow): DeliveryRecord {
  const record: DeliveryRecord = {
    guildId: row.guild_id,
    observanceId: row.observance_id,
    kind: row.kind as PostKind,
    momentId: row.moment_id,
    year: row.year,
    status: row.status as DeliveryStatus,
    scheduledAt: new Date(row.scheduled_at),
    closesAt: new Date(row.closes_at),
    nonce: row.nonce,
    attempts: row.attempts,
    late: row.late === 1,
    updatedAt: new Date(row.updated_at),
  };
  if (row.channel_id !== null) record.channelId = row.channel_id;
  if (row.message_id !== null) record.messageId = row.message_id;
  if (row.reason !== null) record.reason = row.reason as FailureReason;
  if (row.detail !== null) record.detail = row.detail;
  if (row.settings_version !== null) record.settingsVersion = row.settings_version;
  if (row.claimed_by !== null) record.claimedBy = row.claimed_by;
  if (row.claimed_at !== null) record.claimedAt = new Date(row.claimed_at);
  if (row.in_doubt_since !== null) record.inDoubtSince = new Date(row.in_doubt_since);
  if (row.next_attempt_at !== null) record.nextAttemptAt = new Date(row.next_attempt_at);
  if (row.publish_state !== null) {
    const publish: PublishFollowUp = { state: row.publish_state as PublishState };
    if (row.publish_next_at !== null) publish.nextAt = new Date(row.publish_next_at);
    if (row.publish_reason !== null) publish.reason = row.publish_reason as FollowUpReason;
    if (row.publish_detail !== null) publish.detail = row.publish_detail;
    record.publish = publish;
  }
  if (row.thread_state !== null) {
    const thread: ThreadFollowUp = { state: row.thread_state as ThreadState };
    if (row.thread_next_at !== null) thread.nextAt = new Date(row.thread_next_at);
    if (row.thread_reason !== null) thread.reason = row.thread_reason as FollowUpReason;
    if (row.thread_detail !== null) thread.detail = row.thread_detail;
    if (row.thread_id !== null) thread.threadId = row.thread_id;
    record.thread = thread;
  }
  return record;
}

export function toFollowUpRow(record: Pick<DeliveryRecord, 'publish' | 'thread'>): FollowUpRow {
  const { publish, thread } = record;
  return {
    publish_state: publish?.state ?? null,
    publish_reason: publish?.reason ?? null,
    publish_detail: publish?.detail ?? null,
    publish_next_at: publish?.nextAt?.getTime() ?? null,
    thread_state: thread?.state ?? null,
    thread_reason: thread?.reason ?? null,
    thread_detail: thread?.detail ?? null,
    thread_next_at: thread?.nextAt?.getTime() ?? null,
    thread_id: thread?.threadId ?? null,
  };
}

export function toDeliveryRow(record: DeliveryRecord): DeliveryRow {
  return {
    guild_id: record.guildId,
    observance_id: record.observanceId,
    kind: record.kind,
    moment_id: record.momentId,
    year: record.year,
    status: record.status,
    channel_id: record.channelId ?? null,
    scheduled_at: record.scheduledAt.getTime(),
    closes_at: record.closesAt.getTime(),
    nonce: record.nonce,
    attempts: record.attempts,
    late: record.late ? 1 : 0,
    message_id: record.messageId ?? null,
    reason: record.reason ?? null,
    detail: record.detail ?? null,
    settings_version: record.settingsVersion ?? null,
    claimed_by: record.claimedBy ?? null,
    claimed_at: record.claimedAt?.getTime() ?? null,
    in_doubt_since: record.inDoubtSince?.getTime() ?? null,
    next_attempt_at: record.nextAttemptAt?.getTime() ?? null,
    updated_at: record.updatedAt.getTime(),
    ...toFollowUpRow(record),
  };
}

/** The columns of a deliveries row, in table order: for copying rows between stores. */
export const DELIVERY_COLUMNS = [
  'guild_id',
  'observance_id',
  'kind',
  'moment_id',
  'year',
  'status',
  'channel_id',
  'scheduled_at',
  'closes_at',
  'nonce',
  'attempts',
  'late',
  'message_id',
  'reason',
  'detail',
  'settings_version',
  'claimed_by',
  'claimed_at',
  'in_doubt_since',
  'next_attempt_at',
  'updated_at',
  'publish_state',
  'publish_reason',
  'publish_detail',
  'publish_next_at',
  'thread_state',
  'thread_reason',
  'thread_detail',
  'thread_next_at',
  'thread_id',
] as const satisfies ReadonlyArray<keyof DeliveryRow>;
