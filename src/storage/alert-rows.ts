import type { CheckLead } from '../domain/alert-checks.js';
import type { AlertDelivery, AlertProblem, CheckResult } from '../domain/alert-problem.js';
import type { PlannedCheck } from './alert-repository.js';

/** An alert_checks row as both stores hold it (times as epoch ms). */
export interface AlertCheckRow {
  guild_id: string;
  observance_id: string;
  year: number;
  lead_days: number;
  status: string;
  due_at: number;
  closes_at: number;
}

export function fromAlertCheckRow(row: AlertCheckRow): PlannedCheck {
  return {
    guildId: row.guild_id,
    observanceId: row.observance_id,
    year: row.year,
    leadDays: row.lead_days as CheckLead,
    dueAt: new Date(row.due_at),
    closesAt: new Date(row.closes_at),
  };
}

/** An alert_results row: the problems and the alert as JSON, the same text in both stores. */
export interface AlertResultRow {
  guild_id: string;
  checked_at: number;
  problems: string;
  alert: string | null;
}

interface StoredDelivery extends Omit<AlertDelivery, 'at'> {
  at: number;
}

export function toAlertResultRow(result: CheckResult): AlertResultRow {
  const alert: StoredDelivery | undefined = result.alert && {
    ...result.alert,
    at: result.alert.at.getTime(),
  };
  return {
    guild_id: result.guildId,
    checked_at: result.checkedAt.getTime(),
    problems: JSON.stringify(result.problems),
    alert: alert ? JSON.stringify(alert) : null,
  };
}

export function fromAlertResultRow(row: AlertResultRow): CheckResult {
  const alert = row.alert ? (JSON.parse(row.alert) as StoredDelivery) : undefined;
  return {
    guildId: row.guild_id,
    checkedAt: new Date(Number(row.checked_at)),
    problems: JSON.parse(row.problems) as AlertProblem[],
    ...(alert ? { alert: { ...alert, at: new Date(alert.at) } } : {}),
  };
}

/** The scheduler_state key of the last full plan of checks. */
export const CHECKS_PLANNED_AT_KEY = 'alert_checks_planned_at';
