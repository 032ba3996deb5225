import type pg from 'pg';
import type { CheckResult } from '../../domain/alert-problem.js';
import type {
  AlertClaim,
  AlertRepository,
  GuildCheckPlan,
  PlannedCheck,
} from '../alert-repository.js';
import {
  type AlertCheckRow,
  type AlertResultRow,
  CHECKS_PLANNED_AT_KEY,
  fromAlertCheckRow,
  fromAlertResultRow,
  toAlertResultRow,
} from '../alert-rows.js';
import type { DispatcherFence } from '../delivery-repository.js';
import { inTransaction } from './in-transaction.js';

/** The checks before each day in Postgres, shared by every bot process. */
export class PostgresAlertRepository implements AlertRepository {
  constructor(private readonly pool: pg.Pool) {}

  async writeCheckPlans(plans: readonly GuildCheckPlan[], now: Date): Promise<number> {
    if (plans.length === 0) return 0;
    return inTransaction(this.pool, async (client) => {
      await client.query(
        "DELETE FROM alert_checks WHERE guild_id = ANY($1::text[]) AND status = 'planned'",
        [plans.map((plan) => plan.guildId)],
      );
      const checks = plans.flatMap((plan) => plan.checks);
      const column = <T>(pick: (check: PlannedCheck) => T) => checks.map(pick);
      const inserted = await client.query(
        `INSERT INTO alert_checks (guild_id, observance_id, year, lead_days, status, due_at,
            closes_at, updated_at)
          SELECT g, o, y, l, 'planned', d, c, $7
            FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[])
              AS t(g, o, y, l, d, c)
          ON CONFLICT DO NOTHING`,
        [
          column((c) => c.guildId),
          column((c) => c.observanceId),
          column((c) => c.year),
          column((c) => c.leadDays),
          column((c) => c.dueAt.getTime()),
          column((c) => c.closesAt.getTime()),
          now.getTime(),
        ],
      );
      const versioned = plans.filter((plan) => plan.settingsVersion !== undefined);
      if (versioned.length > 0) {
        await client.query(
          `INSERT INTO alert_check_plans (guild_id, settings_version)
            SELECT * FROM unnest($1::text[], $2::int[])
            ON CONFLICT (guild_id) DO UPDATE SET settings_version = excluded.settings_version`,
          [versioned.map((plan) => plan.guildId), versioned.map((plan) => plan.settingsVersion)],
        );
      }
      return inserted.rowCount ?? 0;
    });
  }

  async listGuildsToPlan(): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>(
      `SELECT g.guild_id FROM guild_settings g LEFT JOIN alert_check_plans p USING (guild_id)
        WHERE p.settings_version IS DISTINCT FROM g.version ORDER BY g.guild_id`,
    );
    return rows.map((row) => row.guild_id);
  }

  async findPlannedAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM scheduler_state WHERE key = $1',
      [CHECKS_PLANNED_AT_KEY],
    );
    return rows[0] ? new Date(Number(rows[0].value)) : undefined;
  }

  /** Several processes may plan: the latest instant wins, never an older one. */
  async savePlannedAt(at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO scheduler_state (key, value) VALUES ($1, $2)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        WHERE scheduler_state.value::bigint < excluded.value::bigint`,
      [CHECKS_PLANNED_AT_KEY, String(at.getTime())],
    );
  }

  async closeWindows(now: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE alert_checks SET status = 'missed', updated_at = $1
        WHERE status = 'planned' AND closes_at <= $1`,
      [now.getTime()],
    );
    return result.rowCount ?? 0;
  }

  async listDueGuilds(now: Date): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>(
      `SELECT guild_id FROM alert_checks WHERE status = 'planned' AND due_at <= $1
        AND closes_at > $1 GROUP BY guild_id ORDER BY MIN(due_at), guild_id`,
      [now.getTime()],
    );
    return rows.map((row) => row.guild_id);
  }

  async markChecked(guildId: string, now: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE alert_checks SET status = 'done', checked_at = $2, updated_at = $2
        WHERE guild_id = $1 AND status = 'planned' AND due_at <= $2 AND closes_at > $2`,
      [guildId, now.getTime()],
    );
    return result.rowCount ?? 0;
  }

  async postpone(guildId: string, now: Date, until: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE alert_checks SET due_at = $3, updated_at = $2
        WHERE guild_id = $1 AND status = 'planned' AND due_at <= $2 AND closes_at > $3`,
      [guildId, now.getTime(), until.getTime()],
    );
    return result.rowCount ?? 0;
  }

  async findNextCheck(guildId: string, now: Date): Promise<PlannedCheck | undefined> {
    const { rows } = await this.pool.query<AlertCheckRow>(
      `SELECT * FROM alert_checks WHERE guild_id = $1 AND status = 'planned' AND closes_at > $2
        ORDER BY due_at LIMIT 1`,
      [guildId, now.getTime()],
    );
    return rows[0] && fromAlertCheckRow(rows[0]);
  }

  async findResult(guildId: string): Promise<CheckResult | undefined> {
    const { rows } = await this.pool.query<AlertResultRow>(
      'SELECT * FROM alert_results WHERE guild_id = $1',
      [guildId],
    );
    return rows[0] && fromAlertResultRow(rows[0]);
  }

  async saveResult(result: CheckResult): Promise<void> {
    const row = toAlertResultRow(result);
    await this.pool.query(
      `INSERT INTO alert_results (guild_id, checked_at, problems, alert) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guild_id) DO UPDATE SET checked_at = excluded.checked_at,
          problems = excluded.problems, alert = excluded.alert`,
      [row.guild_id, row.checked_at, row.problems, row.alert],
    );
  }

  /**
   * One statement: the rows that did not exist are this claim's. With a fence, FOR SHARE on the
   * lease makes a takeover wait for the claim, and a replaced dispatcher claims nothing.
   */
  async claimAlert(claim: AlertClaim, now: Date, fence?: DispatcherFence): Promise<string[]> {
    if (claim.keys.length === 0) return [];
    const fenced = fence
      ? 'WHERE EXISTS (SELECT 1 FROM dispatcher_lease WHERE id = 1 AND epoch = $6 FOR SHARE)'
      : '';
    const { rows } = await this.pool.query<{ problem: string }>(
      `INSERT INTO alerts_sent (guild_id, problem, baku_date, nonce, claimed_at)
        SELECT $1, k, $3, $4, $5 FROM unnest($2::text[]) AS t(k) ${fenced}
        ON CONFLICT DO NOTHING RETURNING problem`,
      [
        claim.guildId,
        [...claim.keys],
        claim.bakuDate,
        claim.nonce,
        now.getTime(),
        ...(fence ? [fence.epoch] : []),
      ],
    );
    const claimed = new Set(rows.map((row) => row.problem));
    return claim.keys.filter((key) => claimed.has(key));
  }

  async recordAlertSent(claim: AlertClaim, channelId: string, messageId: string): Promise<void> {
    await this.pool.query(
      `UPDATE alerts_sent SET channel_id = $5, message_id = $6
        WHERE guild_id = $1 AND problem = ANY($2::text[]) AND baku_date = $3 AND nonce = $4`,
      [claim.guildId, [...claim.keys], claim.bakuDate, claim.nonce, channelId, messageId],
    );
  }

  async releaseAlert(claim: AlertClaim): Promise<void> {
    await this.pool.query(
      `DELETE FROM alerts_sent WHERE guild_id = $1 AND problem = ANY($2::text[])
        AND baku_date = $3 AND nonce = $4 AND message_id IS NULL`,
      [claim.guildId, [...claim.keys], claim.bakuDate, claim.nonce],
    );
  }
}
