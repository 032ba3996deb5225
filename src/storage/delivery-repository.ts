import {
  DUE_STATES,
  FINAL_STATES,
  ON_WINDOW_CLOSED,
  SENDING_LEASE_MS,
} from '../domain/delivery-lifecycle.js';
import type {
  DeliveryKey,
  DeliveryRecord,
  DeliveryStatus,
  FailureReason,
} from '../domain/delivery-record.js';
import type { PostKind } from '../domain/observance.js';
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

type KeyRow = Pick<Row, 'guild_id' | 'observance_id' | 'kind' | 'moment_id' | 'year'>;

/** A post that a server will be owed: written as a `planned` row ahead of its time. */
export interface PlannedDelivery extends DeliveryKey {
  scheduledAt: Date;
  closesAt: Date;
  nonce: string;
}

const KEY_WHERE = 'guild_id = ? AND observance_id = ? AND kind = ? AND moment_id = ? AND year = ?';

function keyParams(key: DeliveryKey): [string, string, string, string, number] {
  return [key.guildId, key.observanceId, key.kind, key.momentId, key.year];
}

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** `status = CASE …` for closing windows, written from the lifecycle's own table. */
function windowClosedSql(): string {
  const entries = Object.entries(ON_WINDOW_CLOSED) as Array<
    [DeliveryStatus, { status: DeliveryStatus; reason?: FailureReason }]
  >;
  const statusCases = entries.map(([from, to]) => `WHEN '${from}' THEN '${to.status}'`).join(' ');
  const reasonCases = entries
    .map(([from, to]) => `WHEN '${from}' THEN COALESCE(reason, '${to.reason ?? 'offline'}')`)
    .join(' ');
  return `UPDATE deliveries SET status = CASE status ${statusCases} END,
      reason = CASE status ${reasonCases} END, next_attempt_at = NULL, updated_at = ?
    WHERE status IN (${sqlList(entries.map(([from]) => from))}) AND closes_at <= ?`;
}

/**
 * The deliveries table: the queue of due work and the record of every post. It stores and loads;
 * every decision about states is the lifecycle module's (`src/domain/delivery-lifecycle.ts`).
 */
export class DeliveryRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      one: db.prepare<[string, string, string, string, number], Row>(
        `SELECT * FROM deliveries WHERE ${KEY_WHERE}`,
      ),
      insertPlanned: db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id,
          year, status, scheduled_at, closes_at, nonce, next_attempt_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      save: db.prepare(`UPDATE deliveries SET status = @status, channel_id = @channel_id,
          attempts = @attempts, late = @late, message_id = @message_id, reason = @reason,
          detail = @detail, settings_version = @settings_version, claimed_by = @claimed_by,
          claimed_at = @claimed_at, in_doubt_since = @in_doubt_since,
          next_attempt_at = @next_attempt_at, updated_at = @updated_at
        WHERE guild_id = @guild_id AND observance_id = @observance_id AND kind = @kind
          AND moment_id = @moment_id AND year = @year
          AND status = @expected_status AND attempts = @expected_attempts`),
      remove: db.prepare(
        `DELETE FROM deliveries WHERE ${KEY_WHERE} AND status = ? AND attempts = ?`,
      ),
      due: db.prepare<[number, number, number], Row>(
        `SELECT * FROM deliveries WHERE status IN (${sqlList(DUE_STATES)})
          AND next_attempt_at <= ? AND closes_at > ? ORDER BY next_attempt_at, guild_id LIMIT ?`,
      ),
      dueKeys: db.prepare<[number, number], KeyRow>(
        `SELECT guild_id, observance_id, kind, moment_id, year FROM deliveries
          WHERE status IN (${sqlList(DUE_STATES)}) AND next_attempt_at <= ? AND closes_at > ?
          ORDER BY next_attempt_at, guild_id`,
      ),
      closeWindows: db.prepare(windowClosedSql()),
      expireClaims: db.prepare(`UPDATE deliveries SET status = 'in-doubt',
          in_doubt_since = COALESCE(in_doubt_since, claimed_at), reason = COALESCE(reason, 'interrupted'),
          next_attempt_at = ?, updated_at = ?
        WHERE status = 'sending' AND (claimed_by IS NOT ? OR claimed_at <= ?)`),
      unsettledForGuild: db.prepare<[string], Row>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status NOT IN (${sqlList(FINAL_STATES)})`,
      ),
      plannedForGuild: db.prepare<[string, number, number], Row>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status = 'planned' AND closes_at > ?
          ORDER BY scheduled_at, observance_id LIMIT ?`,
      ),
      forGuild: db.prepare<[string, number], Row>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status != 'planned'
          ORDER BY updated_at DESC, scheduled_at DESC LIMIT ?`,
      ),
      counts: db.prepare<[], { status: string; count: number }>(
        'SELECT status, COUNT(*) AS count FROM deliveries GROUP BY status',
      ),
      changedGuilds: db
        .prepare<[], string>(
          `SELECT g.guild_id FROM guild_settings g LEFT JOIN delivery_plans p USING (guild_id)
            WHERE p.settings_version IS NOT g.version ORDER BY g.guild_id`,
        )
        .pluck(),
      markPlanned: db.prepare(`INSERT INTO delivery_plans (guild_id, settings_version) VALUES (?, ?)
        ON CONFLICT (guild_id) DO UPDATE SET settings_version = excluded.settings_version`),
    };
  }

  find(key: DeliveryKey): DeliveryRecord | undefined {
    const row = this.statements.one.get(...keyParams(key));
    return row && fromRow(row);
  }

  /**
   * Writes planned rows; rows that already exist (in any state) are kept. Callers writing many
   * run it inside `transaction`.
   */
  insertPlanned(rows: readonly PlannedDelivery[], now: Date): number {
    let inserted = 0;
    for (const row of rows) {
      inserted += this.statements.insertPlanned.run(
        ...keyParams(row),
        row.scheduledAt.getTime(),
        row.closesAt.getTime(),
        row.nonce,
        row.scheduledAt.getTime(),
        now.getTime(),
      ).changes;
    }
    return inserted;
  }

  /**
   * Stores the lifecycle's next record, only if the row is still as the caller read it (same
   * status and attempts): of two processes claiming one delivery, exactly one wins.
   */
  save(next: DeliveryRecord, expected: Pick<DeliveryRecord, 'status' | 'attempts'>): boolean {
    return (
      this.statements.save.run({
        ...toRow(next),
        expected_status: expected.status,
        expected_attempts: expected.attempts,
      }).changes === 1
    );
  }

  /** Drops a row that was only planned, if it is still as the caller read it. */
  remove(key: DeliveryKey, expected: Pick<DeliveryRecord, 'status' | 'attempts'>): boolean {
    return (
      this.statements.remove.run(...keyParams(key), expected.status, expected.attempts).changes ===
      1
    );
  }

  /** Deliveries whose next attempt has come while their window is open, oldest first. */
  listDue(now: Date, limit: number): DeliveryRecord[] {
    return this.statements.due.all(now.getTime(), now.getTime(), limit).map(fromRow);
  }

  /** The keys alone of every due delivery: a fan-out to 10,000 servers queues 10,000 of them. */
  listDueKeys(now: Date): DeliveryKey[] {
    return this.statements.dueKeys.all(now.getTime(), now.getTime()).map((row) => ({
      guildId: row.guild_id,
      observanceId: row.observance_id,
      kind: row.kind as PostKind,
      momentId: row.moment_id,
      year: row.year,
    }));
  }

  /** Every delivery whose window has closed while it waited, settled in one statement. */
  closeWindows(now: Date): number {
    return this.statements.closeWindows.run(now.getTime(), now.getTime()).changes;
  }

  /**
   * Claims that can no longer be in flight become in doubt, due at once: those of an earlier
   * process (any age), and this process's own past the lease (an error escaped the recording).
   */
  expireClaims(bootId: string, now: Date): number {
    return this.statements.expireClaims.run(
      now.getTime(),
      now.getTime(),
      bootId,
      now.getTime() - SENDING_LEASE_MS,
    ).changes;
  }

  /** A server's deliveries that are not final: what a settings change may affect. */
  listUnsettledForGuild(guildId: string): DeliveryRecord[] {
    return this.statements.unsettledForGuild.all(guildId).map(fromRow);
  }

  /** A server's next planned posts, in time order. */
  listPlanned(guildId: string, now: Date, limit: number): DeliveryRecord[] {
    return this.statements.plannedForGuild.all(guildId, now.getTime(), limit).map(fromRow);
  }

  /** A server's deliveries that have been attempted or settled, the latest change first. */
  listForGuild(guildId: string, limit: number): DeliveryRecord[] {
    return this.statements.forGuild.all(guildId, limit).map(fromRow);
  }

  countByStatus(): Record<string, number> {
    return Object.fromEntries(this.statements.counts.all().map((row) => [row.status, row.count]));
  }

  /** Servers whose settings changed since their rows were planned (or that were never planned). */
  listGuildsToPlan(): string[] {
    return this.statements.changedGuilds.all();
  }

  recordPlanned(guildId: string, settingsVersion: number): void {
    this.statements.markPlanned.run(guildId, settingsVersion);
  }

  transaction<T>(run: () => T): T {
    return this.db.transaction(run)();
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

function toRow(record: DeliveryRecord): Row {
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
  };
}
