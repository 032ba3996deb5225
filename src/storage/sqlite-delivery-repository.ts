import { DUE_STATES, FINAL_STATES, SENDING_LEASE_MS } from '../domain/delivery-lifecycle.js';
import type { DeliveryKey, DeliveryRecord } from '../domain/delivery-record.js';
import type {
  DeliveryRepository,
  ExpectedFollowUps,
  ExpectedRow,
  GuildPlanWrite,
  PlannedDelivery,
} from './delivery-repository.js';
import {
  type DeliveryKeyRow,
  type DeliveryRow,
  fromDeliveryRow,
  fromKeyRow,
  sqlList,
  toDeliveryRow,
  toFollowUpRow,
  toKeyParams,
  writeDueFollowUpsWhere,
  writeWindowClosedSql,
} from './delivery-rows.js';
import type { Db } from './open-database.js';

const KEY_WHERE = 'guild_id = ? AND observance_id = ? AND kind = ? AND moment_id = ? AND year = ?';
const KEY_NAMED = `guild_id = @guild_id AND observance_id = @observance_id AND kind = @kind
  AND moment_id = @moment_id AND year = @year`;
const FOLLOW_UP_SET = `publish_state = @publish_state, publish_reason = @publish_reason,
  publish_detail = @publish_detail, publish_next_at = @publish_next_at,
  thread_state = @thread_state, thread_reason = @thread_reason, thread_detail = @thread_detail,
  thread_next_at = @thread_next_at, thread_id = @thread_id`;

/**
 * The deliveries table in SQLite. One process owns the file, so it is always the dispatcher and
 * a fence has nothing to check. better-sqlite3 is synchronous; the methods are async only to
 * share the interface with Postgres.
 */
function toKeyRow(key: DeliveryKey) {
  return {
    guild_id: key.guildId,
    observance_id: key.observanceId,
    kind: key.kind,
    moment_id: key.momentId,
    year: key.year,
  };
}

export class SqliteDeliveryRepository implements DeliveryRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      one: db.prepare<[string, string, string, string, number], DeliveryRow>(
        `SELECT * FROM deliveries WHERE ${KEY_WHERE}`,
      ),
      insertPlanned: db.prepare(`INSERT INTO deliveries (guild_id, observance_id, kind, moment_id,
          year, status, scheduled_at, closes_at, nonce, next_attempt_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      save: db.prepare(`UPDATE deliveries SET status = @status, channel_id = @channel_id,
          attempts = @attempts, late = @late, message_id = @message_id, reason = @reason,
          detail = @detail, settings_version = @settings_version, claimed_by = @claimed_by,
          claimed_at = @claimed_at, in_doubt_since = @in_doubt_since,
          next_attempt_at = @next_attempt_at, updated_at = @updated_at,
          ${FOLLOW_UP_SET}
        WHERE guild_id = @guild_id AND observance_id = @observance_id AND kind = @kind
          AND moment_id = @moment_id AND year = @year
          AND status = @expected_status AND attempts = @expected_attempts`),
      remove: db.prepare(
        `DELETE FROM deliveries WHERE ${KEY_WHERE} AND status = ? AND attempts = ?`,
      ),
      due: db.prepare<[number, number, number], DeliveryRow>(
        `SELECT * FROM deliveries WHERE status IN (${sqlList(DUE_STATES)})
          AND next_attempt_at <= ? AND closes_at > ? ORDER BY next_attempt_at, guild_id LIMIT ?`,
      ),
      dueKeys: db.prepare<[number, number], DeliveryKeyRow>(
        `SELECT guild_id, observance_id, kind, moment_id, year FROM deliveries
          WHERE status IN (${sqlList(DUE_STATES)}) AND next_attempt_at <= ? AND closes_at > ?
          ORDER BY next_attempt_at, guild_id`,
      ),
      closeWindows: db.prepare(writeWindowClosedSql('@now')),
      expireClaims: db.prepare(`UPDATE deliveries SET status = 'in-doubt',
          in_doubt_since = COALESCE(in_doubt_since, claimed_at), reason = COALESCE(reason, 'interrupted'),
          next_attempt_at = ?, updated_at = ?
        WHERE status = 'sending' AND (claimed_by IS NOT ? OR claimed_at <= ?)`),
      unsettledForGuild: db.prepare<[string], DeliveryRow>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status NOT IN (${sqlList(FINAL_STATES)})`,
      ),
      plannedForGuild: db.prepare<[string, number, number], DeliveryRow>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status = 'planned' AND closes_at > ?
          ORDER BY scheduled_at, observance_id LIMIT ?`,
      ),
      forGuild: db.prepare<[string, number], DeliveryRow>(
        `SELECT * FROM deliveries WHERE guild_id = ? AND status != 'planned'
          ORDER BY updated_at DESC, scheduled_at DESC LIMIT ?`,
      ),
      dueFollowUps: db.prepare<[{ now: number; limit: number }], DeliveryRow>(
        `SELECT * FROM deliveries WHERE ${writeDueFollowUpsWhere('@now')}
          ORDER BY updated_at, guild_id LIMIT @limit`,
      ),
      saveFollowUps: db.prepare(`UPDATE deliveries SET ${FOLLOW_UP_SET}
        WHERE ${KEY_NAMED} AND status = 'sent'
          AND publish_state IS @expected_publish_state
          AND publish_next_at IS @expected_publish_next_at
          AND thread_state IS @expected_thread_state AND thread_next_at IS @expected_thread_next_at`),
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

  async find(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const row = this.statements.one.get(...toKeyParams(key));
    return row && fromDeliveryRow(row);
  }

  async insertPlanned(rows: readonly PlannedDelivery[], now: Date): Promise<number> {
    return this.db.transaction(() => this.insertRows(rows, now))();
  }

  async save(next: DeliveryRecord, expected: ExpectedRow): Promise<boolean> {
    return this.saveRow(next, expected);
  }

  async remove(key: DeliveryKey, expected: ExpectedRow): Promise<boolean> {
    return this.removeRow(key, expected);
  }

  async writePlans(plans: readonly GuildPlanWrite[], now: Date): Promise<number> {
    return this.db.transaction(() => {
      let inserted = 0;
      for (const plan of plans) {
        for (const record of plan.remove) this.removeRow(record, record);
        for (const { next, expected } of plan.save) this.saveRow(next, expected);
        inserted += this.insertRows(plan.insert, now);
        if (plan.settingsVersion !== undefined)
          this.statements.markPlanned.run(plan.guildId, plan.settingsVersion);
      }
      return inserted;
    })();
  }

  async listDue(now: Date, limit: number): Promise<DeliveryRecord[]> {
    return this.statements.due.all(now.getTime(), now.getTime(), limit).map(fromDeliveryRow);
  }

  async listDueKeys(now: Date): Promise<DeliveryKey[]> {
    return this.statements.dueKeys.all(now.getTime(), now.getTime()).map(fromKeyRow);
  }

  async closeWindows(now: Date): Promise<number> {
    return this.statements.closeWindows.run({ now: now.getTime() }).changes;
  }

  async expireClaims(bootId: string, now: Date): Promise<number> {
    return this.statements.expireClaims.run(
      now.getTime(),
      now.getTime(),
      bootId,
      now.getTime() - SENDING_LEASE_MS,
    ).changes;
  }

  async listUnsettledForGuild(guildId: string): Promise<DeliveryRecord[]> {
    return this.statements.unsettledForGuild.all(guildId).map(fromDeliveryRow);
  }

  async listPlanned(guildId: string, now: Date, limit: number): Promise<DeliveryRecord[]> {
    return this.statements.plannedForGuild.all(guildId, now.getTime(), limit).map(fromDeliveryRow);
  }

  async listForGuild(guildId: string, limit: number): Promise<DeliveryRecord[]> {
    return this.statements.forGuild.all(guildId, limit).map(fromDeliveryRow);
  }

  async countByStatus(): Promise<Record<string, number>> {
    return Object.fromEntries(this.statements.counts.all().map((row) => [row.status, row.count]));
  }

  async listDueFollowUps(now: Date, limit: number): Promise<DeliveryRecord[]> {
    return this.statements.dueFollowUps.all({ now: now.getTime(), limit }).map(fromDeliveryRow);
  }

  async saveFollowUps(next: DeliveryRecord, expected: ExpectedFollowUps): Promise<boolean> {
    const before = toFollowUpRow(expected);
    return (
      this.statements.saveFollowUps.run({
        ...toKeyRow(next),
        ...toFollowUpRow(next),
        expected_publish_state: before.publish_state,
        expected_publish_next_at: before.publish_next_at,
        expected_thread_state: before.thread_state,
        expected_thread_next_at: before.thread_next_at,
      }).changes === 1
    );
  }

  async listGuildsToPlan(): Promise<string[]> {
    return this.statements.changedGuilds.all();
  }

  private insertRows(rows: readonly PlannedDelivery[], now: Date): number {
    let inserted = 0;
    for (const row of rows) {
      inserted += this.statements.insertPlanned.run(
        ...toKeyParams(row),
        row.scheduledAt.getTime(),
        row.closesAt.getTime(),
        row.nonce,
        row.scheduledAt.getTime(),
        now.getTime(),
      ).changes;
    }
    return inserted;
  }

  private saveRow(next: DeliveryRecord, expected: ExpectedRow): boolean {
    return (
      this.statements.save.run({
        ...toDeliveryRow(next),
        expected_status: expected.status,
        expected_attempts: expected.attempts,
      }).changes === 1
    );
  }

  private removeRow(key: DeliveryKey, expected: ExpectedRow): boolean {
    return (
      this.statements.remove.run(...toKeyParams(key), expected.status, expected.attempts)
        .changes === 1
    );
  }
}
