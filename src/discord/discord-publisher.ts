import { DiscordAPIError, HTTPError, RateLimitError, type REST } from '@discordjs/rest';
import {
  type APIMessage,
  type APIThreadChannel,
  type APIThreadList,
  ChannelType,
  PermissionFlagsBits,
  type RESTGetAPIChannelThreadsArchivedPublicResult,
  RESTJSONErrorCodes,
  type RESTPostAPIGuildForumThreadsJSONBody,
  Routes,
} from 'discord-api-types/v10';
import { carriesDeliveryMarker } from '../domain/delivery-marker.js';
import type { MessagePayload } from '../domain/message-payload.js';
import { snowflakeAt } from '../domain/snowflake.js';
import type {
  ForumPostRequest,
  HistoryCheck,
  HistoryRequest,
  Publisher,
  PublishResult,
} from '../scheduler/publisher.js';
import { readChannelPermissions } from './check-channel-permissions.js';

/** Discord returns at most this many messages per page. */
const PAGE = 100;
/** Pages read at most: a post in doubt is minutes old, and a busy channel rarely has 500 since. */
const MAX_PAGES = 5;
/** The bot's own forum posts since the attempt in doubt whose first message it reads at most. */
const MAX_FORUM_CANDIDATES = 10;

/**
 * Posts through `@discordjs/rest`, whose queue honours Discord's per-route and global rate
 * limits (and retries 5xx itself). Every send carries the delivery's nonce with enforce_nonce, so
 * a repeat within Discord's window returns the first message instead of creating another.
 */
export class DiscordPublisher implements Publisher {
  constructor(
    private readonly rest: REST,
    /** The bot's user id, known once the gateway is ready. */
    private readonly botUserId: () => string | undefined,
    /** For forum posts: a client that never repeats a request on its own (see startForumPost). */
    private readonly singleTryRest: REST = rest,
  ) {}

  async publish(
    channelId: string,
    payload: MessagePayload,
    nonce: string,
    signal?: AbortSignal,
  ): Promise<PublishResult> {
    try {
      const message = (await this.rest.post(Routes.channelMessages(channelId), {
        body: { ...payload, nonce, enforce_nonce: true },
        ...(signal ? { signal } : {}),
      })) as { id: string };
      return { ok: true, messageId: message.id };
    } catch (error) {
      return classifyError(error);
    }
  }

  /**
   * Starts a forum post (Start Thread in Forum): the thread's id is also its first message's.
   * Discord ignores a nonce here, so none is sent; see `findPosted` for what makes a repeat safe.
   */
  async startForumPost(
    { forumId, title, payload, tagId }: ForumPostRequest,
    signal?: AbortSignal,
  ): Promise<PublishResult> {
    const body: RESTPostAPIGuildForumThreadsJSONBody = {
      name: title,
      message: payload,
      ...(tagId ? { applied_tags: [tagId] } : {}),
    };
    try {
      // Never retried by the REST client: after a 5xx or a timeout the post may exist, and
      // only the lifecycle's search may say it does not.
      const thread = (await this.singleTryRest.post(Routes.threads(forumId), {
        body,
        ...(signal ? { signal } : {}),
      })) as { id: string };
      return { ok: true, messageId: thread.id };
    } catch (error) {
      return classifyError(error);
    }
  }

  /**
   * Reads the channel's messages after the given instant, looking for the bot's own with the
   * marker. Without Read Message History Discord answers with an empty list rather than an error,
   * so the permission is checked first: an empty list must mean "not there".
   */
  async findPosted({
    guildId,
    channelId,
    marker,
    after,
    title,
  }: HistoryRequest): Promise<HistoryCheck> {
    const botId = this.botUserId();
    if (!botId) return { outcome: 'failed', detail: 'not logged in' };
    try {
      const access = await readChannelPermissions(this.rest, {
        guildId,
        channelId,
        botId,
      });
      if (access === 'not-found') return { outcome: 'unreadable', detail: 'the channel is gone' };
      if (access === 'no-view') return { outcome: 'unreadable', detail: 'missing View Channel' };
      const needed = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
      if ((access.permissions & needed) !== needed) {
        return { outcome: 'unreadable', detail: 'missing Read Message History' };
      }
      if (access.channelType === ChannelType.GuildForum) {
        return await this.findForumPost(botId, { guildId, channelId, marker, after, title });
      }
      let cursor = snowflakeAt(after);
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ after: cursor, limit: String(PAGE) });
        const messages = (await this.rest.get(Routes.channelMessages(channelId), {
          query,
        })) as APIMessage[];
        const mine = messages.find(
          (m) => m.author.id === botId && carriesDeliveryMarker(m.embeds, marker),
        );
        if (mine) return { outcome: 'found', messageId: mine.id };
        if (messages.length < PAGE) return { outcome: 'absent' };
        // Newest first: continue after the newest message seen.
        cursor = messages.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), cursor);
      }
      return { outcome: 'failed', detail: `more than ${PAGE * MAX_PAGES} messages to read` };
    } catch (error) {
      const failure = classifyError(error);
      if (!failure.retry && failure.reason !== 'rejected') {
        return { outcome: 'unreadable', detail: failure.detail };
      }
      return { outcome: 'failed', detail: failure.detail };
    }
  }

  /**
   * A forum post is a thread: the bot's own threads in this forum started since `after`, active
   * or archived (a thread archives itself after its inactivity, and a moderator may archive it),
   * whose first message carries the marker. Archived threads come latest archived first, and a
   * thread archived before `after` was started before it, so the reading stops there.
   */
  private async findForumPost(
    botId: string,
    { guildId, channelId, marker, after, title }: HistoryRequest,
  ): Promise<HistoryCheck> {
    const since = BigInt(snowflakeAt(after));
    const candidates = new Map<string, APIThreadChannel>();
    const keep = (threads: readonly unknown[]) => {
      for (const thread of threads as APIThreadChannel[]) {
        if (
          thread.parent_id === channelId &&
          thread.owner_id === botId &&
          BigInt(thread.id) >= since
        )
          candidates.set(thread.id, thread);
      }
    };
    const active = (await this.rest.get(Routes.guildActiveThreads(guildId))) as APIThreadList;
    keep(active.threads);
    let before: string | undefined;
    let complete = false;
    for (let page = 0; page < MAX_PAGES && !complete; page++) {
      const query = new URLSearchParams({ limit: String(PAGE), ...(before ? { before } : {}) });
      const archived = (await this.rest.get(Routes.channelThreads(channelId, 'public'), {
        query,
      })) as RESTGetAPIChannelThreadsArchivedPublicResult;
      keep(archived.threads);
      const last = archived.threads.at(-1) as APIThreadChannel | undefined;
      const lastArchivedAt = last?.thread_metadata?.archive_timestamp;
      complete =
        !archived.has_more ||
        lastArchivedAt === undefined ||
        Date.parse(lastArchivedAt) < after.getTime();
      before = lastArchivedAt;
    }
    if (!complete)
      return { outcome: 'failed', detail: `more than ${PAGE * MAX_PAGES} archived posts to read` };
    // Posts with the title this one would have first: the likeliest, and the cheapest to read.
    const ordered = [...candidates.values()].sort(
      (a, b) => Number(b.name === title) - Number(a.name === title),
    );
    for (const [index, thread] of ordered.entries()) {
      if (index === MAX_FORUM_CANDIDATES) {
        return {
          outcome: 'failed',
          detail: `more than ${MAX_FORUM_CANDIDATES} posts of the bot to read`,
        };
      }
      try {
        // A forum post's first message has the thread's id.
        const first = (await this.rest.get(
          Routes.channelMessage(thread.id, thread.id),
        )) as APIMessage;
        if (first.author.id === botId && carriesDeliveryMarker(first.embeds, marker)) {
          return { outcome: 'found', messageId: thread.id };
        }
      } catch (error) {
        if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage))
          throw error;
        // A moderator deleted the first message; the thread and its title remain.
        if (title !== undefined && thread.name === title)
          return { outcome: 'found', messageId: thread.id };
      }
    }
    return { outcome: 'absent' };
  }
}

export function classifyError(error: unknown): Extract<PublishResult, { ok: false }> {
  if (error instanceof DiscordAPIError) {
    const detail = `${error.status} ${error.code}: ${error.message}`;
    if (error.code === RESTJSONErrorCodes.UnknownMessage) {
      // A resend carrying the nonce of a message that a moderator has since deleted.
      return { ok: false, retry: false, reason: 'message-deleted', detail, maybeDelivered: true };
    }
    if (
      error.code === RESTJSONErrorCodes.MissingPermissions ||
      error.code === RESTJSONErrorCodes.MissingAccess
    ) {
      return {
        ok: false,
        retry: false,
        reason: 'missing-permissions',
        detail,
        maybeDelivered: false,
      };
    }
    if (
      error.code === RESTJSONErrorCodes.UnknownChannel ||
      error.code === RESTJSONErrorCodes.UnknownGuild ||
      error.status === 404
    ) {
      return { ok: false, retry: false, reason: 'unknown-channel', detail, maybeDelivered: false };
    }
    if (error.status === 429) {
      return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: false };
    }
    if (error.status >= 500) {
      // Discord can store the message and still answer 5xx.
      return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: true };
    }
    return { ok: false, retry: false, reason: 'rejected', detail, maybeDelivered: false };
  }
  if (error instanceof RateLimitError) {
    return {
      ok: false,
      retry: true,
      reason: 'transient',
      detail: `429 rate limited for ${error.retryAfter} ms`,
      maybeDelivered: false,
    };
  }
  if (error instanceof HTTPError) {
    // A 5xx that discord.js gave up retrying: Discord may have stored the message all the same.
    return {
      ok: false,
      retry: true,
      reason: 'transient',
      detail: `${error.status} ${error.message}`,
      maybeDelivered: true,
    };
  }
  // A timeout or a dropped connection: the request may have reached Discord.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, retry: true, reason: 'transient', detail, maybeDelivered: true };
}
