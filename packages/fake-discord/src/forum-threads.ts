import {
  type APIUser,
  ChannelFlags,
  ChannelType,
  GatewayIntentBits,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import type { ChannelMessages } from './channel-messages.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeChannel, FakeGuild, FakeState } from './fake-state.js';
import { apiChannel } from './payloads.js';
import { errors, isRecord, ok, type RestRequest, type RestResult } from './rest-types.js';
import { type SnowflakeFactory, timestampOfSnowflake } from './snowflake.js';
import { type FieldIssue, invalidFormBody, issue } from './validation/form-errors.js';
import {
  findFieldsOutside,
  findIgnoredFields,
  findMessageIssues,
  isEmptyMessage,
} from './validation/message-rules.js';
import { checkAgainstSpec, specSchemas } from './validation/spec-schemas.js';

export interface ForumThreadsOptions {
  state: FakeState;
  bot: APIUser;
  ids: SnowflakeFactory;
  messages: ChannelMessages;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  /** Milliseconds; threads auto-archive on it, so a test can move it. */
  clock: () => number;
  recordIgnored: (route: string, fields: string[]) => void;
}

const ROUTE = 'POST /channels/:channelId/threads';
/** Discord's default when neither the request nor the forum names one. */
const DEFAULT_AUTO_ARCHIVE_MINUTES = 4320;
const ARCHIVED_PAGE_DEFAULT = 50;
const ARCHIVED_PAGE_MIN = 2;
const ARCHIVED_PAGE_MAX = 100;

/**
 * Forum posts: POST /channels/:id/threads on a forum (Start Thread in Forum or Media Channel), the
 * thread it creates, whose first message has the thread's id, and the two listings a bot reads
 * them back with. Threads archive after `auto_archive_duration` minutes without activity on
 * `clock`, or at once with `archive`. Threads started from a message in a text channel are not
 * modelled here.
 */
export class ForumThreads {
  readonly #options: ForumThreadsOptions;

  constructor(options: ForumThreadsOptions) {
    this.#options = options;
  }

  /** POST /channels/:id/threads, with Discord's checks in Discord's order. */
  create(channelId: string, request: RestRequest): RestResult {
    const { state } = this.#options;
    const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
    if (!found) return errors.unknownChannel();
    const { guild, channel: forum } = found;
    // Threads in text channels (with or without a message) are not modelled by the fake.
    if (forum.type !== ChannelType.GuildForum) return errors.wrongChannelType();

    const permissions = state.botPermissionsIn(guild, forum);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    // "The current user must have the SEND_MESSAGES permission (CREATE_PUBLIC_THREADS is ignored)."
    if ((permissions & PermissionFlagsBits.SendMessages) === 0n) return errors.missingPermissions();
    if (request.files.length > 0 && (permissions & PermissionFlagsBits.AttachFiles) === 0n) {
      return errors.missingPermissions();
    }

    const body = isRecord(request.body) ? request.body : {};
    const message = body.message;
    const issues = findThreadIssues(body);
    if (issues.length > 0) return invalidFormBody(issues);
    if (!isRecord(message) || isEmptyMessage(message, request.files)) return errors.emptyMessage();
    const ignored = [
      ...findFieldsOutside(specSchemas.forumThreadCreate, body),
      ...ignoredMessageFields(message).map((field) => `message.${field}`),
    ];
    // `nonce` and `enforce_nonce` are among them: a forum post has no duplicate protection.
    if (ignored.length > 0) this.#options.recordIgnored(ROUTE, ignored);

    const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
    if ((forum.flags & ChannelFlags.RequireTag) !== 0 && tags.length === 0) {
      return errors.tagRequired();
    }
    const canModerate = (permissions & PermissionFlagsBits.ManageThreads) !== 0n;
    for (const id of tags) {
      const tag = forum.availableTags.find((t) => t.id === id);
      // Discord does not document its answer to a tag the forum lacks; the fake refuses it.
      if (!tag)
        return invalidFormBody([issue(['applied_tags'], 'BASE_TYPE_INVALID', 'Unknown tag.')]);
      // Moderated tags need Manage Threads (the exact answer is undocumented, as above).
      if (tag.moderated && !canModerate) return errors.missingPermissions();
    }

    // Without Embed Links Discord drops the embeds, and refuses a message that had nothing else.
    let kept: Record<string, unknown> = withoutFields(message, ignoredMessageFields(message));
    const canEmbed = (permissions & PermissionFlagsBits.EmbedLinks) !== 0n;
    if (!canEmbed && Array.isArray(kept.embeds) && kept.embeds.length > 0) {
      kept = { ...kept, embeds: [] };
      if (isEmptyMessage(kept, request.files)) return errors.missingPermissions();
    }

    const id = this.#options.ids.next();
    const createdAtMs = timestampOfSnowflake(id);
    const autoArchive =
      typeof body.auto_archive_duration === 'number'
        ? body.auto_archive_duration
        : (forum.defaultAutoArchiveDuration ?? DEFAULT_AUTO_ARCHIVE_MINUTES);
    const thread: FakeChannel = {
      id,
      guildId: guild.id,
      name: String(body.name),
      type: ChannelType.PublicThread,
      position: 0,
      parentId: forum.id,
      permissionOverwrites: [],
      flags: 0,
      availableTags: [],
      defaultAutoArchiveDuration: null,
      thread: {
        ownerId: this.#options.bot.id,
        archived: false,
        locked: false,
        archiveTimestampMs: createdAtMs,
        createdAtMs,
        autoArchiveDuration: autoArchive,
        lastActivityClock: this.#options.clock(),
        appliedTags: [...new Set(tags)],
        messageCount: 0,
      },
    };
    guild.threads.push(thread);
    const payload = apiChannel(thread, true);
    this.#options
      .gateway()
      .dispatchToGuild(
        guild.id,
        'THREAD_CREATE',
        { ...payload, newly_created: true },
        GatewayIntentBits.Guilds,
      );
    const starter = this.#options.messages.insert({
      id,
      guild,
      channelId: id,
      body: kept,
      sentBody: message,
      files: request.files,
      permissions,
    });
    return ok({ ...payload, member: this.#member(thread), message: starter }, 201);
  }

  /** GET /guilds/:id/threads/active: every active thread the bot can see, newest first. */
  listActive(guild: FakeGuild): RestResult {
    this.#archiveIdle(guild);
    const threads = guild.threads
      .filter((t) => !t.thread?.archived && this.#canView(guild, t))
      .sort(byIdDescending);
    return ok({
      threads: threads.map((t) => apiChannel(t, true)),
      members: threads.map((t) => this.#member(t)),
    });
  }

  /**
   * GET /channels/:id/threads/archived/public: archived threads, the most recently archived
   * first, archived before `before` (an ISO8601 timestamp). Needs Read Message History.
   */
  listArchivedPublic(channelId: string, request: RestRequest): RestResult {
    const { state } = this.#options;
    const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
    if (!found) return errors.unknownChannel();
    const { guild, channel } = found;
    const listable = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum];
    if (!listable.includes(channel.type)) return errors.wrongChannelType();
    const permissions = state.botPermissionsIn(guild, channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) {
      return errors.missingPermissions();
    }
    const limitText = request.query.get('limit');
    const limit = limitText === null ? ARCHIVED_PAGE_DEFAULT : Number(limitText);
    const beforeText = request.query.get('before');
    const before = beforeText === null ? Number.POSITIVE_INFINITY : Date.parse(beforeText);
    const invalid: FieldIssue[] = [];
    if (!Number.isInteger(limit) || limit < ARCHIVED_PAGE_MIN || limit > ARCHIVED_PAGE_MAX) {
      invalid.push(
        issue(
          ['limit'],
          'NUMBER_TYPE_MIN',
          `int value should be between ${ARCHIVED_PAGE_MIN} and ${ARCHIVED_PAGE_MAX}.`,
        ),
      );
    }
    if (Number.isNaN(before)) {
      invalid.push(issue(['before'], 'DATE_TIME_TYPE_PARSE', 'Could not parse the date.'));
    }
    if (invalid.length > 0) return invalidFormBody(invalid);

    this.#archiveIdle(guild);
    const archived = guild.threads
      .filter(
        (t) =>
          t.parentId === channelId &&
          t.thread?.archived === true &&
          t.thread.archiveTimestampMs < before,
      )
      .sort((a, b) => (b.thread?.archiveTimestampMs ?? 0) - (a.thread?.archiveTimestampMs ?? 0));
    const page = archived.slice(0, limit);
    return ok({
      threads: page.map((t) => apiChannel(t, true)),
      members: page.map((t) => this.#member(t)),
      has_more: archived.length > limit,
    });
  }

  /** Archives a thread as Discord does after its inactivity (or a moderator): THREAD_UPDATE. */
  archive(threadId: string): void {
    const found = this.#options.state.channel(threadId);
    if (!found?.channel.thread) throw new Error(`fake-discord: unknown thread ${threadId}`);
    this.#setArchived(found.guild, found.channel, this.#options.ids.nowMs());
  }

  /** Threads whose inactivity outlasted their auto_archive_duration on `clock`. */
  #archiveIdle(guild: FakeGuild): void {
    const clock = this.#options.clock();
    for (const thread of guild.threads) {
      const meta = thread.thread;
      if (!meta || meta.archived) continue;
      const idleMs = clock - meta.lastActivityClock;
      if (idleMs >= meta.autoArchiveDuration * 60_000) {
        this.#setArchived(guild, thread, this.#options.ids.nowMs());
      }
    }
  }

  #setArchived(guild: FakeGuild, thread: FakeChannel, atMs: number): void {
    if (!thread.thread || thread.thread.archived) return;
    thread.thread.archived = true;
    thread.thread.archiveTimestampMs = atMs;
    this.#options
      .gateway()
      .dispatchToGuild(
        guild.id,
        'THREAD_UPDATE',
        apiChannel(thread, true),
        GatewayIntentBits.Guilds,
      );
    this.#options.feed.notify();
  }

  #canView(guild: FakeGuild, thread: FakeChannel): boolean {
    const permissions = this.#options.state.botPermissionsIn(guild, thread);
    return (permissions & PermissionFlagsBits.ViewChannel) !== 0n;
  }

  /** The bot's thread member object: it joined every thread it started. */
  #member(thread: FakeChannel): Record<string, unknown> {
    return {
      id: thread.id,
      user_id: this.#options.bot.id,
      join_timestamp: new Date(thread.thread?.createdAtMs ?? 0).toISOString(),
      flags: 1,
    };
  }
}

/** The spec's schema for the thread, and the message rules for its first message. */
function findThreadIssues(body: Record<string, unknown>): FieldIssue[] {
  const { message } = body;
  const found = checkAgainstSpec(specSchemas.forumThreadCreate, {
    ...body,
    // The message is checked below, with the rules the schema does not encode.
    ...(isRecord(message) ? { message: {} } : {}),
  });
  if (isRecord(message)) found.push(...findMessageIssues(message, 'forum-post', ['message']));
  return found;
}

/** Fields of a forum post's message that Discord ignores (nonce, enforce_nonce, tts, …). */
function ignoredMessageFields(message: Record<string, unknown>): string[] {
  return findIgnoredFields(message, 'forum-post');
}

function withoutFields(
  record: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !fields.includes(key)));
}

function byIdDescending(a: FakeChannel, b: FakeChannel): number {
  return BigInt(b.id) > BigInt(a.id) ? 1 : -1;
}
