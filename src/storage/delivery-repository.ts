import type { PostKind } from '../domain/observance.js';
import type {
  DeliveryKey,
  DeliveryRecord,
  DeliveryStatus,
  FailureReason,
} from './delivery-record.js';
import type { Db } from './open-database.js';

interface Row {
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
}

export interface ClaimRequest {
  key: DeliveryKey;
  /** The state the caller decided on; the claim fails if another claim got there first. */
  expected: Pick<DeliveryRecord, 'status' | 'attempts'> | undefined;
  channelId: string;
  scheduledAt: Date;
  closesAt: Date;
  nonce: string;
  late: boolean;
  settingsVersion: number;
  bootId: string;
  now: Date;
}

export interface MissedRequest {
  key: DeliveryKey;
  scheduledAt: Date;
  closesAt: Date;
  nonce: string;
  reason: FailureReason;
  detail?: string;
  now: Date;
}

const KEY_WHERE = 'guild_id = ? AND observance_id = ? AND kind = ? AND moment_id = ? AND year = ?';

function keyParams(key: DeliveryKey): [string, string, string, string, number] {
  return [key.guildId, key.observanceId, key.kind, key.momentId, key.year];
}

/** The record of every delivery: what was claimed, sent, retried, refused or missed, and why. */
export class DeliveryRepository {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      one: db.prepare<[string, string, string, string, number], Row>(
        `SELECT * FROM deliveries WHERE ${KEY_WHERE}`,
      ),
      settledInSlot: db
        .prepare<[string, string, string, number], string>(
          `SELECT guild_id FROM deliveries WHERE observance_id = ? AND kind = ? AND moment_id = ? AND year = ?
            AND status IN ('sent', 'missed', 'unconfirmed')`,
        )
        .pluck(),
      openInSlot: db.prepare<[string, string, string, number], Row>(
        `SELECT * FROM deliveries WHERE observance_id = ? AND kind = ? AND moment_id = ? AND year = ?
          AND status NOT IN ('sent', 'missed', 'unconfirmed')`,
      ),
      insertClaim:
        db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year,
          status, channel_id, scheduled_at, closes_at, nonce, attempts, late, settings_version,
          claimed_by, claimed_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING`),
      updateClaim:
        db.prepare(`UPDATE deliveries SET status = 'sending', channel_id = ?, attempts = attempts + 1,
          settings_version = ?, claimed_by = ?, claimed_at = ?, next_attempt_at = NULL, updated_at = ?
        WHERE ${KEY_WHERE} AND status = ? AND attempts = ?`),
      sent: db.prepare(`UPDATE deliveries SET status = 'sent', message_id = ?, reason = NULL, detail = NULL,
          next_attempt_at = NULL, updated_at = ? WHERE ${KEY_WHERE}`),
      retry:
        db.prepare(`UPDATE deliveries SET status = 'retry', reason = ?, detail = ?, next_attempt_at = ?,
          in_doubt_since = COALESCE(in_doubt_since, ?), updated_at = ? WHERE ${KEY_WHERE}`),
      failed:
        db.prepare(`UPDATE deliveries SET status = 'failed', reason = ?, detail = ?, next_attempt_at = NULL,
          updated_at = ? WHERE ${KEY_WHERE}`),
      unconfirmed: db.prepare(`UPDATE deliveries SET status = 'unconfirmed', reason = 'interrupted',
          next_attempt_at = NULL, updated_at = ? WHERE ${KEY_WHERE}`),
      insertMissed:
        db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year,
          status, scheduled_at, closes_at, nonce, reason, detail, updated_at)
        VALUES (?, ?, ?, ?, ?, 'missed', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      orphans:
        db.prepare(`UPDATE deliveries SET status = 'retry', in_doubt_since = COALESCE(in_doubt_since, claimed_at),
          reason = COALESCE(reason, 'interrupted'), next_attempt_at = ?, updated_at = ?
        WHERE status = 'sending' AND (claimed_by IS NULL OR claimed_by != ?)`),
      expire:
        db.prepare(`UPDATE deliveries SET status = 'missed', next_attempt_at = NULL, updated_at = ?
        WHERE status IN ('retry', 'failed') AND closes_at <= ?`),
      forGuild: db.prepare<[string, number], Row>(
        'SELECT * FROM deliveries WHERE guild_id = ? ORDER BY updated_at DESC, scheduled_at DESC LIMIT ?',
      ),
      counts: db.prepare<[], { status: string; count: number }>(
        'SELECT status, COUNT(*) AS count FROM deliveries GROUP BY status',
      ),
    };
  }

  find(key: DeliveryKey): DeliveryRecord | undefined {
    const row = this.statements.one.get(...keyParams(key));
    return row && fromRow(row);
  }

  /**
   * Every server's record of one post (one observance, kind, moment and year): the servers where
   * it is settled for good (sent, missed, unconfirmed), by id alone, since on a busy day most are,
   * and the full records of the rest.
   */
  listForSlot(slot: Omit<DeliveryKey, 'guildId'>): {
    settled: Set<string>;
    open: Map<string, DeliveryRecord>;
  } {
    const params = [slot.observanceId, slot.kind, slot.momentId, slot.year] as const;
    const open = this.statements.openInSlot.all(...params);
    return {
      settled: new Set(this.statements.settledInSlot.all(...params)),
      open: new Map(open.map((row) => [row.guild_id, fromRow(row)])),
    };
  }

  /**
   * Marks the delivery as being sent, atomically: true only for the one caller whose view of the
   * record was current. A send happens only after a successful claim.
   */
  claim(request: ClaimRequest): boolean {
    const { key, expected } = request;
    const now = request.now.getTime();
    if (!expected) {
      return (
        this.statements.insertClaim.run(
          ...keyParams(key),
          request.channelId,
          request.scheduledAt.getTime(),
          request.closesAt.getTime(),
          request.nonce,
          request.late ? 1 : 0,
          request.settingsVersion,
          request.bootId,
          now,
          now,
        ).changes === 1
      );
    }
    return (
      this.statements.updateClaim.run(
        request.channelId,
        request.settingsVersion,
        request.bootId,
        now,
        now,
        ...keyParams(key),
        expected.status,
        expected.attempts,
      ).changes === 1
    );
  }

  markSent(key: DeliveryKey, messageId: string | null, now: Date): void {
    this.statements.sent.run(messageId, now.getTime(), ...keyParams(key));
  }

  markRetry(
    key: DeliveryKey,
    failure: { reason: FailureReason; detail: string; nextAttemptAt: Date; inDoubtSince?: Date },
    now: Date,
  ): void {
    this.statements.retry.run(
      failure.reason,
      failure.detail,
      failure.nextAttemptAt.getTime(),
      failure.inDoubtSince?.getTime() ?? null,
      now.getTime(),
      ...keyParams(key),
    );
  }

  markFailed(
    key: DeliveryKey,
    failure: { reason: FailureReason; detail: string },
    now: Date,
  ): void {
    this.statements.failed.run(failure.reason, failure.detail, now.getTime(), ...keyParams(key));
  }

  markUnconfirmed(key: DeliveryKey, now: Date): void {
    this.statements.unconfirmed.run(now.getTime(), ...keyParams(key));
  }

  /** Records a delivery whose window closed before it could be sent; never overwrites a record. */
  insertMissed(request: MissedRequest): void {
    this.statements.insertMissed.run(
      ...keyParams(request.key),
      request.scheduledAt.getTime(),
      request.closesAt.getTime(),
      request.nonce,
      request.reason,
      request.detail ?? null,
      request.now.getTime(),
    );
  }

  /**
   * At start-up: sends claimed by an earlier process may or may not have reached Discord. They are
   * retried (with the same nonce) while Discord's duplicate protection still covers them.
   */
  recoverOrphans(bootId: string, now: Date): number {
    return this.statements.orphans.run(now.getTime(), now.getTime(), bootId).changes;
  }

  /** Retries and refusals whose window has closed become missed, keeping their last reason. */
  expireClosed(now: Date): number {
    return this.statements.expire.run(now.getTime(), now.getTime()).changes;
  }

  listForGuild(guildId: string, limit: number): DeliveryRecord[] {
    return this.statements.forGuild.all(guildId, limit).map(fromRow);
  }

  countByStatus(): Record<string, number> {
    return Object.fromEntries(this.statements.counts.all().map((row) => [row.status, row.count]));
  }
}

function fromRow(row: Row): DeliveryRecord {
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
  return record;
}
