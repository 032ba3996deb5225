import type { Logger } from 'pino';
import { type AlertCheck, listAlertChecks } from '../domain/alert-checks.js';
import type { Content } from '../domain/content.js';
import { type GuildSettings, toPostSettings } from '../domain/guild-settings.js';
import type { AlertRepository, GuildCheckPlan } from '../storage/alert-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';

export interface CheckPlannerDeps {
  content: Content;
  settings: GuildSettingsRepository;
  alerts: AlertRepository;
  logger: Logger;
}

/** Checks are written this far ahead: the next observance is rarely further away. */
export const CHECKS_AHEAD_MS = 40 * 24 * 3600 * 1000;

/** Every server's checks are planned again once a day, which also extends them. */
const REPLAN_EVERY_MS = 24 * 3600 * 1000;

/** Servers planned per transaction, with a turn of the event loop between batches. */
const BATCH = 250;

/**
 * Writes each server's checks before each day into `alert_checks`, as the delivery planner writes
 * posts: every server daily, and a server again whenever its settings change. A check whose
 * window is still open when it is planned (the bot was down at its time) is written too, and so
 * runs at once.
 */
export class AlertCheckPlanner {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: CheckPlannerDeps) {}

  /** Brings the checks up to date at `now`; plans run one after another. */
  plan(now: Date): Promise<number> {
    const next = this.turn.then(() => this.planNow(now));
    this.turn = next.catch(() => {});
    return next;
  }

  private async planNow(now: Date): Promise<number> {
    const { alerts, settings } = this.deps;
    const last = await alerts.findPlannedAt();
    if (last && now.getTime() - last.getTime() < REPLAN_EVERY_MS) {
      const changed = await alerts.listGuildsToPlan();
      return this.inBatches(now, changed, async (guildId) =>
        this.planServer(guildId, await settings.find(guildId), now),
      );
    }
    const configured = await settings.listConfigured();
    const known = new Set(configured.map((guild) => guild.guildId));
    // Servers that stopped posting since they were planned: their checks go.
    const stopped = (await alerts.listGuildsToPlan()).filter((guildId) => !known.has(guildId));
    const cache = new Map<string, AlertCheck[]>();
    let planned = await this.inBatches(now, configured, async (guild) =>
      this.planServer(guild.guildId, guild, now, cache),
    );
    planned += await this.inBatches(now, stopped, async (guildId) =>
      this.planServer(guildId, await settings.find(guildId), now),
    );
    await alerts.savePlannedAt(now);
    return planned;
  }

  private async inBatches<T>(
    now: Date,
    items: readonly T[],
    plan: (item: T) => Promise<GuildCheckPlan>,
  ): Promise<number> {
    let written = 0;
    for (let start = 0; start < items.length; start += BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const plans: GuildCheckPlan[] = [];
      for (const item of items.slice(start, start + BATCH)) plans.push(await plan(item));
      written += await this.deps.alerts.writeCheckPlans(plans, now);
    }
    return written;
  }

  private planServer(
    guildId: string,
    guild: GuildSettings | undefined,
    now: Date,
    cache = new Map<string, AlertCheck[]>(),
  ): GuildCheckPlan {
    const version = guild ? { settingsVersion: guild.version } : {};
    if (!guild?.channelId) return { guildId, checks: [], ...version };
    const settings = toPostSettings(guild, this.deps.content.observances);
    // Servers with the same schedule share one computation.
    const signature = JSON.stringify([
      settings.postTime,
      settings.eveReminder,
      settings.momentPosts,
      [...settings.enabledObservances].sort(),
    ]);
    let checks = cache.get(signature);
    if (!checks) {
      checks = listAlertChecks(
        this.deps.content.observances,
        settings,
        now,
        new Date(now.getTime() + CHECKS_AHEAD_MS),
      );
      cache.set(signature, checks);
    }
    // Checks due before the server switched posting on are not owed: setup has just checked.
    const activeSince = guild.activeSince?.getTime() ?? Number.NEGATIVE_INFINITY;
    return {
      guildId,
      checks: checks
        .filter((check) => check.at.getTime() >= activeSince)
        .map((check) => ({
          guildId,
          observanceId: check.observanceId,
          year: check.year,
          leadDays: check.leadDays,
          dueAt: check.at,
          closesAt: check.closesAt,
        })),
      ...version,
    };
  }
}
