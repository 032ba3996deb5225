import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { LoadedContent } from '../content/load-content.js';
import { type DeliveryRecord, formatDeliveryKey } from '../domain/delivery-record.js';
import { fillTemplate } from '../domain/fill-template.js';
import { choosePostLanguage, type GuildSettings } from '../domain/guild-settings.js';
import {
  type FollowUpOutcome,
  type PublishFollowUp,
  settlePublish,
  settleThread,
  shouldPublish,
  shouldStartThread,
  type ThreadFollowUp,
} from '../domain/post-follow-ups.js';
import type { DeliveryRepository, DispatcherFence } from '../storage/delivery-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';
import type { FollowUpPublisher } from './follow-up-publisher.js';

export interface FollowUpDeps {
  /** The thread's name is in the post's language, from data/locales/ (`bot.publishing`). */
  content: LoadedContent;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  publisher: FollowUpPublisher;
  clock: Clock;
  logger: Logger;
}

/** What the dispatcher lends a run: its pacing, its fence and its term's signal. */
export interface FollowUpTerm {
  pace: (requests: number) => Promise<void>;
  fence?: DispatcherFence | undefined;
  signal?: AbortSignal;
  /** True while posts are queued or being sent: they go first, the run stops for this tick. */
  postsWaiting: () => boolean;
}

export interface FollowUpSummary {
  published: number;
  threads: number;
  /** Steps that will be tried again (a rate limit, a Discord error). */
  waiting: number;
  failed: number;
}

/** Rows read at a time. */
const BATCH = 200;
/** Steps in flight at once: every request is paced under the global limit anyway. */
const CONCURRENCY = 5;
/** Discord's limit on a thread's name. */
const THREAD_NAME_MAX = 100;

/**
 * Runs the follow-ups that are due (publishing sent posts, starting their threads), after the
 * tick's posts. Each step's outcome is stored on its delivery, so a crash between a request and
 * its record is repaired by the next run: Discord answers 40033 or 160004, which count as done.
 */
export class FollowUpRunner {
  private running = false;

  constructor(private readonly deps: FollowUpDeps) {}

  async runDue(tickAt: Date, term: FollowUpTerm): Promise<FollowUpSummary> {
    const summary: FollowUpSummary = { published: 0, threads: 0, waiting: 0, failed: 0 };
    // A run still going (a long fan-out) keeps going; the next tick's run has nothing to add.
    if (this.running) return summary;
    this.running = true;
    // The tick's posts were recorded after the tick began, their steps due from then: read the
    // clock again, or they would wait for the next tick.
    const now = new Date(Math.max(tickAt.getTime(), this.deps.clock.now().getTime()));
    try {
      const seen = new Set<string>();
      for (;;) {
        if (term.postsWaiting() || term.signal?.aborted) break;
        const due = (await this.deps.deliveries.listDueFollowUps(now, BATCH)).filter(
          (record) => !seen.has(formatDeliveryKey(record)),
        );
        if (due.length === 0) break;
        for (const record of due) seen.add(formatDeliveryKey(record));
        await runPool(due, CONCURRENCY, async (record) => {
          if (term.postsWaiting() || term.signal?.aborted) return;
          // One signal per step, tied to the term's: the REST client never removes its listener.
          const step = new AbortController();
          const abortStep = () => step.abort();
          term.signal?.addEventListener('abort', abortStep, { once: true });
          await this.followUp(record, now, { ...term, signal: step.signal }, summary)
            .catch((error: unknown) => {
              // The step stays due; the next tick tries again.
              this.deps.logger.error(
                { err: error, delivery: formatDeliveryKey(record) },
                'follow-up of a post crashed',
              );
            })
            .finally(() => term.signal?.removeEventListener('abort', abortStep));
        });
      }
    } finally {
      this.running = false;
    }
    if (summary.published + summary.threads + summary.waiting + summary.failed > 0) {
      this.deps.logger.info({ at: now.toISOString(), ...summary }, 'follow-ups finished');
    }
    return summary;
  }

  private async followUp(
    record: DeliveryRecord,
    now: Date,
    term: FollowUpTerm,
    summary: FollowUpSummary,
  ): Promise<void> {
    const { deliveries, clock } = this.deps;
    const settings = await this.deps.settings.find(record.guildId);
    const channelId = record.channelId ?? settings?.channelId;
    if (!record.messageId || !channelId) return;
    const sentAt = record.updatedAt;
    const next: DeliveryRecord = { ...record };

    if (isDue(record.publish, now)) {
      const outcome = await this.publish(record, channelId, settings, term);
      const step = settlePublish(outcome, sentAt, clock.now());
      if (step) next.publish = step;
      else delete next.publish;
    }
    if (isDue(record.thread, now)) {
      const outcome = await this.startThread(record, channelId, settings, term);
      const step = settleThread(
        record.thread ?? { state: 'pending' },
        outcome,
        sentAt,
        clock.now(),
      );
      if (step) next.thread = step;
      else delete next.thread;
    }
    if (!(await deliveries.saveFollowUps(next, record, term.fence))) return;
    this.report(record, next, summary);
  }

  private async publish(
    record: DeliveryRecord,
    channelId: string,
    settings: GuildSettings | undefined,
    term: FollowUpTerm,
  ): Promise<FollowUpOutcome> {
    // The admin turned publishing off since the post was sent.
    if (!settings || !shouldPublish(settings, undefined)) return { type: 'not-applicable' };
    const kind = await this.findChannelKind(record, channelId, settings, term);
    if (kind.type !== 'kind') return kind.outcome;
    if (kind.kind !== 'announcement') return { type: 'not-applicable' };
    await term.pace(1);
    return this.deps.publisher.crosspost(channelId, record.messageId ?? '', term.signal);
  }

  private async startThread(
    record: DeliveryRecord,
    channelId: string,
    settings: GuildSettings | undefined,
    term: FollowUpTerm,
  ): Promise<FollowUpOutcome> {
    if (!settings || !shouldStartThread(settings, undefined, record.kind)) {
      return { type: 'not-applicable' };
    }
    if (sameChannel(record, settings) && settings.channelKind === 'forum') {
      return { type: 'not-applicable' };
    }
    await term.pace(1);
    return this.deps.publisher.startThread(
      channelId,
      record.messageId ?? '',
      this.nameThread(record, settings),
      term.signal,
    );
  }

  /**
   * The post's channel kind: from the settings when the post went to the configured channel and
   * setup recorded it, else asked of Discord once and recorded, for servers set up before the
   * bot recorded it.
   */
  private async findChannelKind(
    record: DeliveryRecord,
    channelId: string,
    settings: GuildSettings,
    term: FollowUpTerm,
  ): Promise<{ type: 'kind'; kind: string } | { type: 'answer'; outcome: FollowUpOutcome }> {
    if (sameChannel(record, settings) && settings.channelKind) {
      return { type: 'kind', kind: settings.channelKind };
    }
    await term.pace(1);
    const answer = await this.deps.publisher.readChannelKind(channelId, term.signal);
    if ('type' in answer) return { type: 'answer', outcome: answer };
    if (answer.outcome === 'other') return { type: 'kind', kind: 'other' };
    if (sameChannel(record, settings) && !settings.channelKind) {
      await this.deps.settings.update(
        record.guildId,
        { channelKind: answer.kind },
        this.deps.clock.now(),
      );
      this.deps.logger.info(
        { guildId: record.guildId, channelKind: answer.kind },
        'recorded the kind of the posts channel',
      );
    }
    return { type: 'kind', kind: answer.kind };
  }

  /** "<day's name>, <year>" in the post's language, within Discord's 100 characters. */
  private nameThread(record: DeliveryRecord, settings: GuildSettings): string {
    const { content } = this.deps;
    const language = choosePostLanguage(settings, content.locales);
    const observance = content.observances.find((o) => o.id === record.observanceId);
    const name =
      observance?.text[language]?.name ?? observance?.text.en?.name ?? record.observanceId;
    const template = content.languages.get(language)?.bot.publishing.threadName ?? '{name} {year}';
    const full = fillTemplate(template, { name, year: record.year });
    if (full.length <= THREAD_NAME_MAX) return full;
    const suffix = fillTemplate(template, { name: '', year: record.year });
    return fillTemplate(template, {
      name: `${name.slice(0, THREAD_NAME_MAX - suffix.length - 1).trimEnd()}…`,
      year: record.year,
    });
  }

  private report(before: DeliveryRecord, after: DeliveryRecord, summary: FollowUpSummary): void {
    const delivery = formatDeliveryKey(before);
    for (const [name, was, now] of [
      ['publish', before.publish, after.publish],
      ['thread', before.thread, after.thread],
    ] as const) {
      if (!was || was === now || !now) continue;
      if (now.state === 'published') summary.published += 1;
      else if (now.state === 'started') summary.threads += 1;
      else if (now.state === 'pending') summary.waiting += 1;
      else summary.failed += 1;
      const fields = { delivery, step: name, state: now.state, ...reasonOf(now) };
      if (now.state === 'failed')
        this.deps.logger.warn(
          fields,
          'a follow-up of a post failed; /commemoration status says why',
        );
      else this.deps.logger.debug(fields, 'follow-up of a post');
    }
  }
}

function isDue(step: PublishFollowUp | ThreadFollowUp | undefined, now: Date): boolean {
  return step?.state === 'pending' && (step.nextAt?.getTime() ?? 0) <= now.getTime();
}

function sameChannel(record: DeliveryRecord, settings: GuildSettings): boolean {
  return !record.channelId || record.channelId === settings.channelId;
}

function reasonOf(step: PublishFollowUp | ThreadFollowUp) {
  return {
    ...(step.reason ? { reason: step.reason } : {}),
    ...(step.detail ? { detail: step.detail } : {}),
    ...(step.nextAt ? { nextAt: step.nextAt } : {}),
  };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let index = 0;
  const worker = async () => {
    while (index < items.length) {
      const item = items[index];
      index += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
