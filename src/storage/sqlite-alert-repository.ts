import type { CheckResult } from '../domain/alert-problem.js';
import type {
  AlertClaim,
  AlertRepository,
  GuildCheckPlan,
  PlannedCheck,
} from './alert-repository.js';
import {
  type AlertCheckRow,
  type AlertResultRow,
  CHECKS_PLANNED_AT_KEY,
  fromAlertCheckRow,
  fromAlertResultRow,
  toAlertResultRow,
} from './alert-rows.js';
import type { Db } from './open-database.js';

/** The checks before each day in SQLite: one process owns the file, so a fence checks nothing. */
export class SqliteAlertRepository implements AlertRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      dropPlanned: db.prepare("DELETE FROM alert_checks WHERE guild_id = ? AND status = 'planned'"),
      insert: db.prepare(`INSERT INTO alert_checks (guild_id, observance_id, year, lead_days,
          status, due_at, closes_at, updated_at) VALUES (?, ?, ?, ?, 'planned', ?, ?, ?)
        ON CONFLICT DO NOTHING`),
      markPlanned: db.prepare(`INSERT INTO alert_check_plans (guild_id, settings_version)
        VALUES (?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings_version = excluded.settings_version`),
      changedGuilds: db
        .prepare<[], string>(
          `SELECT g.guild_id FROM guild_settings g LEFT JOIN alert_check_plans p USING (guild_id)
            WHERE p.settings_version IS NOT g.version ORDER BY g.guild_id`,
        )
        .pluck(),
      readState: db
        .prepare<[string], string>('SELECT value FROM scheduler_state WHERE key = ?')
        .pluck(),
      writeState: db.prepare(`INSERT INTO scheduler_state (key, value) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      close: db.prepare(`UPDATE alert_checks SET status = 'missed', updated_at = ?
        WHERE status = 'planned' AND closes_at <= ?`),
      dueGuilds: db
        .prepare<[number, number], string>(
          `SELECT guild_id FROM alert_checks WHERE status = 'planned' AND due_at <= ?
            AND closes_at > ? GROUP BY guild_id ORDER BY MIN(due_at), guild_id`,
        )
        .pluck(),
      markChecked: db.prepare(`UPDATE alert_checks SET status = 'done', checked_at = ?,
          updated_at = ? WHERE guild_id = ? AND status = 'planned' AND due_at <= ? AND closes_at > ?`),
      postpone: db.prepare(`UPDATE alert_checks SET due_at = ?, updated_at = ?
        WHERE guild_id = ? AND status = 'planned' AND due_at <= ? AND closes_at > ?`),
      nextCheck: db.prepare<[string, number], AlertCheckRow>(
        `SELECT * FROM alert_checks WHERE guild_id = ? AND status = 'planned' AND closes_at > ?
          ORDER BY due_at LIMIT 1`,
      ),
      findResult: db.prepare<[string], AlertResultRow>(
        'SELECT * FROM alert_results WHERE guild_id = ?',
      ),
      saveResult: db.prepare<AlertResultRow>(`INSERT INTO alert_results (guild_id, checked_at,
          problems, alert) VALUES (@guild_id, @checked_at, @problems, @alert)
        ON CONFLICT (guild_id) DO UPDATE SET checked_at = excluded.checked_at,
          problems = excluded.problems, alert = excluded.alert`),
      claim: db.prepare(`INSERT INTO alerts_sent (guild_id, problem, baku_date, nonce, claimed_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      sent: db.prepare(`UPDATE alerts_sent SET channel_id = ?, message_id = ?
        WHERE guild_id = ? AND problem = ? AND baku_date = ? AND nonce = ?`),
      release: db.prepare(`DELETE FROM alerts_sent
        WHERE guild_id = ? AND problem = ? AND baku_date = ? AND nonce = ? AND message_id IS NULL`),
    };
  }

  async writeCheckPlans(plans: readonly GuildCheckPlan[], now: Date): Promise<number> {
    return this.db.transaction(() => {
      let written = 0;
      for (const plan of plans) {
        this.statements.dropPlanned.run(plan.guildId);
        for (const check of plan.checks) written += this.insertCheck(check, now);
        if (plan.settingsVersion !== undefined)
          this.statements.markPlanned.run(plan.guildId, plan.settingsVersion);
      }
      return written;
    })();
  }

  private insertCheck(check: PlannedCheck, now: Date): number {
    return this.statements.insert.run(
      check.guildId,
      check.observanceId,
      check.year,
      check.leadDays,
      check.dueAt.getTime(),
      check.closesAt.getTime(),
      now.getTime(),
    ).changes;
  }

  async listGuildsToPlan(): Promise<string[]> {
    return this.statements.changedGuilds.all();
  }

  async findPlannedAt(): Promise<Date | undefined> {
    const value = this.statements.readState.get(CHECKS_PLANNED_AT_KEY);
    return value === undefined ? undefined : new Date(Number(value));
  }

  async savePlannedAt(at: Date): Promise<void> {
    this.statements.writeState.run(CHECKS_PLANNED_AT_KEY, String(at.getTime()));
  }

  async closeWindows(now: Date): Promise<number> {
    return this.statements.close.run(now.getTime(), now.getTime()).changes;
  }

  async listDueGuilds(now: Date): Promise<string[]> {
    return this.statements.dueGuilds.all(now.getTime(), now.getTime());
  }

  async markChecked(guildId: string, now: Date): Promise<number> {
    const at = now.getTime();
    return this.statements.markChecked.run(at, at, guildId, at, at).changes;
  }

  async postpone(guildId: string, now: Date, until: Date): Promise<number> {
    const at = now.getTime();
    return this.statements.postpone.run(until.getTime(), at, guildId, at, until.getTime()).changes;
  }

  async findNextCheck(guildId: string, now: Date): Promise<PlannedCheck | undefined> {
    const row = this.statements.nextCheck.get(guildId, now.getTime());
    return row && fromAlertCheckRow(row);
  }

  async findResult(guildId: string): Promise<CheckResult | undefined> {
    const row = this.statements.findResult.get(guildId);
    return row && fromAlertResultRow(row);
  }

  async saveResult(result: CheckResult): Promise<void> {
    this.statements.saveResult.run(toAlertResultRow(result));
  }

  async claimAlert(claim: AlertClaim, now: Date): Promise<string[]> {
    return this.db.transaction(() =>
      claim.keys.filter(
        (key) =>
          this.statements.claim.run(claim.guildId, key, claim.bakuDate, claim.nonce, now.getTime())
            .changes === 1,
      ),
    )();
  }

  async recordAlertSent(claim: AlertClaim, channelId: string, messageId: string): Promise<void> {
    this.db.transaction(() => {
      for (const key of claim.keys) {
        this.statements.sent.run(
          channelId,
          messageId,
          claim.guildId,
          key,
          claim.bakuDate,
          claim.nonce,
        );
      }
    })();
  }

  async releaseAlert(claim: AlertClaim): Promise<void> {
    this.db.transaction(() => {
      for (const key of claim.keys)
        this.statements.release.run(claim.guildId, key, claim.bakuDate, claim.nonce);
    })();
  }
}
