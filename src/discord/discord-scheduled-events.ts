import { DiscordAPIError, HTTPError, RateLimitError, type REST } from '@discordjs/rest';
import {
  type APIGuildScheduledEvent,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  RESTJSONErrorCodes,
  type RESTPostAPIGuildScheduledEventJSONBody,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordEventStatus, ListedEvent } from '../domain/event-plan.js';
import type { EventPayload } from '../domain/render-event.js';
import type {
  EventsFailureKind,
  EventsResult,
  ScheduledEventsApi,
} from '../scheduler/scheduled-events-api.js';

const STATUS_NAMES: Record<GuildScheduledEventStatus, DiscordEventStatus> = {
  [GuildScheduledEventStatus.Scheduled]: 'scheduled',
  [GuildScheduledEventStatus.Active]: 'active',
  [GuildScheduledEventStatus.Completed]: 'completed',
  [GuildScheduledEventStatus.Canceled]: 'canceled',
};

/** External events (entity type 3) through `@discordjs/rest`, whose queue honours rate limits. */
export class DiscordScheduledEvents implements ScheduledEventsApi {
  constructor(
    private readonly rest: REST,
    /** The bot's user id, known once the gateway is ready. */
    private readonly botUserId: () => string | undefined,
  ) {}

  async listOwn(guildId: string, signal?: AbortSignal): Promise<EventsResult<ListedEvent[]>> {
    const botId = this.botUserId();
    if (!botId) return { ok: false, kind: 'transient', detail: 'not logged in' };
    return attempt(async () => {
      const events = (await this.rest.get(Routes.guildScheduledEvents(guildId), {
        ...(signal ? { signal } : {}),
      })) as APIGuildScheduledEvent[];
      return events
        .filter((event) => event.creator_id === botId)
        .map((event) => ({
          id: event.id,
          startsAt: new Date(event.scheduled_start_time),
          status: STATUS_NAMES[event.status] ?? 'completed',
        }));
    });
  }

  async create(
    guildId: string,
    payload: EventPayload,
    signal?: AbortSignal,
  ): Promise<EventsResult<{ eventId: string }>> {
    return attempt(async () => {
      const event = (await this.rest.post(Routes.guildScheduledEvents(guildId), {
        body: toBody(payload),
        ...(signal ? { signal } : {}),
      })) as APIGuildScheduledEvent;
      return { eventId: event.id };
    });
  }

  async update(
    guildId: string,
    eventId: string,
    payload: EventPayload,
    signal?: AbortSignal,
  ): Promise<EventsResult<undefined>> {
    return attempt(async () => {
      await this.rest.patch(Routes.guildScheduledEvent(guildId, eventId), {
        body: toBody(payload),
        ...(signal ? { signal } : {}),
      });
      return undefined;
    });
  }

  async remove(
    guildId: string,
    eventId: string,
    signal?: AbortSignal,
  ): Promise<EventsResult<undefined>> {
    return attempt(async () => {
      await this.rest.delete(Routes.guildScheduledEvent(guildId, eventId), {
        ...(signal ? { signal } : {}),
      });
      return undefined;
    });
  }
}

/** An external event (so no channel), visible to the server's members only. */
function toBody(payload: EventPayload): RESTPostAPIGuildScheduledEventJSONBody {
  return {
    name: payload.name,
    description: payload.description,
    scheduled_start_time: payload.startsAt.toISOString(),
    scheduled_end_time: payload.endsAt.toISOString(),
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
    entity_type: GuildScheduledEventEntityType.External,
    entity_metadata: { location: payload.location },
  };
}

async function attempt<T>(run: () => Promise<T>): Promise<EventsResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, ...classifyEventsError(error) };
  }
}

export function classifyEventsError(error: unknown): { kind: EventsFailureKind; detail: string } {
  if (error instanceof DiscordAPIError) {
    const detail = `${error.status} ${error.code}: ${error.message}`;
    const kind: EventsFailureKind =
      error.code === RESTJSONErrorCodes.MissingPermissions ||
      error.code === RESTJSONErrorCodes.MissingAccess
        ? 'missing-permissions'
        : error.code === RESTJSONErrorCodes.UnknownGuildScheduledEvent
          ? 'unknown-event'
          : error.code === RESTJSONErrorCodes.UnknownGuild
            ? 'unknown-guild'
            : error.code ===
                RESTJSONErrorCodes.MaximumNumberOfUncompletedGuildScheduledEventsReached
              ? 'limit'
              : error.status === 429 || error.status >= 500
                ? 'transient'
                : 'rejected';
    return { kind, detail };
  }
  if (error instanceof RateLimitError) {
    return { kind: 'transient', detail: `429 rate limited for ${error.retryAfter} ms` };
  }
  if (error instanceof HTTPError)
    return { kind: 'transient', detail: `${error.status} ${error.message}` };
  return {
    kind: 'transient',
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
