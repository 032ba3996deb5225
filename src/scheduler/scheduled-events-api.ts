import type { ListedEvent } from '../domain/event-plan.js';
import type { EventPayload } from '../domain/render-event.js';

/**
 * Discord's scheduled events, as the event sync uses them. The Discord implementation lives with
 * the Discord code (src/discord/discord-scheduled-events.ts); it never throws for Discord's
 * answers, it says what happened.
 */
export interface ScheduledEventsApi {
  /** The server's events that the bot created (creator_id = the bot). */
  listOwn(guildId: string, signal?: AbortSignal): Promise<EventsResult<ListedEvent[]>>;
  create(
    guildId: string,
    payload: EventPayload,
    signal?: AbortSignal,
  ): Promise<EventsResult<{ eventId: string }>>;
  update(
    guildId: string,
    eventId: string,
    payload: EventPayload,
    signal?: AbortSignal,
  ): Promise<EventsResult<undefined>>;
  remove(guildId: string, eventId: string, signal?: AbortSignal): Promise<EventsResult<undefined>>;
}

export type EventsFailureKind =
  /** 403: the bot lacks Create Events (or access); only the server's admins can fix it. */
  | 'missing-permissions'
  /** 404 10070: the event is gone (someone deleted it). */
  | 'unknown-event'
  /** 404 10004: the bot is no longer in the server. */
  | 'unknown-guild'
  /** 400 30038: the server has 100 upcoming events. */
  | 'limit'
  /** Any other 4xx: a bug on the bot's side. */
  | 'rejected'
  /** 429, 5xx, a timeout or a lost connection: worth trying again. */
  | 'transient';

export type EventsResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: EventsFailureKind; detail: string };
