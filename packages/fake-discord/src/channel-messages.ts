import {
  type APIMessage,
  type APIUser,
  ChannelType,
  GatewayIntentBits,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import { now } from './clock.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeChannel, FakeGuild, FakeState } from './fake-state.js';
import { buildMessage, type FakeMessage } from './messages.js';
import { apiBotMember } from './payloads.js';
import {
  errors,
  isRecord,
  noContent,
  ok,
  type RestRequest,
  type RestResult,
  type UploadedFile,
} from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';
import { findIgnoredFields, isEmptyMessage, validateMessage } from './validation/message-rules.js';

export interface ChannelMessagesOptions {
  state: FakeState;
  bot: APIUser;
  ids: SnowflakeFactory;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  /** How long an enforced nonce is remembered, on `clock`. */
  nonceWindowMs: number;
  /** Milliseconds; the nonce window runs on it, so a test can move it. */
  clock: () => number;
  /** Fields Discord ignores that the bot sent anyway. */
  recordIgnored: (route: string, fields: string[]) => void;
}

const MESSAGE_PAGE_DEFAULT = 50;
const MESSAGE_PAGE_MAX = 100;

/** POST /channels/:id/messages and friends, with Discord's checks in Discord's order. */
export class ChannelMessages {
  readonly messages: FakeMessage[] = [];
  nonceWindowMs: number;
  readonly #options: ChannelMessagesOptions;

  constructor(options: ChannelMessagesOptions) {
    this.#options = options;
    this.nonceWindowMs = options.nonceWindowMs;
  }

  create(channelId: string, request: RestRequest): RestResult {
    const found = this.#channel(channelId);
    if (!found) return errors.unknownChannel();
    const { guild, channel } = found;
    if (channel.type === ChannelType.GuildCategory) return errors.nonTextChannel();
    // A forum holds posts (threads), each started with POST /channels/:id/threads.
    if (channel.type === ChannelType.GuildForum) return errors.cannotSendInForum();

    const permissions = this.#options.state.botPermissionsIn(guild, channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    if ((permissions & PermissionFlagsBits.SendMessages) === 0n) return errors.missingPermissions();
    if (request.files.length > 0 && (permissions & PermissionFlagsBits.AttachFiles) === 0n) {
      return errors.missingPermissions();
    }
    const invalid = validateMessage(request.body, request.files, 'channel');
    if (invalid) return invalid;
    const ignored = findIgnoredFields(request.body, 'channel');
    if (ignored.length > 0)
      this.#options.recordIgnored('POST /channels/:channelId/messages', ignored);

    const replay = this.#replayedNonce(request.body);
    if (replay) return replay.deletedAt === null ? ok(replay.response) : errors.unknownMessage();

    // Without Embed Links Discord drops the embeds, and refuses a message that had nothing else.
    let body = request.body;
    const canEmbed = (permissions & PermissionFlagsBits.EmbedLinks) !== 0n;
    if (!canEmbed && isRecord(body) && Array.isArray(body.embeds) && body.embeds.length > 0) {
      body = { ...body, embeds: [] };
      if (isEmptyMessage(body, request.files)) return errors.missingPermissions();
    }

    const response = this.insert({
      id: this.#options.ids.next(),
      guild,
      channelId,
      body,
      sentBody: request.body,
      files: request.files,
      permissions,
    });
    return ok(response);
  }

  /**
   * Stores a message and announces it (MESSAGE_CREATE). Also used for a forum post's first
   * message, which another route creates with the thread's id. `body` is what Discord keeps (the
   * embeds dropped without Embed Links), `sentBody` what the bot sent.
   */
  insert(input: {
    id: string;
    guild: FakeGuild;
    channelId: string;
    body: unknown;
    sentBody: unknown;
    files: readonly UploadedFile[];
    permissions: bigint;
  }): APIMessage {
    const { guild, channelId, body } = input;
    const response = buildMessage({
      id: input.id,
      channelId,
      author: this.#options.bot,
      body,
      files: input.files,
      type: MessageType.Default,
    });
    const mentions = resolveMentions(body, guild, input.permissions);
    response.mention_roles = mentions.roles;
    response.mention_everyone = mentions.everyone;
    this.messages.push({
      id: response.id,
      channelId,
      guildId: guild.id,
      body: input.sentBody,
      files: input.files,
      createdAt: now(),
      createdAtClock: this.#options.clock(),
      deletedAt: null,
      response,
    });
    // Gateway message events carry the author's member, minus the user already in `author`.
    const { user: _author, ...member } = apiBotMember(guild, this.#options.bot);
    this.#options
      .gateway()
      .dispatchToGuild(
        guild.id,
        'MESSAGE_CREATE',
        { ...response, guild_id: guild.id, member },
        GatewayIntentBits.GuildMessages,
      );
    this.#options.feed.notify();
    return response;
  }

  /**
   * GET /channels/:id/messages: newest first, or oldest first after `after` as Discord pages.
   * Without Read Message History Discord answers 200 with no messages.
   */
  list(channelId: string, request: RestRequest): RestResult {
    const found = this.#channel(channelId);
    if (!found) return errors.unknownChannel();
    const permissions = this.#options.state.botPermissionsIn(found.guild, found.channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    const limitText = request.query.get('limit');
    const limit = limitText === null ? MESSAGE_PAGE_DEFAULT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MESSAGE_PAGE_MAX) {
      return errors.invalidFormBody({ limit: 'int value should be between 1 and 100.' });
    }
    if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) return ok([]);
    const live = this.messages.filter((m) => m.channelId === channelId && m.deletedAt === null);
    const after = request.query.get('after');
    const before = request.query.get('before');
    let page: FakeMessage[];
    if (after !== null) {
      page = live.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
    } else {
      const older = before === null ? live : live.filter((m) => BigInt(m.id) < BigInt(before));
      page = older.slice(-limit);
    }
    // Discord returns every page newest first.
    return ok(page.map((m) => m.response).reverse());
  }

  /** GET /channels/:id/messages/:messageId, which needs Read Message History. */
  get(channelId: string, messageId: string): RestResult {
    const found = this.#channel(channelId);
    if (!found) return errors.unknownChannel();
    const permissions = this.#options.state.botPermissionsIn(found.guild, found.channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) {
      return errors.missingPermissions();
    }
    const message = this.#live(channelId, messageId);
    return message ? ok(message.response) : errors.unknownMessage();
  }

  /** DELETE /channels/:id/messages/:messageId: the bot may always delete its own messages. */
  delete(channelId: string, messageId: string): RestResult {
    const found = this.#channel(channelId);
    if (!found) return errors.unknownChannel();
    const permissions = this.#options.state.botPermissionsIn(found.guild, found.channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    const message = this.#live(channelId, messageId);
    if (!message) return errors.unknownMessage();
    this.remove(message);
    return noContent;
  }

  /** A deletion by anyone (the bot or a moderator); dispatches MESSAGE_DELETE. */
  remove(message: FakeMessage): void {
    message.deletedAt = now();
    this.#options
      .gateway()
      .dispatchToGuild(
        message.guildId,
        'MESSAGE_DELETE',
        { id: message.id, channel_id: message.channelId, guild_id: message.guildId },
        GatewayIntentBits.GuildMessages,
      );
    this.#options.feed.notify();
  }

  #live(channelId: string, messageId: string): FakeMessage | undefined {
    return this.messages.find(
      (m) => m.id === messageId && m.channelId === channelId && m.deletedAt === null,
    );
  }

  #channel(channelId: string): { guild: FakeGuild; channel: FakeChannel } | undefined {
    const { state } = this.#options;
    return state.wasDeleted(channelId) ? undefined : state.channel(channelId);
  }

  /**
   * Discord documents the check as "same author, same nonce, within the past few minutes" - not
   * per channel - so a bot reusing one nonce across channels gets the first channel's message back.
   * A message deleted since is still remembered: Discord then answers 10008 Unknown Message.
   */
  #replayedNonce(body: unknown): FakeMessage | undefined {
    if (!isRecord(body) || body.enforce_nonce !== true) return undefined;
    const { nonce } = body;
    if (typeof nonce !== 'string' && typeof nonce !== 'number') return undefined;
    const since = this.#options.clock() - this.nonceWindowMs;
    return this.messages.find(
      (m) =>
        m.createdAtClock > since &&
        m.response.author.id === this.#options.bot.id &&
        String(m.response.nonce) === String(nonce),
    );
  }
}

/**
 * What Discord puts in `mention_roles` and `mention_everyone`: a mention in the content counts when
 * `allowed_mentions` lets it (no `allowed_mentions` lets everything) and the role is mentionable or
 * the bot has Mention Everyone in the channel.
 */
function resolveMentions(
  body: unknown,
  guild: FakeGuild,
  permissions: bigint,
): { roles: string[]; everyone: boolean } {
  const message = isRecord(body) ? body : {};
  const content = typeof message.content === 'string' ? message.content : '';
  const allowed = isRecord(message.allowed_mentions) ? message.allowed_mentions : null;
  const parse = allowed && Array.isArray(allowed.parse) ? allowed.parse : [];
  const listedRoles = allowed && Array.isArray(allowed.roles) ? allowed.roles : [];
  const mayMentionAll = (permissions & PermissionFlagsBits.MentionEveryone) !== 0n;

  const roles: string[] = [];
  for (const match of content.matchAll(/<@&(\d+)>/g)) {
    const id = match[1] ?? '';
    const role = guild.roles.find((r) => r.id === id && r.id !== guild.id);
    if (!role || roles.includes(id)) continue;
    const allowedHere = allowed === null || parse.includes('roles') || listedRoles.includes(id);
    if (allowedHere && (role.mentionable || mayMentionAll)) roles.push(id);
  }
  const everyone =
    /@(everyone|here)/.test(content) &&
    (allowed === null || parse.includes('everyone')) &&
    mayMentionAll;
  return { roles, everyone };
}
