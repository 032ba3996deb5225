import {
  type APIMessage,
  type APIUser,
  ChannelType,
  GatewayIntentBits,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import type { ChannelMessages } from './channel-messages.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeState } from './fake-state.js';
import { buildMessage, type FakeMessage } from './messages.js';
import { tooManyRequests } from './rate-limiter.js';
import { apiError, errors, ok, type RestResult } from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';

/**
 * Discord's undocumented limit on publishing: reports say about 10 per hour per channel (see the
 * README, "Crossposting"), counted here in a sliding window on the fake's clock.
 */
export interface CrosspostLimit {
  perChannel: number;
  windowMs: number;
}

export const DEFAULT_CROSSPOST_LIMIT: CrosspostLimit = { perChannel: 10, windowMs: 60 * 60 * 1000 };

export interface CrosspostsOptions {
  state: FakeState;
  bot: APIUser;
  ids: SnowflakeFactory;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  messages: ChannelMessages;
  /** Milliseconds; the publish limit's window runs on it, so a test can move it. */
  clock: () => number;
  limit: CrosspostLimit;
}

/** A message someone other than the bot posted (a moderator's own announcement, say). */
export interface MemberMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string;
  readonly response: APIMessage;
}

export const errorsForCrosspost = {
  alreadyCrossposted: () => apiError(400, 40033, 'This message has already been crossposted'),
  wrongChannelType: () => apiError(400, 50024, 'Cannot execute action on this channel type'),
};

/**
 * POST /channels/:id/messages/:id/crosspost ("publish" in Discord's client), with Discord's checks:
 * announcement channels only, Send Messages for the bot's own message and Manage Messages for
 * anyone else's, 40033 for a second publish, and the per-channel publish limit.
 */
export class Crossposts {
  limit: CrosspostLimit;
  /** Messages of other members, which only moderators (Manage Messages) may publish. */
  readonly memberMessages: MemberMessage[] = [];
  /** Every successful publish, oldest first: the message, its channel and the clock's time. */
  readonly published: Array<{ messageId: string; channelId: string; at: number }> = [];
  readonly #options: CrosspostsOptions;

  constructor(options: CrosspostsOptions) {
    this.#options = options;
    this.limit = options.limit;
  }

  crosspost(channelId: string, messageId: string): RestResult {
    const { state } = this.#options;
    const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
    if (!found) return errors.unknownChannel();
    const permissions = state.botPermissionsIn(found.guild, found.channel);
    if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
    if (found.channel.type !== ChannelType.GuildAnnouncement) {
      return errorsForCrosspost.wrongChannelType();
    }
    const message = this.#find(channelId, messageId);
    if (!message) return errors.unknownMessage();
    const own = message.response.author.id === this.#options.bot.id;
    const needed = own ? PermissionFlagsBits.SendMessages : PermissionFlagsBits.ManageMessages;
    if ((permissions & needed) === 0n) return errors.missingPermissions();
    if (((message.response.flags ?? 0) & MessageFlags.Crossposted) !== 0) {
      return errorsForCrosspost.alreadyCrossposted();
    }
    const retryAfterMs = this.#retryAfter(channelId);
    // Discord's 429 for this limit; its bucket headers do not show it (see the README).
    if (retryAfterMs !== null) return tooManyRequests(retryAfterMs, 'user');
    this.markCrossposted(message);
    return ok(message.response);
  }

  /** Publishes as a moderator would in Discord's client: no checks, no limit. */
  markCrossposted(message: { response: APIMessage; guildId: string; id: string }): void {
    const response = message.response;
    response.flags = ((response.flags ?? 0) | MessageFlags.Crossposted) as MessageFlags;
    this.published.push({
      messageId: message.id,
      channelId: response.channel_id,
      at: this.#options.clock(),
    });
    this.#options
      .gateway()
      .dispatchToGuild(
        message.guildId,
        'MESSAGE_UPDATE',
        { ...response, guild_id: message.guildId },
        GatewayIntentBits.GuildMessages,
      );
    this.#options.feed.notify();
  }

  /** A plain message by another member in a channel, for the Manage Messages rule. */
  addMemberMessage(channelId: string, authorId: string, content: string): MemberMessage {
    const found = this.#options.state.channel(channelId);
    if (!found) throw new Error(`fake-discord: unknown channel ${channelId}`);
    const response = buildMessage({
      id: this.#options.ids.next(),
      channelId,
      author: {
        id: authorId,
        username: 'member',
        discriminator: '0',
        global_name: null,
        avatar: null,
      },
      body: { content },
      files: [],
      type: MessageType.Default,
    });
    const message = { id: response.id, channelId, guildId: found.guild.id, response };
    this.memberMessages.push(message);
    return message;
  }

  /** A live message of the bot or of a member, wherever it is. */
  findAnywhere(messageId: string): FakeMessage | MemberMessage | undefined {
    const own = this.#options.messages.messages.find(
      (m) => m.id === messageId && m.deletedAt === null,
    );
    return own ?? this.memberMessages.find((m) => m.id === messageId);
  }

  #find(channelId: string, messageId: string): FakeMessage | MemberMessage | undefined {
    const own = this.#options.messages.messages.find(
      (m) => m.id === messageId && m.channelId === channelId && m.deletedAt === null,
    );
    return own ?? this.memberMessages.find((m) => m.id === messageId && m.channelId === channelId);
  }

  /** Null when the channel may publish now; else how long until the oldest publish leaves the window. */
  #retryAfter(channelId: string): number | null {
    const at = this.#options.clock();
    const since = at - this.limit.windowMs;
    const recent = this.published.filter((p) => p.channelId === channelId && p.at > since);
    if (recent.length < this.limit.perChannel) return null;
    const oldest = recent[recent.length - this.limit.perChannel];
    return Math.max(1, (oldest?.at ?? at) + this.limit.windowMs - at);
  }
}
