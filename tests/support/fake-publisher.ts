import type { Clock } from '../../src/clock.js';
import { carriesDeliveryMarker } from '../../src/domain/delivery-marker.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';
import type {
  ForumPostRequest,
  HistoryCheck,
  HistoryRequest,
  Publisher,
  PublishResult,
} from '../../src/scheduler/publisher.js';

export interface PublishedMessage {
  id: string;
  channelId: string;
  payload: MessagePayload;
  /** Empty for a forum post, which carries none. */
  nonce: string;
  at: Date;
  /** Set for a forum post: its title. */
  title?: string;
  /** Set when a moderator deleted it. */
  deleted?: boolean;
}

/**
 * What Discord would do with a send, decided per call by the test:
 * - deliver: create the message (or return the one with the same nonce, as Discord does);
 * - forbidden / unknown-channel / rejected: refuse;
 * - server-error: a 5xx, nothing created (the bot cannot know that: it is in doubt);
 * - store-then-server-error: Discord stores the message and still answers 5xx;
 * - rate-limited: a 429 the REST queue gave up on; certainly nothing created;
 * - timeout: nothing comes back, but the message was created (the response was lost);
 * - hang: the process "crashes" before sending (the promise never settles);
 * - deliver-then-hang: the message is created, then the process "crashes" before recording it.
 */
export type Outcome =
  | 'deliver'
  | 'forbidden'
  | 'unknown-channel'
  | 'rejected'
  | 'server-error'
  | 'store-then-server-error'
  | 'rate-limited'
  | 'timeout'
  | 'hang'
  | 'deliver-then-hang';

/** A stand-in for Discord at the Publisher boundary: it honours nonces like Discord does. */
export class FakePublisher implements Publisher {
  readonly messages: PublishedMessage[] = [];
  calls = 0;
  /** Discord remembers a nonce for "a few minutes"; the fake for five by default. */
  nonceWindowMs = 5 * 60_000;
  decide: (channelId: string, nonce: string) => Outcome = () => 'deliver';
  /** Whether the bot may read channels' history (Read Message History). */
  historyReadable = true;
  /** History checks made, for assertions. */
  readonly checks: HistoryRequest[] = [];
  /** Throw from findPosted, to test a check that fails. */
  failChecks = false;
  private nextId = 1;
  /** The title of the forum post being sent, if it is one. */
  private title: string | undefined;

  constructor(private readonly clock: Clock) {}

  async publish(channelId: string, payload: MessagePayload, nonce: string): Promise<PublishResult> {
    return this.send(channelId, payload, nonce);
  }

  /** A forum post: like a message, without a nonce, so a repeat is a second post. */
  async startForumPost(request: ForumPostRequest): Promise<PublishResult> {
    return this.send(request.forumId, request.payload, '', request.title);
  }

  private async send(
    channelId: string,
    payload: MessagePayload,
    nonce: string,
    title?: string,
  ): Promise<PublishResult> {
    this.calls += 1;
    this.title = title;
    const outcome = this.decide(channelId, nonce);
    const replayed = this.findByNonce(nonce);
    if (replayed?.deleted && outcome !== 'hang') {
      return {
        ok: false,
        retry: false,
        reason: 'message-deleted',
        detail: '404 10008: Unknown Message',
        maybeDelivered: true,
      };
    }
    switch (outcome) {
      case 'deliver':
        return { ok: true, messageId: this.create(channelId, payload, nonce).id };
      case 'store-then-server-error':
        this.create(channelId, payload, nonce);
        return {
          ok: false,
          retry: true,
          reason: 'transient',
          detail: '503 Service Unavailable',
          maybeDelivered: true,
        };
      case 'rate-limited':
        return {
          ok: false,
          retry: true,
          reason: 'transient',
          detail: '429 rate limited',
          maybeDelivered: false,
        };
      case 'deliver-then-hang':
        this.create(channelId, payload, nonce);
        return new Promise<never>(() => {});
      case 'hang':
        return new Promise<never>(() => {});
      case 'forbidden':
        return {
          ok: false,
          retry: false,
          reason: 'missing-permissions',
          detail: '50013 Missing Permissions',
          maybeDelivered: false,
        };
      case 'unknown-channel':
        return {
          ok: false,
          retry: false,
          reason: 'unknown-channel',
          detail: '10003 Unknown Channel',
          maybeDelivered: false,
        };
      case 'rejected':
        return {
          ok: false,
          retry: false,
          reason: 'rejected',
          detail: '50035 Invalid Form Body',
          maybeDelivered: false,
        };
      case 'server-error':
        return {
          ok: false,
          retry: true,
          reason: 'transient',
          detail: '503 Service Unavailable',
          maybeDelivered: true,
        };
      case 'timeout':
        this.create(channelId, payload, nonce);
        return {
          ok: false,
          retry: true,
          reason: 'transient',
          detail: 'request timed out',
          maybeDelivered: true,
        };
    }
  }

  async findPosted(request: HistoryRequest): Promise<HistoryCheck> {
    this.checks.push(request);
    if (this.failChecks) return { outcome: 'failed', detail: '503 Service Unavailable' };
    if (!this.historyReadable)
      return { outcome: 'unreadable', detail: 'missing Read Message History' };
    const found = this.messages.find(
      (m) =>
        !m.deleted &&
        m.channelId === request.channelId &&
        m.at.getTime() >= request.after.getTime() &&
        carriesDeliveryMarker(m.payload.embeds, request.marker),
    );
    return found ? { outcome: 'found', messageId: found.id } : { outcome: 'absent' };
  }

  /** A moderator deletes a message. */
  deleteMessage(id: string): void {
    const message = this.messages.find((m) => m.id === id);
    if (message) message.deleted = true;
  }

  /** Messages per channel, for "exactly one post" assertions. */
  countIn(channelId: string): number {
    return this.messages.filter((m) => m.channelId === channelId).length;
  }

  private findByNonce(nonce: string): PublishedMessage | undefined {
    if (nonce === '') return undefined;
    const now = this.clock.now().getTime();
    return this.messages.find(
      (m) => m.nonce === nonce && now - m.at.getTime() < this.nonceWindowMs,
    );
  }

  private create(channelId: string, payload: MessagePayload, nonce: string): PublishedMessage {
    const now = this.clock.now();
    const existing = this.findByNonce(nonce);
    if (existing) return existing;
    const message = {
      id: `m${this.nextId++}`,
      channelId,
      payload,
      nonce,
      at: now,
      ...(this.title === undefined ? {} : { title: this.title }),
    };
    this.messages.push(message);
    return message;
  }
}
