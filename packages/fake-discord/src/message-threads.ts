import {
  type APIThreadChannel,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type ThreadAutoArchiveDuration,
  type ThreadMemberFlags,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import type { ChannelMessages } from './channel-messages.js';
import { epochNow } from './clock.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeState } from './fake-state.js';
import { apiError, errors, isRecord, ok, type RestRequest, type RestResult } from './rest-types.js';
import { invalidFormBody } from './validation/form-errors.js';
import { checkAgainstSpec } from './validation/spec-schemas.js';
import { threadSchemas } from './validation/thread-schemas.js';

/** A thread the bot started from a message (Start Thread from Message). */
export interface FakeThread {
  /** The same id as its starter message, as on Discord. */
  readonly id: string;
  readonly guildId: string;
  /** The text or announcement channel it was started in. */
  readonly parentId: string;
  readonly type: ChannelType.PublicThread | ChannelType.AnnouncementThread;
  readonly name: string;
  readonly autoArchiveDuration: ThreadAutoArchiveDuration;
  readonly rateLimitPerUser: number;
  readonly ownerId: string;
  /** Wall-clock ISO time of creation, as Discord's `create_timestamp`. */
  readonly createdAt: string;
}

export interface MessageThreadsOptions {
  state: FakeState;
  bot: APIUser;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  messages: ChannelMessages;
}

/** Discord's default when the request names no auto_archive_duration: one day. */
const DEFAULT_AUTO_ARCHIVE: ThreadAutoArchiveDuration = 1440;

export const errorsForThreads = {
  alreadyHasThread: () =>
    apiError(400, 160004, 'A thread has already been created for this message'),
  wrongChannelType: () => apiError(400, 50024, 'Cannot execute action on this channel type'),
};

/**
 * POST /channels/:id/messages/:id/threads (Start Thread from Message), with Discord's rules: a
 * text channel makes a PUBLIC_THREAD and an announcement channel an ANNOUNCEMENT_THREAD, both need
 * Create Public Threads; the thread takes the message's id, so a message has at most one (160004).
 */
export class MessageThreads {
  readonly threads: FakeThread[] = [];
  readonly #options: MessageThreadsOptions;

  constructor(options: MessageThreadsOptions) {
    this.#options = options;
  }

  start(channelId: string, messageId: string, request: RestRequest): RestResult {
    const { state } = this.#options;
    const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
    if (!found) return errors.unknownChannel();
    const { guild, channel } = found;
    const permissions = state.botPermissionsIn(guild, channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    const type =
      channel.type === ChannelType.GuildText
        ? ChannelType.PublicThread
        : channel.type === ChannelType.GuildAnnouncement
          ? ChannelType.AnnouncementThread
          : null;
    if (type === null) return errorsForThreads.wrongChannelType();
    if ((permissions & PermissionFlagsBits.CreatePublicThreads) === 0n) {
      return errors.missingPermissions();
    }
    const issues = checkAgainstSpec(threadSchemas.startFromMessage, request.body ?? {});
    if (issues.length > 0) return invalidFormBody(issues);
    const message = this.#options.messages.messages.find(
      (m) => m.id === messageId && m.channelId === channelId && m.deletedAt === null,
    );
    if (!message) return errors.unknownMessage();
    if (this.find(messageId)) return errorsForThreads.alreadyHasThread();

    const body = isRecord(request.body) ? request.body : {};
    const thread: FakeThread = {
      id: message.id,
      guildId: guild.id,
      parentId: channel.id,
      type,
      name: String(body.name),
      autoArchiveDuration:
        typeof body.auto_archive_duration === 'number'
          ? (body.auto_archive_duration as ThreadAutoArchiveDuration)
          : DEFAULT_AUTO_ARCHIVE,
      rateLimitPerUser: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      ownerId: this.#options.bot.id,
      createdAt: new Date(epochNow()).toISOString(),
    };
    this.threads.push(thread);
    const payload = apiThread(thread);
    const response = message.response;
    response.thread = payload;
    response.flags = ((response.flags ?? 0) | MessageFlags.HasThread) as MessageFlags;
    const gateway = this.#options.gateway();
    gateway.dispatchToGuild(guild.id, 'THREAD_CREATE', { ...payload, newly_created: true });
    gateway.dispatchToGuild(
      guild.id,
      'MESSAGE_UPDATE',
      { ...response, guild_id: guild.id },
      GatewayIntentBits.GuildMessages,
    );
    this.#options.feed.notify();
    return ok(payload, 201);
  }

  find(threadId: string): FakeThread | undefined {
    return this.threads.find((t) => t.id === threadId);
  }

  /** GET /channels/:id for a thread: visible when its parent channel is. */
  get(threadId: string): RestResult | undefined {
    const thread = this.find(threadId);
    if (!thread) return undefined;
    const { state } = this.#options;
    const parent = state.wasDeleted(thread.parentId) ? undefined : state.channel(thread.parentId);
    if (!parent) return errors.unknownChannel();
    const permissions = state.botPermissionsIn(parent.guild, parent.channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    return ok(apiThread(thread));
  }
}

export function apiThread(thread: FakeThread): APIThreadChannel {
  return {
    id: thread.id,
    type: thread.type,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    name: thread.name,
    owner_id: thread.ownerId,
    last_message_id: null,
    rate_limit_per_user: thread.rateLimitPerUser,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    thread_metadata: {
      archived: false,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: thread.createdAt,
      locked: false,
      create_timestamp: thread.createdAt,
    },
    member: {
      id: thread.id,
      user_id: thread.ownerId,
      join_timestamp: thread.createdAt,
      flags: 0 as ThreadMemberFlags,
    },
  };
}
