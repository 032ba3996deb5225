import {
  DiscordAPIError,
  HTTPError,
  type RateLimitData,
  RateLimitError,
  type REST,
} from '@discordjs/rest';
import {
  type APIChannel,
  type APIThreadChannel,
  RESTJSONErrorCodes,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type { FollowUpOutcome, FollowUpReason } from '../domain/post-follow-ups.js';
import type { ChannelKindAnswer, FollowUpPublisher } from '../scheduler/follow-up-publisher.js';
import { toChannelKind } from './check-channel-permissions.js';

/**
 * For @discordjs/rest's `rejectOnRateLimit`: a crosspost over Discord's publish limit (about 10
 * an hour per channel, with a `retry_after` of many minutes) is rejected at once instead of
 * waiting in the REST queue, so that it holds up nothing; the follow-up records when to try again.
 * Only the route's own limit is rejected so: see below.
 */
export function rejectCrosspostRateLimits(data: RateLimitData): boolean {
  // The global limit (50 a second) lifts within a second and holds every request alike: a
  // crosspost waits for it as the posts do, rather than being put off for a minute.
  return data.route.endsWith('/crosspost') && !data.global;
}

/** Crossposts and threads through the bot's REST client, its pacing and its queue. */
export class DiscordFollowUps implements FollowUpPublisher {
  constructor(private readonly rest: REST) {}

  async crosspost(
    channelId: string,
    messageId: string,
    signal?: AbortSignal,
  ): Promise<FollowUpOutcome> {
    try {
      await this.rest.post(Routes.channelMessageCrosspost(channelId, messageId), {
        ...(signal ? { signal } : {}),
      });
      return { type: 'done' };
    } catch (error) {
      // Published already: by this bot before a crash or a lost answer, or by a moderator.
      if (
        error instanceof DiscordAPIError &&
        error.code === RESTJSONErrorCodes.ThisMessageWasAlreadyCrossposted
      ) {
        return { type: 'done' };
      }
      return classify(error, 'not-announcement');
    }
  }

  async startThread(
    channelId: string,
    messageId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<FollowUpOutcome> {
    try {
      const thread = (await this.rest.post(Routes.threads(channelId, messageId), {
        // A week: members add their words over the days after the post, not in the first hour.
        body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek },
        ...(signal ? { signal } : {}),
      })) as APIThreadChannel;
      return { type: 'done', threadId: thread.id };
    } catch (error) {
      // Started already (a crash or a lost answer before it was recorded): Discord gives a
      // thread the id of the message it was started from.
      if (
        error instanceof DiscordAPIError &&
        error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage
      ) {
        return { type: 'done', threadId: messageId };
      }
      return classify(error, 'wrong-channel');
    }
  }

  async readChannelKind(channelId: string, signal?: AbortSignal): Promise<ChannelKindAnswer> {
    try {
      const channel = (await this.rest.get(Routes.channel(channelId), {
        ...(signal ? { signal } : {}),
      })) as APIChannel;
      const kind = toChannelKind(channel.type);
      return kind ? { outcome: 'kind', kind } : { outcome: 'other' };
    } catch (error) {
      const outcome = classify(error, 'rejected');
      return outcome.type === 'rate-limited'
        ? { type: 'transient', detail: outcome.detail }
        : outcome;
    }
  }
}

/** Discord's answer as a follow-up outcome; `wrongType` names what 50024 means for this step. */
function classify(
  error: unknown,
  wrongType: FollowUpReason,
): Exclude<FollowUpOutcome, { type: 'done' | 'not-applicable' }> {
  if (error instanceof RateLimitError) {
    return {
      type: 'rate-limited',
      retryAfterMs: error.retryAfter,
      detail: `429 rate limited for ${Math.ceil(error.retryAfter / 1000)} s`,
    };
  }
  if (error instanceof DiscordAPIError) {
    const detail = `${error.status} ${error.code}: ${error.message}`;
    const refused = (reason: FollowUpReason) => ({ type: 'refused' as const, reason, detail });
    if (
      error.code === RESTJSONErrorCodes.MissingPermissions ||
      error.code === RESTJSONErrorCodes.MissingAccess
    ) {
      return refused('missing-permissions');
    }
    if (error.code === RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType)
      return refused(wrongType);
    if (error.code === RESTJSONErrorCodes.UnknownMessage) return refused('message-deleted');
    if (error.code === RESTJSONErrorCodes.UnknownChannel || error.status === 404)
      return refused('unknown-channel');
    if (error.status === 429) return { type: 'rate-limited', retryAfterMs: 60_000, detail };
    if (error.status >= 500) return { type: 'transient', detail };
    return refused('rejected');
  }
  if (error instanceof HTTPError)
    return { type: 'transient', detail: `${error.status} ${error.message}` };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { type: 'transient', detail };
}
