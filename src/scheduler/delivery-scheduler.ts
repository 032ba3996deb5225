import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Content } from '../domain/content.js';
import type { Observance } from '../domain/observance.js';
import {
  listPostsOverlapping,
  mayHavePostsBetween,
  type PostSettings,
  type ScheduledPost,
} from '../domain/post-schedule.js';
import { renderPost } from '../domain/render-post.js';
import type { DeliveryKey, DeliveryRecord } from '../storage/delivery-record.js';
import { formatDeliveryKey } from '../storage/delivery-record.js';
import type { DeliveryRepository } from '../storage/delivery-repository.js';
import type { GuildSettings } from '../storage/guild-settings.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import type { SchedulerStateRepository } from '../storage/scheduler-state-repository.js';
import { computeRetryDelay, decideDelivery } from './decide-delivery.js';
import { deriveNonce } from './delivery-nonce.js';
import type { Publisher, PublishResult } from './publisher.js';

export interface SchedulerDeps {
  content: Content;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  state: SchedulerStateRepository;
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
  /** Identifies this process in claims, so a restart can tell its predecessor's sends apart. */
  bootId: string;
  /** Sends in flight at once. Discord's rate limits are honoured by the REST queue behind the publisher. */
  concurrency?: number;
}

export interface TickSummary {
  queued: number;
  sent: number;
  failed: number;
  retrying: number;
  missed: number;
  unconfirmed: number;
}

interface Job {
  post: ScheduledPost;
  key: DeliveryKey;
  expected: DeliveryRecord | undefined;
  late: boolean;
  summary: TickSummary;
  done: () => void;
}

/** Servers planned between two turns of the event loop, so a tick never holds up commands. */
const YIELD_EVERY = 250;

/** After a long outage, missed posts older than this are not worth recording. */
const LOOKBACK_MS = 35 * 24 * 3600 * 1000;

/**
 * Decides, on each tick, which posts are due for which servers, and delivers each one exactly once:
 * claimed in the database before sending, recorded after, retried while it still makes sense.
 */
export class DeliveryScheduler {
  private readonly concurrency: number;
  /** Deliveries queued or being sent by this process, by key. */
  private readonly busy = new Set<string>();
  private readonly queue: Job[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private lastTick: Date | undefined;
  /** Whether posts can be open, by quarter hour: the answer is the same for every minute in it. */
  private readonly quietCache = new Map<string, boolean>();

  constructor(private readonly deps: SchedulerDeps) {
    this.concurrency = deps.concurrency ?? 25;
  }

  /** At start-up, before the first tick: take over sends an earlier process left unfinished. */
  recover(): number {
    const recovered = this.deps.deliveries.recoverOrphans(this.deps.bootId, this.deps.clock.now());
    if (recovered > 0) {
      this.deps.logger.warn({ recovered }, 'resuming sends interrupted by a previous shutdown');
    }
    return recovered;
  }

  /**
   * Looks at everything owed since the previous tick (or the last tick before a restart), queues
   * what must go out, records what can no longer go out, and resolves once this tick's sends end.
   */
  async tick(now: Date = this.deps.clock.now()): Promise<TickSummary> {
    const summary: TickSummary = {
      queued: 0,
      sent: 0,
      failed: 0,
      retrying: 0,
      missed: 0,
      unconfirmed: 0,
    };
    if (this.stopped) return summary;
    const { deliveries, state } = this.deps;
    this.lastTick ??= state.findLastTickAt();
    const lastTick = this.lastTick;
    const from =
      lastTick && lastTick.getTime() < now.getTime()
        ? new Date(Math.max(lastTick.getTime(), now.getTime() - LOOKBACK_MS))
        : now;
    summary.missed += deliveries.expireClosed(now);

    const jobs: Promise<void>[] = [];
    if (this.mayHavePosts(from, now)) {
      for await (const { guild, post, key, record } of this.listOwedPosts(from, now)) {
        const decision = decideDelivery({
          post,
          record,
          settingsVersion: guild.version,
          now,
          inFlight: this.busy.has(formatDeliveryKey(key)),
        });
        switch (decision.action) {
          case 'send':
            jobs.push(this.enqueue(post, key, record, decision.late, summary));
            break;
          case 'miss':
            this.recordMissed(key, post, now, summary, 'offline');
            break;
          case 'give-up':
            deliveries.markUnconfirmed(key, now);
            summary.unconfirmed += 1;
            this.deps.logger.error(
              { delivery: formatDeliveryKey(key) },
              'not resending: an earlier send may have reached Discord and its duplicate protection has expired',
            );
            break;
          case 'wait':
            break;
        }
      }
    }
    state.saveLastTickAt(now);
    this.lastTick = now;
    summary.queued = jobs.length;
    await Promise.all(jobs);
    if (summary.queued + summary.missed + summary.unconfirmed > 0) {
      this.deps.logger.info({ at: now.toISOString(), ...summary }, 'tick finished');
    }
    return summary;
  }

  /**
   * Every configured server's posts whose window overlaps [from, now], with their records. Servers
   * with the same schedule settings share one computation, and records are read per post slot.
   */
  private async *listOwedPosts(
    from: Date,
    now: Date,
  ): AsyncGenerator<{
    guild: GuildSettings;
    post: ScheduledPost;
    key: DeliveryKey;
    record: DeliveryRecord | undefined;
  }> {
    const { observances } = this.deps.content;
    const records = new Map<string, ReturnType<DeliveryRepository['listForSlot']>>();
    const postsBySettings = new Map<string, ScheduledPost[]>();
    let served = 0;
    for (const guild of this.deps.settings.listConfigured()) {
      // With thousands of servers, let interactions in between: a tick runs every minute.
      if (++served % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const postSettings = toPostSettings(guild, observances);
      const signature = describeSettings(postSettings);
      let posts = postsBySettings.get(signature);
      if (!posts) {
        posts = listPostsOverlapping(observances, from, now, postSettings);
        postsBySettings.set(signature, posts);
      }
      for (const post of posts) {
        // Posts due before the server switched posting on are not owed.
        if (guild.activeSince && post.at.getTime() < guild.activeSince.getTime()) continue;
        const key = toKey(guild.guildId, post);
        const slot = `${post.observanceId}/${post.kind}/${key.momentId}/${post.year}`;
        let slotRecords = records.get(slot);
        if (!slotRecords) {
          slotRecords = this.deps.deliveries.listForSlot(key);
          records.set(slot, slotRecords);
        }
        // Settled for good: nothing to decide, and no record to read.
        if (slotRecords.settled.has(guild.guildId)) continue;
        yield { guild, post, key, record: slotRecords.open.get(guild.guildId) };
      }
    }
  }

  private recordMissed(
    key: DeliveryKey,
    post: ScheduledPost,
    now: Date,
    summary: TickSummary,
    reason: 'offline' | 'transient',
    detail?: string,
  ): void {
    this.deps.deliveries.insertMissed({
      key,
      scheduledAt: post.at,
      closesAt: post.closesAt,
      nonce: deriveNonce(key),
      reason,
      ...(detail ? { detail } : {}),
      now,
    });
    summary.missed += 1;
    this.deps.logger.warn(
      { delivery: formatDeliveryKey(key), reason, detail },
      'missed: the window for this post closed before it could go out',
    );
  }

  /** Stops taking new work and waits (up to the bound) for sends already started to finish. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    // Queued but unstarted deliveries are left unclaimed: the next start-up sends them.
    for (const job of this.queue.splice(0)) {
      this.busy.delete(formatDeliveryKey(job.key));
      job.done();
    }
    const settled = Promise.allSettled([...this.inFlight]).then(() => true);
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(resolve, timeoutMs, false).unref(),
    );
    return Promise.race([settled, timeout]);
  }

  private mayHavePosts(from: Date, until: Date): boolean {
    // Every time zone offset in use is a multiple of 15 minutes, so a Baku date never changes
    // inside a UTC quarter hour.
    const quarter = 15 * 60_000;
    const key = `${Math.floor(from.getTime() / quarter)}:${Math.floor(until.getTime() / quarter)}`;
    let answer = this.quietCache.get(key);
    if (answer === undefined) {
      answer = mayHavePostsBetween(this.deps.content.observances, from, until);
      if (this.quietCache.size > 1000) this.quietCache.clear();
      this.quietCache.set(key, answer);
    }
    return answer;
  }

  private enqueue(
    post: ScheduledPost,
    key: DeliveryKey,
    expected: DeliveryRecord | undefined,
    late: boolean,
    summary: TickSummary,
  ): Promise<void> {
    this.busy.add(formatDeliveryKey(key));
    return new Promise<void>((done) => {
      this.queue.push({ post, key, expected, late, summary, done });
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.concurrency) {
      const job = this.queue.shift();
      if (!job) return;
      const running = this.deliver(job)
        .catch((error: unknown) => {
          this.deps.logger.error(
            { err: error, delivery: formatDeliveryKey(job.key) },
            'delivery crashed',
          );
        })
        .finally(() => {
          this.inFlight.delete(running);
          this.busy.delete(formatDeliveryKey(job.key));
          job.done();
          this.pump();
        });
      this.inFlight.add(running);
    }
  }

  private async deliver(job: Job): Promise<void> {
    const { deliveries, clock, content, logger } = this.deps;
    const { post, key, summary } = job;
    const guild = this.deps.settings.find(key.guildId);
    // The admin may have stopped posting or switched this observance off since the tick.
    if (!guild?.channelId || guild.disabledObservances.includes(key.observanceId)) return;
    const claimedAt = clock.now();
    const nonce = deriveNonce(key);
    if (claimedAt.getTime() >= post.closesAt.getTime()) {
      // Only a very long fan-out gets here: the post waited in the queue past its window.
      this.recordMissed(
        key,
        post,
        claimedAt,
        summary,
        'transient',
        'the queue of posts did not reach it before its window closed',
      );
      return;
    }
    const claimed = deliveries.claim({
      key,
      expected: job.expected && { status: job.expected.status, attempts: job.expected.attempts },
      channelId: guild.channelId,
      scheduledAt: post.at,
      closesAt: post.closesAt,
      nonce,
      late: job.late,
      settingsVersion: guild.version,
      bootId: this.deps.bootId,
      now: claimedAt,
    });
    if (!claimed) return;

    const locale =
      guild.language && content.locales.includes(guild.language) ? guild.language : 'en';
    const payload = renderPost(
      content,
      {
        observanceId: post.observanceId,
        kind: post.kind,
        locale,
        year: post.year,
        ...(post.momentId ? { momentId: post.momentId } : {}),
      },
      {
        ...(guild.roleId ? { roleId: guild.roleId } : {}),
        silent: guild.silent,
        ...(job.late ? { lateFor: post.at } : {}),
      },
    );
    let result: PublishResult;
    try {
      result = await this.deps.publisher.publish(guild.channelId, payload, nonce);
    } catch (error) {
      result = {
        ok: false,
        retry: true,
        reason: 'transient',
        detail: String(error),
        maybeDelivered: true,
      };
    }
    const now = clock.now();
    const delivery = formatDeliveryKey(key);
    if (result.ok) {
      deliveries.markSent(key, result.messageId, now);
      summary.sent += 1;
      logger.debug({ delivery, messageId: result.messageId, late: job.late }, 'sent');
      return;
    }
    const attempts = (job.expected?.attempts ?? 0) + 1;
    if (result.retry) {
      const nextAttemptAt = new Date(
        Math.min(now.getTime() + computeRetryDelay(attempts), post.closesAt.getTime()),
      );
      deliveries.markRetry(
        key,
        {
          reason: result.reason,
          detail: result.detail,
          nextAttemptAt,
          ...(result.maybeDelivered ? { inDoubtSince: claimedAt } : {}),
        },
        now,
      );
      summary.retrying += 1;
      logger.warn(
        { delivery, detail: result.detail, attempts, nextAttemptAt },
        'send failed; will retry',
      );
      return;
    }
    deliveries.markFailed(key, { reason: result.reason, detail: result.detail }, now);
    summary.failed += 1;
    logger.warn(
      { delivery, reason: result.reason, detail: result.detail },
      'send refused; waiting for the admin to fix it',
    );
  }
}

export function toPostSettings(
  guild: GuildSettings,
  observances: readonly Observance[],
): PostSettings {
  return {
    postTime: guild.postTime,
    eveReminder: guild.eveReminder,
    momentPosts: guild.momentPosts,
    enabledObservances: new Set(
      observances.map((o) => o.id).filter((id) => !guild.disabledObservances.includes(id)),
    ),
  };
}

function describeSettings(settings: PostSettings): string {
  return JSON.stringify([
    settings.postTime.hour,
    settings.postTime.minute,
    settings.eveReminder,
    settings.momentPosts,
    [...settings.enabledObservances].sort(),
  ]);
}

function toKey(guildId: string, post: ScheduledPost): DeliveryKey {
  return {
    guildId,
    observanceId: post.observanceId,
    kind: post.kind,
    momentId: post.momentId ?? '',
    year: post.year,
  };
}
