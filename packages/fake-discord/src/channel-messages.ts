import {
  type APIUser,
  ChannelType,
  GatewayIntentBits,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import { now } from './clock.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeState } from './fake-state.js';
import { buildMessage, type FakeMessage, validateMessageBody } from './messages.js';
import { apiBotMember } from './payloads.js';
import { errors, isRecord, ok, type RestRequest, type RestResult } from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';

export interface ChannelMessagesOptions {
  state: FakeState;
  bot: APIUser;
  ids: SnowflakeFactory;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  /** How long an enforced nonce is remembered (real time). */
  nonceWindowMs: number;
}

/** POST /channels/:id/messages, with Discord's checks in Discord's order. */
export class ChannelMessages {
  readonly messages: FakeMessage[] = [];
  readonly #options: ChannelMessagesOptions;

  constructor(options: ChannelMessagesOptions) {
    this.#options = options;
  }

  create(channelId: string, request: RestRequest): RestResult {
    const { state } = this.#options;
    const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
    if (!found) return errors.unknownChannel();
    const { guild, channel } = found;
    if (channel.type === ChannelType.GuildCategory) return errors.nonTextChannel();

    const permissions = state.botPermissionsIn(guild, channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    if ((permissions & PermissionFlagsBits.SendMessages) === 0n) return errors.missingPermissions();
    if (request.files.length > 0 && (permissions & PermissionFlagsBits.AttachFiles) === 0n) {
      return errors.missingPermissions();
    }
    const invalid = validateMessageBody(request.body, request.files);
    if (invalid) return invalid;

    const replay = this.#replayedNonce(request.body);
    if (replay) return ok(replay.response);

    const response = buildMessage({
      id: this.#options.ids.next(),
      channelId,
      author: this.#options.bot,
      body: request.body,
      files: request.files,
      type: MessageType.Default,
    });
    this.messages.push({
      id: response.id,
      channelId,
      guildId: guild.id,
      body: request.body,
      files: request.files,
      createdAt: now(),
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
    return ok(response);
  }

  /**
   * Discord documents the check as "same author, same nonce, within the past few minutes" - not
   * per channel - so a bot reusing one nonce across channels gets the first channel's message back.
   */
  #replayedNonce(body: unknown): FakeMessage | undefined {
    if (!isRecord(body) || body.enforce_nonce !== true) return undefined;
    const { nonce } = body;
    if (typeof nonce !== 'string' && typeof nonce !== 'number') return undefined;
    const since = now() - this.#options.nonceWindowMs;
    return this.messages.find(
      (m) =>
        m.createdAt >= since &&
        m.response.author.id === this.#options.bot.id &&
        String(m.response.nonce) === String(nonce),
    );
  }
}
