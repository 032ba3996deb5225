import type { Logger } from 'pino';
import type { Content } from '../domain/content.js';
import { applyDeliveryEvent } from '../domain/delivery-lifecycle.js';
import type { DeliveryRecord } from '../domain/delivery-record.js';
import { type GuildSettings, toPostSettings } from '../domain/guild-settings.js';
import { listPostsOverlapping, type ScheduledPost } from '../domain/post-schedule.js';
import type {
  DeliveryRepository,
  GuildPlanWrite,
  PlannedDelivery,
} from '../storage/delivery-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import type { SchedulerStateRepository } from '../storage/scheduler-state-repository.js';
import { deriveNonce } from './delivery-nonce.js';

export interface PlannerDeps {
  content: Content;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  state: SchedulerStateRepository;
  logger: Logger;
}

/** Rows are written this far ahead, so that status can list the next posts of every observance. */
export const PLAN_AHEAD_MS = 370 * 24 * 3600 * 1000;

/**
 * The coming two days are planned first, before the tick goes on to send; the rest of the year
 * follows in the background, so that a start-up with 10,000 servers does not hold up a post due now.
 */
const PLAN_FIRST_MS = 2 * 24 * 3600 * 1000;

/** The whole plan is extended once a day. */
const REPLAN_EVERY_MS = 24 * 3600 * 1000;

/** After a long outage, posts older than this are not worth recording as missed. */
const LOOKBACK_MS = 35 * 24 * 3600 * 1000;

/** Servers planned between two turns of the event loop, so planning never holds up commands. */
const YIELD_EVERY = 250;

/**
 * Writes each server's owed posts into the deliveries table as `planned` rows ahead of their
 * time: every server at start-up and daily, and a server again whenever its settings change.
 */
export class DeliveryPlanner {
  /** Plans run one after another: a tick never starts planning while another is still at it. */
  private turn: Promise<unknown> = Promise.resolve();
  private planningAhead = false;
  private ahead: Promise<void> = Promise.resolve();
  private aheadFrom: Date | undefined;

  constructor(private readonly deps: PlannerDeps) {}

  /**
   * Brings the table up to date at `now`: the whole plan if it is a day old (or never made), else
   * only the servers whose settings changed. `since`: the last tick, for posts owed during an
   * outage that no row covers yet.
   */
  plan(now: Date, since: Date | undefined): Promise<number> {
    const next = this.turn.then(() => this.planNow(now, since));
    this.turn = next.catch(() => {});
    return next;
  }

  private async planNow(now: Date, since: Date | undefined): Promise<number> {
    const last = await this.deps.state.findPlannedAt();
    if (this.planningAhead || (last && now.getTime() - last.getTime() < REPLAN_EVERY_MS)) {
      return this.planChangedServers(now);
    }
    const from = new Date(
      Math.max(
        now.getTime() - LOOKBACK_MS,
        Math.min(since?.getTime() ?? now.getTime(), now.getTime()),
      ),
    );
    const planned = await this.planEveryServer(from, now, new Date(now.getTime() + PLAN_FIRST_MS));
    this.planningAhead = true;
    this.aheadFrom = now;
    return planned;
  }

  /**
   * Plans the rest of the year, if a full plan left it to do, once the dispatcher has nothing in
   * flight: a fan-out due now goes first. Ticks meanwhile plan only changed servers, and this
   * pass reads each server's settings afresh.
   */
  continueAhead(): void {
    const from = this.aheadFrom;
    if (!from) return;
    this.aheadFrom = undefined;
    this.ahead = this.planAhead(from)
      .then(() => this.deps.state.savePlannedAt(from))
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'planning the coming year failed; will retry');
      })
      .finally(() => {
        this.planningAhead = false;
      });
  }

  /** Plans the rest of the year now, if due, and resolves when it is done (tests). */
  async settled(): Promise<void> {
    await this.turn;
    this.continueAhead();
    await this.ahead;
  }

  /** Every configured server's posts for the coming year, from its settings as they are now. */
  private async planAhead(now: Date): Promise<number> {
    const cache = new Map<string, ScheduledPost[]>();
    const until = new Date(now.getTime() + PLAN_AHEAD_MS);
    const ids = (await this.deps.settings.listConfigured()).map((guild) => guild.guildId);
    return this.inBatches(ids, now, async (guildId) => {
      // Read again: the settings may have changed (and been planned) since the list was read.
      const guild = await this.deps.settings.find(guildId);
      return guild
        ? this.planServer(guildId, guild, now, now, until, false, cache)
        : { guildId, remove: [], save: [], insert: [] };
    });
  }

  /** Servers whose settings changed since their rows were written. */
  async planChangedServers(now: Date): Promise<number> {
    const ids = await this.deps.deliveries.listGuildsToPlan();
    const until = new Date(now.getTime() + PLAN_AHEAD_MS);
    return this.inBatches(ids, now, async (guildId) =>
      this.planServer(guildId, await this.deps.settings.find(guildId), now, now, until, true),
    );
  }

  private async planEveryServer(from: Date, now: Date, until: Date): Promise<number> {
    const changed = new Set(await this.deps.deliveries.listGuildsToPlan());
    const cache = new Map<string, ScheduledPost[]>();
    const configured = await this.deps.settings.listConfigured();
    const planned = await this.inBatches(configured, now, (guild) => {
      const isChanged = changed.delete(guild.guildId);
      const start = isChanged ? now : from;
      return this.planServer(guild.guildId, guild, start, now, until, isChanged, cache);
    });
    // Servers that stopped posting: their planned rows go.
    const stopped = await this.inBatches([...changed], now, (guildId) =>
      this.planServer(guildId, undefined, now, now, until, true),
    );
    return planned + stopped;
  }

  /**
   * One transaction per batch of servers (a commit per server would dominate the cost), with a
   * turn of the event loop between batches.
   */
  private async inBatches<T>(
    items: readonly T[],
    now: Date,
    plan: (item: T) => Promise<GuildPlanWrite>,
  ): Promise<number> {
    let planned = 0;
    for (let start = 0; start < items.length; start += YIELD_EVERY) {
      if (start > 0) await yieldToEventLoop();
      const plans: GuildPlanWrite[] = [];
      for (const item of items.slice(start, start + YIELD_EVERY)) plans.push(await plan(item));
      planned += await this.deps.deliveries.writePlans(plans, now);
    }
    return planned;
  }
  /**
   * One server: after a settings change, its unsettled rows are withdrawn or re-planned first
   * (through the lifecycle), then every post it is owed in [from, until] is written.
   */
  private async planServer(
    guildId: string,
    guild: GuildSettings | undefined,
    from: Date,
    now: Date,
    until: Date,
    changed: boolean,
    cache = new Map<string, ScheduledPost[]>(),
  ): Promise<GuildPlanWrite> {
    const { deliveries, content } = this.deps;
    const remove: DeliveryRecord[] = [];
    const save: Array<GuildPlanWrite['save'][number]> = [];
    if (changed) {
      for (const record of await deliveries.listUnsettledForGuild(guildId)) {
        const stillOwed =
          guild?.channelId !== undefined &&
          !guild.disabledObservances.includes(record.observanceId);
        // A plan is rewritten below with the new settings; anything attempted keeps its row.
        const event = !stillOwed || record.status === 'planned' ? 'withdrawn' : 'settings-changed';
        const transition = applyDeliveryEvent(record, { type: event }, now);
        if (transition.kind === 'remove') remove.push(record);
        else if (transition.kind === 'move')
          save.push({ next: transition.record, expected: record });
      }
    }
    const insert = guild?.channelId
      ? listOwedPosts(content, guild, from, until, cache).map((post) => toPlanned(guildId, post))
      : [];
    // Withdrawals, new rows and the settings version land together (in the batch's transaction).
    return { guildId, remove, save, insert, ...(guild ? { settingsVersion: guild.version } : {}) };
  }
}

function listOwedPosts(
  content: Content,
  guild: GuildSettings,
  from: Date,
  until: Date,
  cache: Map<string, ScheduledPost[]>,
): ScheduledPost[] {
  const settings = toPostSettings(guild, content.observances);
  // Servers with the same schedule settings share one computation.
  const signature = JSON.stringify([
    from.getTime(),
    until.getTime(),
    settings.postTime,
    settings.eveReminder,
    settings.momentPosts,
    [...settings.enabledObservances].sort(),
  ]);
  let posts = cache.get(signature);
  if (!posts) {
    posts = listPostsOverlapping(content.observances, from, until, settings);
    cache.set(signature, posts);
  }
  // Posts due before the server switched posting on are not owed.
  const activeSince = guild.activeSince?.getTime() ?? Number.NEGATIVE_INFINITY;
  return posts.filter((post) => post.at.getTime() >= activeSince);
}

function toPlanned(guildId: string, post: ScheduledPost): PlannedDelivery {
  const key = {
    guildId,
    observanceId: post.observanceId,
    kind: post.kind,
    momentId: post.momentId ?? '',
    year: post.year,
  };
  return { ...key, scheduledAt: post.at, closesAt: post.closesAt, nonce: deriveNonce(key) };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
