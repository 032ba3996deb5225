import type { Clock } from '../../src/clock.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';
import type { Publisher, PublishResult } from '../../src/scheduler/publisher.js';

export interface PublishedMessage {
  id: string;
  channelId: string;
  payload: MessagePayload;
  nonce: string;
  at: Date;
}

/**
 * What Discord would do with a send, decided per call by the test:
 * - deliver: create the message (or return the one with the same nonce, as Discord does);
 * - forbidden / unknown-channel / rejected: refuse;
 * - server-error: a 5xx, nothing created;
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
  | 'timeout'
  | 'hang'
  | 'deliver-then-hang';

/** A stand-in for Discord at the Publisher boundary: it honours nonces like Discord does. */
export class FakePublisher implements Publisher {
  readonly messages: PublishedMessage[] = [];
  calls = 0;
  /** Discord remembers a nonce for "a few minutes"; the fake for ten. */
  nonceWindowMs = 10 * 60_000;
  decide: (channelId: string, nonce: string) => Outcome = () => 'deliver';
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  async publish(channelId: string, payload: MessagePayload, nonce: string): Promise<PublishResult> {
    this.calls += 1;
    const outcome = this.decide(channelId, nonce);
    switch (outcome) {
      case 'deliver':
        return { ok: true, messageId: this.create(channelId, payload, nonce).id };
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
          maybeDelivered: false,
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

  /** Messages per channel, for "exactly one post" assertions. */
  countIn(channelId: string): number {
    return this.messages.filter((m) => m.channelId === channelId).length;
  }

  private create(channelId: string, payload: MessagePayload, nonce: string): PublishedMessage {
    const now = this.clock.now();
    const existing = this.messages.find(
      (m) => m.nonce === nonce && now.getTime() - m.at.getTime() < this.nonceWindowMs,
    );
    if (existing) return existing;
    const message = { id: `m${this.nextId++}`, channelId, payload, nonce, at: now };
    this.messages.push(message);
    return message;
  }
}
