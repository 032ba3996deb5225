import type { ChannelKind } from '../domain/guild-settings.js';
import type { FollowUpOutcome } from '../domain/post-follow-ups.js';

/**
 * The Discord calls that follow a sent post. The Discord implementation lives with the Discord
 * code (`src/discord/discord-follow-ups.ts`); tests use a fake. Like `Publisher`, it never throws
 * for Discord's answers: it says what happened.
 */
export interface FollowUpPublisher {
  /** Publishes the post to the servers that follow its announcement channel. */
  crosspost(channelId: string, messageId: string, signal?: AbortSignal): Promise<FollowUpOutcome>;
  /** Starts a public thread from the post; `done` carries the thread's id. */
  startThread(
    channelId: string,
    messageId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<FollowUpOutcome>;
  /** The kind of channel, for a server set up before the bot recorded it. */
  readChannelKind(channelId: string, signal?: AbortSignal): Promise<ChannelKindAnswer>;
}

export type ChannelKindAnswer =
  | { outcome: 'kind'; kind: ChannelKind }
  /** A channel the bot cannot post in (a voice channel, say). */
  | { outcome: 'other' }
  | Extract<FollowUpOutcome, { type: 'refused' | 'transient' }>;
