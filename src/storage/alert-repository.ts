import type { CheckLead } from '../domain/alert-checks.js';
import type { CheckResult } from '../domain/alert-problem.js';
import type { DispatcherFence } from './delivery-repository.js';

/** A check of one server ahead of one observance, due at `dueAt`, worth making until `closesAt`. */
export interface PlannedCheck {
  guildId: string;
  observanceId: string;
  year: number;
  leadDays: CheckLead;
  dueAt: Date;
  closesAt: Date;
}

/** One server's checks as its settings now ask for them. */
export interface GuildCheckPlan {
  guildId: string;
  checks: readonly PlannedCheck[];
  /** The settings version the checks follow; absent for a server without settings. */
  settingsVersion?: number;
}

/** The alerts about one server's problems on one Baku date, claimed before one is sent. */
export interface AlertClaim {
  guildId: string;
  /** "2027-02-19": one alert per problem per Baku day. */
  bakuDate: string;
  /** The problems' keys (`listProblemKeys`). */
  keys: readonly string[];
  /** The nonce the alert is sent with. */
  nonce: string;
}

/**
 * The checks before each day and the alerts they sent: the queue of due checks (`alert_checks`),
 * each server's last result (`alert_results`), and the alerts sent (`alerts_sent`, one row per
 * server, problem and Baku date). Implemented for SQLite and Postgres; one contract suite runs
 * against both.
 */
export interface AlertRepository {
  /**
   * Replaces each server's checks not yet made with the given ones, in one transaction; checks
   * already made (or missed) are kept. Returns how many were written.
   */
  writeCheckPlans(plans: readonly GuildCheckPlan[], now: Date): Promise<number>;
  /** Servers whose settings changed since their checks were planned (or that were never planned). */
  listGuildsToPlan(): Promise<string[]>;
  /** When every server's checks were last planned; absent on a new database. */
  findPlannedAt(): Promise<Date | undefined>;
  savePlannedAt(at: Date): Promise<void>;
  /** Checks whose window closed before they were made become `missed`. */
  closeWindows(now: Date): Promise<number>;
  /** Servers with at least one check due at `now`, the longest waiting first. */
  listDueGuilds(now: Date): Promise<string[]>;
  /** Every check of the server due at `now` is made. */
  markChecked(guildId: string, now: Date): Promise<number>;
  /** Puts the server's due checks off until `until`, where their windows are still open then. */
  postpone(guildId: string, now: Date, until: Date): Promise<number>;
  /** The server's next check not yet made. */
  findNextCheck(guildId: string, now: Date): Promise<PlannedCheck | undefined>;
  findResult(guildId: string): Promise<CheckResult | undefined>;
  saveResult(result: CheckResult): Promise<void>;
  /**
   * Claims the problems not yet alerted on that Baku date, and returns their keys. Of two
   * processes (or a process and its restart), exactly one claims each; with a fence, only while it
   * is still the newest dispatcher.
   */
  claimAlert(claim: AlertClaim, now: Date, fence?: DispatcherFence): Promise<string[]>;
  /** The alert went out: where, and its message. */
  recordAlertSent(claim: AlertClaim, channelId: string, messageId: string): Promise<void>;
  /** The alert could not go out: a later check that day may try again. */
  releaseAlert(claim: AlertClaim): Promise<void>;
}
