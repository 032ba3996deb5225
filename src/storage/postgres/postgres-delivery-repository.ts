import type pg from 'pg';
import { DUE_STATES, FINAL_STATES, SENDING_LEASE_MS } from '../../domain/delivery-lifecycle.js';
import type { DeliveryKey, DeliveryRecord } from '../../domain/delivery-record.js';
import type {
  DeliveryRepository,
  DispatcherFence,
  ExpectedFollowUps,
  ExpectedRow,
  GuildPlanWrite,
  PlannedDelivery,
} from '../delivery-repository.js';
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
} from '../delivery-rows.js';
import { inTransaction, type Queryable } from './in-transaction.js';

const KEY_WHERE =
  'guild_id = $1 AND observance_id = $2 AND kind = $3 AND moment_id = $4 AND year = $5';

/**
 * A fenced write goes through only while its epoch is the newest. FOR SHARE makes a takeover
 * (which updates the lease row) wait for writes already under way, and writes after it see the
 * new epoch: no write of a replaced dispatcher lands after its successor started.
 */
const fenceSql = (epoch: string) =>
  `AND EXISTS (SELECT 1 FROM dispatcher_lease WHERE id = 1 AND epoch = ${epoch} FOR SHARE)`;

/** The follow-up columns from parameter $n on, in `toFollowUpRow`'s order. */
const followUpSet = (n: number) =>
  `publish_state = $${n}, publish_reason = $${n + 1}, publish_detail = $${n + 2},
    publish_next_at = $${n + 3}, thread_state = $${n + 4}, thread_reason = $${n + 5},
    thread_detail = $${n + 6}, thread_next_at = $${n + 7}, thread_id = $${n + 8}`;

const SAVE_SQL = `UPDATE deliveries SET status = $6, channel_id = $7, attempts = $8, late = $9,
    message_id = $10, reason = $11, detail = $12, settings_version = $13, claimed_by = $14,
    claimed_at = $15, in_doubt_since = $16, next_attempt_at = $17, updated_at = $18,
    ${followUpSet(19)}, claim_epoch = COALESCE($28::bigint, claim_epoch)
  WHERE ${KEY_WHERE} AND status = $29 AND attempts = $30`;

const SAVE_FOLLOW_UPS_SQL = `UPDATE deliveries SET ${followUpSet(6)}
  WHERE ${KEY_WHERE} AND status = 'sent'
    AND publish_state IS NOT DISTINCT FROM $15 AND publish_next_at IS NOT DISTINCT FROM $16
    AND thread_state IS NOT DISTINCT FROM $17 AND thread_next_at IS NOT DISTINCT FROM $18`;

function followUpParams(record: Pick<DeliveryRecord, 'publish' | 'thread'>): unknown[] {
  const row = toFollowUpRow(record);
  return [
    row.publish_state,
    row.publish_reason,
    row.publish_detail,
    row.publish_next_at,
    row.thread_state,
    row.thread_reason,
    row.thread_detail,
    row.thread_next_at,
    row.thread_id,
  ];
}

/** The deliveries table in Postgres, shared by every bot process. */
export class PostgresDeliveryRepository implements DeliveryRepository {
  constructor(private readonly pool: pg.Pool) {}

  async find(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE ${KEY_WHERE}`,
      toKeyParams(key),
    );
    return rows[0] && fromDeliveryRow(rows[0]);
  }

  async insertPlanned(rows: readonly PlannedDelivery[], now: Date): Promise<number> {
    return insertRows(this.pool, rows, now);
  }

  async save(
    next: DeliveryRecord,
    expected: ExpectedRow,
    fence?: DispatcherFence,
  ): Promise<boolean> {
    return saveRow(this.pool, next, expected, fence);
  }

  async remove(key: DeliveryKey, expected: ExpectedRow): Promise<boolean> {
    return removeRow(this.pool, key, expected);
  }

  async writePlans(plans: readonly GuildPlanWrite[], now: Date): Promise<number> {
    if (plans.length === 0) return 0;
    return inTransaction(this.pool, async (client) => {
      for (const plan of plans) {
        for (const record of plan.remove) await removeRow(client, record, record);
        for (const { next, expected } of plan.save) await saveRow(client, next, expected);
      }
      // Every new row of the batch in one statement, and every plan version in another.
      const inserted = await insertRows(
        client,
        plans.flatMap((plan) => plan.insert),
        now,
      );
      const versioned = plans.filter((plan) => plan.settingsVersion !== undefined);
      if (versioned.length > 0) {
        await client.query(
          `INSERT INTO delivery_plans (guild_id, settings_version)
            SELECT * FROM unnest($1::text[], $2::int[])
            ON CONFLICT (guild_id) DO UPDATE SET settings_version = excluded.settings_version`,
          [versioned.map((plan) => plan.guildId), versioned.map((plan) => plan.settingsVersion)],
        );
      }
      return inserted;
    });
  }

  async listDue(now: Date, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE status IN (${sqlList(DUE_STATES)})
        AND next_attempt_at <= $1 AND closes_at > $1 ORDER BY next_attempt_at, guild_id LIMIT $2`,
      [now.getTime(), Math.min(limit, Number.MAX_SAFE_INTEGER)],
    );
    return rows.map(fromDeliveryRow);
  }

  async listDueKeys(now: Date): Promise<DeliveryKey[]> {
    const { rows } = await this.pool.query<DeliveryKeyRow>(
      `SELECT guild_id, observance_id, kind, moment_id, year FROM deliveries
        WHERE status IN (${sqlList(DUE_STATES)}) AND next_attempt_at <= $1 AND closes_at > $1
        ORDER BY next_attempt_at, guild_id`,
      [now.getTime()],
    );
    return rows.map(fromKeyRow);
  }

  async closeWindows(now: Date): Promise<number> {
    const result = await this.pool.query(writeWindowClosedSql('$1'), [now.getTime()]);
    return result.rowCount ?? 0;
  }

  async expireClaims(bootId: string, now: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE deliveries SET status = 'in-doubt',
          in_doubt_since = COALESCE(in_doubt_since, claimed_at),
          reason = COALESCE(reason, 'interrupted'), next_attempt_at = $1, updated_at = $1
        WHERE status = 'sending' AND (claimed_by IS DISTINCT FROM $2 OR claimed_at <= $3)`,
      [now.getTime(), bootId, now.getTime() - SENDING_LEASE_MS],
    );
    return result.rowCount ?? 0;
  }

  async listUnsettledForGuild(guildId: string): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE guild_id = $1 AND status NOT IN (${sqlList(FINAL_STATES)})`,
      [guildId],
    );
    return rows.map(fromDeliveryRow);
  }

  async listPlanned(guildId: string, now: Date, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE guild_id = $1 AND status = 'planned' AND closes_at > $2
        ORDER BY scheduled_at, observance_id LIMIT $3`,
      [guildId, now.getTime(), limit],
    );
    return rows.map(fromDeliveryRow);
  }

  async listForGuild(guildId: string, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE guild_id = $1 AND status != 'planned'
        ORDER BY updated_at DESC, scheduled_at DESC LIMIT $2`,
      [guildId, limit],
    );
    return rows.map(fromDeliveryRow);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; count: number }>(
      'SELECT status, COUNT(*) AS count FROM deliveries GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  async listDueFollowUps(now: Date, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE ${writeDueFollowUpsWhere('$1')}
        ORDER BY updated_at, guild_id LIMIT $2`,
      [now.getTime(), limit],
    );
    return rows.map(fromDeliveryRow);
  }

  async saveFollowUps(
    next: DeliveryRecord,
    expected: ExpectedFollowUps,
    fence?: DispatcherFence,
  ): Promise<boolean> {
    const before = toFollowUpRow(expected);
    const params: unknown[] = [
      ...toKeyParams(next),
      ...followUpParams(next),
      before.publish_state,
      before.publish_next_at,
      before.thread_state,
      before.thread_next_at,
    ];
    const sql = fence ? `${SAVE_FOLLOW_UPS_SQL} ${fenceSql('$19')}` : SAVE_FOLLOW_UPS_SQL;
    if (fence) params.push(fence.epoch);
    const result = await this.pool.query(sql, params);
    return result.rowCount === 1;
  }

  async listGuildsToPlan(): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>(
      `SELECT g.guild_id FROM guild_settings g LEFT JOIN delivery_plans p USING (guild_id)
        WHERE p.settings_version IS DISTINCT FROM g.version ORDER BY g.guild_id`,
    );
    return rows.map((row) => row.guild_id);
  }
}

/** One statement per batch: a server's year of planned rows arrives as arrays. */
async function insertRows(
  db: Queryable,
  rows: readonly PlannedDelivery[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const column = <T>(pick: (row: PlannedDelivery) => T) => rows.map(pick);
  const result = await db.query(
    `INSERT INTO deliveries (guild_id, observance_id, kind, moment_id, year, status,
        scheduled_at, closes_at, nonce, next_attempt_at, updated_at)
      SELECT g, o, k, m, y, 'planned', s, c, n, s, $9
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[],
          $7::bigint[], $8::text[]) AS t(g, o, k, m, y, s, c, n)
      ON CONFLICT DO NOTHING`,
    [
      column((r) => r.guildId),
      column((r) => r.observanceId),
      column((r) => r.kind),
      column((r) => r.momentId),
      column((r) => r.year),
      column((r) => r.scheduledAt.getTime()),
      column((r) => r.closesAt.getTime()),
      column((r) => r.nonce),
      now.getTime(),
    ],
  );
  return result.rowCount ?? 0;
}

async function saveRow(
  db: Queryable,
  next: DeliveryRecord,
  expected: ExpectedRow,
  fence?: DispatcherFence,
): Promise<boolean> {
  const row = toDeliveryRow(next);
  const params: unknown[] = [
    ...toKeyParams(next),
    row.status,
    row.channel_id,
    row.attempts,
    row.late,
    row.message_id,
    row.reason,
    row.detail,
    row.settings_version,
    row.claimed_by,
    row.claimed_at,
    row.in_doubt_since,
    row.next_attempt_at,
    row.updated_at,
    ...followUpParams(next),
    fence?.epoch ?? null,
    expected.status,
    expected.attempts,
  ];
  const sql = fence ? `${SAVE_SQL} ${fenceSql('$31')}` : SAVE_SQL;
  if (fence) params.push(fence.epoch);
  const result = await db.query(sql, params);
  return result.rowCount === 1;
}

async function removeRow(db: Queryable, key: DeliveryKey, expected: ExpectedRow) {
  const result = await db.query(
    `DELETE FROM deliveries WHERE ${KEY_WHERE} AND status = $6 AND attempts = $7`,
    [...toKeyParams(key), expected.status, expected.attempts],
  );
  return result.rowCount === 1;
}
