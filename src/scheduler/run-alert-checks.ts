import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { LoadedContent } from '../content/load-content.js';
import {
  type AlertDelivery,
  type AlertProblem,
  type ChannelIssue,
  type CheckResult,
  formatAlertDate,
  listProblemKeys,
} from '../domain/alert-problem.js';
import type { AlertWords } from '../domain/alert-words.js';
import { toBakuDate } from '../domain/baku-calendar.js';
import { formatDate } from '../domain/format-post-parts.js';
import { choosePostLanguage, type GuildSettings } from '../domain/guild-settings.js';
import { listNextOccurrences } from '../domain/occurrence.js';
import { renderAlert } from '../domain/render-alert.js';
import type { AlertClaim, AlertRepository } from '../storage/alert-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import { type DispatcherRole, SOLE_DISPATCHER } from './dispatcher-role.js';
import type { AlertCheckPlanner } from './plan-alert-checks.js';
import type { Publisher } from './publisher.js';
import { RequestPacer } from './request-pacer.js';
import type { AlertChannelAccess, ServerInspection, ServerInspector } from './server-inspector.js';

export interface AlertCheckerDeps {
  content: LoadedContent;
  settings: GuildSettingsRepository;
  alerts: AlertRepository;
  planner: AlertCheckPlanner;
  inspector: ServerInspector;
  /** Sends the alert, with a nonce, as posts are sent. */
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
  /** Only the dispatcher checks and alerts; by default this process always is (SQLite). */
  role?: DispatcherRole;
  /**
   * Requests per second the checks may start: a share of Discord's global limit, so that a check
   * of 10,000 servers never bursts and leaves room for everything else.
   */
  requestsPerSecond: number;
  /** True while posts are queued or being sent: the checks stop and the next tick goes on. */
  isBusy: () => boolean;
  /** Servers checked at once. */
  concurrency?: number;
}

export interface CheckPassSummary {
  /** Servers with a check due when the pass started. */
  due: number;
  checked: number;
  /** Servers where something was missing. */
  withProblems: number;
  alerted: number;
  /** Servers Discord did not answer for: checked again later. */
  unavailable: number;
}

export type ServerCheck =
  /** `alerted`: this check posted an alert (or found no channel for it) about a new problem. */
  | { kind: 'checked'; result: CheckResult; alerted: boolean }
  | { kind: 'not-configured' }
  | { kind: 'unavailable'; detail: string };

/** After Discord failed to answer, a server's check is tried again this much later. */
export const CHECK_RETRY_MS = 5 * 60 * 1000;

/** Thrown when an alert cannot be placed now (Discord did not answer): the check is retried. */
class RetryLaterError extends Error {}

/**
 * The checks before each day (7 and 1 days ahead of each observance), run by the dispatcher each
 * tick from the `alert_checks` queue: re-reads what the server's settings need, records what is
 * missing for `/commemoration status` and the log, and tells the admins once per problem per Baku
 * day, in the alerts channel, else the community updates channel.
 */
export class AlertChecker {
  private pass: Promise<CheckPassSummary> | undefined;
  private stopped = false;
  private readonly pacer: RequestPacer;
  private readonly role: DispatcherRole;

  constructor(private readonly deps: AlertCheckerDeps) {
    this.pacer = new RequestPacer(deps.requestsPerSecond);
    this.role = deps.role ?? SOLE_DISPATCHER;
  }

  /** Runs the checks due at `now`; while a pass is under way, a second call joins it. */
  run(now: Date): Promise<CheckPassSummary> {
    this.pass ??= this.runPass(now).finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /** Stops after the servers being checked; the rest stay due in the table. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pass?.catch(() => {});
  }

  private async runPass(now: Date): Promise<CheckPassSummary> {
    const summary: CheckPassSummary = {
      due: 0,
      checked: 0,
      withProblems: 0,
      alerted: 0,
      unavailable: 0,
    };
    if (this.stopped || !this.role.isDispatcher()) return summary;
    const { alerts, planner } = this.deps;
    await planner.plan(now);
    await alerts.closeWindows(now);
    const due = await alerts.listDueGuilds(now);
    summary.due = due.length;
    let next = 0;
    const work = async () => {
      while (next < due.length && this.mayGoOn()) {
        const guildId = due[next++];
        if (guildId !== undefined) await this.checkDue(guildId, now, summary);
      }
    };
    await Promise.all(Array.from({ length: this.deps.concurrency ?? 4 }, work));
    if (summary.due > 0) this.deps.logger.info({ ...summary }, 'checks before the day finished');
    return summary;
  }

  /** Posts come first: a check waits for the next tick while a fan-out is under way. */
  private mayGoOn(): boolean {
    return !this.stopped && this.role.isDispatcher() && !this.deps.isBusy();
  }

  private async checkDue(guildId: string, due: Date, summary: CheckPassSummary): Promise<void> {
    const { alerts, clock, logger } = this.deps;
    let outcome: ServerCheck;
    try {
      outcome = await this.checkServer(guildId, { alert: true });
    } catch (error) {
      logger.error({ err: error, guildId }, 'a check before the day crashed; trying again later');
      outcome = {
        kind: 'unavailable',
        detail: error instanceof Error ? error.message : String(error),
      };
    }
    if (outcome.kind === 'unavailable') {
      summary.unavailable += 1;
      logger.warn(
        { guildId, detail: outcome.detail },
        'could not check a server; trying again later',
      );
      await alerts.postpone(guildId, due, new Date(clock.now().getTime() + CHECK_RETRY_MS));
      return;
    }
    await alerts.markChecked(guildId, due);
    summary.checked += 1;
    if (outcome.kind === 'checked' && outcome.result.problems.length > 0) {
      summary.withProblems += 1;
      if (outcome.alerted) summary.alerted += 1;
    }
  }

  /**
   * Checks one server now and stores the result, which replaces the last one in status: a
   * problem fixed since is no longer shown. With `alert`, tells the admins about problems not yet
   * alerted today (the scheduled checks); without, only records (`/commemoration test`, setup).
   */
  async checkServer(guildId: string, { alert }: { alert: boolean }): Promise<ServerCheck> {
    const { settings, alerts, inspector, clock, logger } = this.deps;
    const guild = await settings.find(guildId);
    if (!guild?.channelId) return { kind: 'not-configured' };
    const channelId = guild.channelId;
    await this.pacer.take(inspector.inspectRequests);
    const inspected = await inspector.inspect({ ...guild, channelId });
    if (!inspected.ok) return { kind: 'unavailable', detail: inspected.detail };
    const { inspection } = inspected;
    const now = clock.now();
    // A kind that changed is recorded (publishing follows it). An unset kind stays unset here: a
    // settings change counts as the admin acting, and would send refused posts out again.
    if (
      inspection.channelKind &&
      guild.channelKind &&
      inspection.channelKind !== guild.channelKind
    ) {
      await settings.update(guildId, { channelKind: inspection.channelKind }, now);
      logger.info(
        { guildId, channelId, from: guild.channelKind, to: inspection.channelKind },
        "recorded the posts' channel's new kind",
      );
    }
    const { problems } = inspection;
    const previous = await alerts.findResult(guildId);
    let delivery: AlertDelivery | undefined = problems.length > 0 ? previous?.alert : undefined;
    let alerted = false;
    if (problems.length > 0) {
      logger.warn(
        { guildId, channelId, problems: listProblemKeys(problems) },
        'something the posts need is missing; the admin sees it in /commemoration status',
      );
      if (alert) {
        try {
          const fresh = await this.alertAdmins(guild, inspection, now);
          alerted = fresh !== undefined;
          delivery = fresh ?? delivery;
        } catch (error) {
          if (error instanceof RetryLaterError)
            return { kind: 'unavailable', detail: error.message };
          throw error;
        }
      }
    }
    const result: CheckResult = {
      guildId,
      checkedAt: now,
      problems,
      ...(delivery ? { alert: delivery } : {}),
    };
    await alerts.saveResult(result);
    return { kind: 'checked', result, alerted };
  }

  /**
   * One alert per problem per Baku day: the problems are claimed in the table before the alert
   * goes, so that neither a restart nor a second process repeats it. Undefined when every
   * problem was already alerted today.
   */
  private async alertAdmins(
    guild: GuildSettings,
    inspection: ServerInspection,
    now: Date,
  ): Promise<AlertDelivery | undefined> {
    const { alerts, logger } = this.deps;
    const keys = listProblemKeys(inspection.problems);
    const bakuDate = formatAlertDate(toBakuDate(now));
    const claim: AlertClaim = {
      guildId: guild.guildId,
      bakuDate,
      keys,
      nonce: deriveAlertNonce(guild.guildId, bakuDate, keys),
    };
    const claimed = await alerts.claimAlert(claim, now, this.role.fence());
    if (claimed.length === 0) return undefined;
    const mine: AlertClaim = { ...claim, keys: claimed };
    let target: { channelId: string; via: 'alerts' | 'community' } | undefined;
    let alertsChannelIssue: ChannelIssue | undefined;
    try {
      if (guild.alertsChannelId) {
        const access = await this.checkAlertChannel(guild.guildId, guild.alertsChannelId);
        if (access === 'ok') target = { channelId: guild.alertsChannelId, via: 'alerts' };
        else alertsChannelIssue = access;
      }
      const community = inspection.communityChannelId;
      if (!target && community && community !== guild.alertsChannelId) {
        if ((await this.checkAlertChannel(guild.guildId, community)) === 'ok')
          target = { channelId: community, via: 'community' };
      }
    } catch (error) {
      await alerts.releaseAlert(mine);
      throw error;
    }
    const delivery: AlertDelivery = {
      at: now,
      via: target?.via ?? 'none',
      ...(target ? { channelId: target.channelId } : {}),
      ...(alertsChannelIssue ? { alertsChannelIssue } : {}),
    };
    const fields = { guildId: guild.guildId, problems: keys, ...delivery };
    if (!target) {
      // The claim stays: today's alert is the line in status and in the log.
      logger.warn(fields, 'no channel to post the alert in; it is in /commemoration status');
      return delivery;
    }
    if (!(await this.role.confirm())) {
      // A successor took over: the alert is its to send.
      await alerts.releaseAlert(mine);
      return undefined;
    }
    await this.pacer.take(1);
    const sent = await this.deps.publisher.publish(
      target.channelId,
      this.renderFor(guild, inspection, now, delivery),
      claim.nonce,
    );
    if (sent.ok) {
      await alerts.recordAlertSent(mine, target.channelId, sent.messageId);
      logger.warn({ ...fields, messageId: sent.messageId }, 'alert posted');
      return delivery;
    }
    // Refused: a later check today may try again. Unclear: it may have arrived, so never twice.
    if (!sent.maybeDelivered) await alerts.releaseAlert(mine);
    logger.warn({ ...fields, detail: sent.detail }, 'could not post the alert');
    return { ...delivery, via: 'none' };
  }

  private async checkAlertChannel(guildId: string, channelId: string) {
    const access = await this.inspectAlertChannel(guildId, channelId);
    if (access !== 'ok' && access.kind === 'unavailable') throw new RetryLaterError(access.detail);
    return access;
  }

  /** Whether an alert could be posted in this channel now (`/commemoration options alerts:`). */
  async inspectAlertChannel(guildId: string, channelId: string): Promise<AlertChannelAccess> {
    await this.pacer.take(this.deps.inspector.alertChannelRequests);
    return this.deps.inspector.checkAlertChannel(guildId, channelId);
  }

  /** The server's last check, as status shows it. */
  findResult(guildId: string): Promise<CheckResult | undefined> {
    return this.deps.alerts.findResult(guildId);
  }

  /** When the server's next check is due. */
  async findNextCheckAt(guildId: string, now: Date): Promise<Date | undefined> {
    return (await this.deps.alerts.findNextCheck(guildId, now))?.dueAt;
  }

  /** The alert in the server's language (its posts' language), about its next observance. */
  private renderFor(
    guild: GuildSettings,
    inspection: ServerInspection,
    now: Date,
    delivery: AlertDelivery,
  ) {
    const { content } = this.deps;
    const language = choosePostLanguage(guild, content.locales);
    const strings = (content.languages.get(language) ?? content.languages.get('en'))?.bot;
    const labels = content.postLabels.get(language) ?? content.postLabels.get('en');
    if (!strings || !labels) throw new Error(`no words for language ${language}`);
    const words: AlertWords = { alerts: strings.alerts, permissions: strings.permissions };
    const enabled = content.observances.filter((o) => !guild.disabledObservances.includes(o.id));
    const [next] = listNextOccurrences(enabled, now);
    return renderAlert(words, {
      problems: inspection.problems as AlertProblem[],
      observanceName: next?.observance.text[language]?.name ?? next?.observance.id ?? '',
      date: next ? formatDate(labels, next.occurrence.date) : '',
      ...(delivery.via === 'community' && delivery.alertsChannelIssue && guild.alertsChannelId
        ? {
            alertsChannel: {
              channelId: guild.alertsChannelId,
              issue: delivery.alertsChannelIssue,
            },
          }
        : {}),
    });
  }
}

/** The same server, day and problems give the same nonce: a resend within minutes is dropped. */
function deriveAlertNonce(guildId: string, bakuDate: string, keys: readonly string[]): string {
  return createHash('sha256')
    .update(['alert', guildId, bakuDate, ...[...keys].sort()].join('\u0000'))
    .digest('hex')
    .slice(0, 25);
}
