import {
  type APIGuildScheduledEvent,
  type APIUser,
  GatewayIntentBits,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import type { FakeGateway } from './fake-gateway.js';
import type { FakeGuild, FakeState } from './fake-state.js';
import { basePermissions } from './permissions.js';
import {
  apiError,
  errors,
  isRecord,
  noContent,
  ok,
  type RestRequest,
  type RestResult,
} from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';
import { type FieldIssue, invalidFormBody, issue } from './validation/form-errors.js';
import { checkAgainstSpec, specSchemas } from './validation/spec-schemas.js';

/**
 * Guild scheduled events as Discord documents them (resources/guild-scheduled-event, the
 * permissions page and the change log of 20 and 24 November 2025). Only EXTERNAL events (entity
 * type 3) are modelled: a stage or voice event answers 400.
 */

/** "A guild can have a maximum of 100 events with SCHEDULED or ACTIVE status at any time." */
export const MAX_UNFINISHED_EVENTS = 100;

export interface FakeScheduledEvent {
  id: string;
  guildId: string;
  creatorId: string;
  name: string;
  description: string | null;
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  location: string;
  image: string | null;
  /** The status as last written; `statusAt` applies Discord's automatic start and end. */
  status: GuildScheduledEventStatus;
  /** Set when the event was deleted (by the bot or a moderator); it stays in the list. */
  deletedAt: number | null;
  /** Who deleted it: 'bot' or 'moderator'. */
  deletedBy: 'bot' | 'moderator' | null;
  /** Subscribers, for `with_user_count`. */
  userCount: number;
}

export interface ScheduledEventsOptions {
  state: FakeState;
  bot: APIUser;
  ids: SnowflakeFactory;
  feed: ChangeFeed;
  gateway: () => FakeGateway;
  /** Discord's wall clock in epoch ms: "in the future" and the automatic start and end use it. */
  wallClock: () => number;
}

export interface MemberEventSpec {
  guildId: string;
  name: string;
  startsAt: number;
  endsAt: number;
  location?: string;
  /** Default: the guild's owner. */
  creatorId?: string;
}

const FINISHED = new Set([GuildScheduledEventStatus.Completed, GuildScheduledEventStatus.Canceled]);

/** The transitions Discord documents; COMPLETED and CANCELED are final. */
const TRANSITIONS: ReadonlyArray<[GuildScheduledEventStatus, GuildScheduledEventStatus]> = [
  [GuildScheduledEventStatus.Scheduled, GuildScheduledEventStatus.Active],
  [GuildScheduledEventStatus.Active, GuildScheduledEventStatus.Completed],
  [GuildScheduledEventStatus.Scheduled, GuildScheduledEventStatus.Canceled],
];

export class ScheduledEvents {
  readonly events: FakeScheduledEvent[] = [];
  readonly #options: ScheduledEventsOptions;

  constructor(options: ScheduledEventsOptions) {
    this.#options = options;
  }

  /** GET /guilds/:id/scheduled-events: no permission needed for external events. */
  list(guild: FakeGuild, request: RestRequest): RestResult {
    const withCount = request.query.get('with_user_count') === 'true';
    return ok(this.#live(guild.id).map((event) => this.#toApi(event, withCount)));
  }

  get(guild: FakeGuild, eventId: string, request: RestRequest): RestResult {
    const event = this.#find(guild.id, eventId);
    if (!event) return unknownEvent();
    return ok(this.#toApi(event, request.query.get('with_user_count') === 'true'));
  }

  create(guild: FakeGuild, request: RestRequest): RestResult {
    const body = request.body;
    if (isRecord(body) && body.entity_type !== undefined && body.entity_type !== 3) {
      return invalidFormBody([
        issue(
          ['entity_type'],
          'BASE_TYPE_CHOICES',
          'The fake models only EXTERNAL (3) scheduled events.',
        ),
      ]);
    }
    const found = checkAgainstSpec(specSchemas.externalEventCreate, body ?? {});
    if (found.length > 0) return invalidFormBody(found);
    const fields = body as ExternalEventBody;
    const issues = [
      ...checkExternalFields(fields),
      ...requireEndTime(fields),
      ...this.#checkTimes(fields, null),
    ];
    if (issues.length > 0) return invalidFormBody(issues);
    // Since 23 February 2026 a bot needs Create Events; Manage Events alone no longer creates.
    if ((this.#botPermissions(guild) & PermissionFlagsBits.CreateEvents) === 0n) {
      return errors.missingPermissions();
    }
    const unfinished = this.#live(guild.id).filter((e) => !FINISHED.has(this.statusAt(e)));
    if (unfinished.length >= MAX_UNFINISHED_EVENTS) {
      return apiError(
        400,
        30038,
        `Maximum number of uncompleted guild scheduled events reached (${MAX_UNFINISHED_EVENTS})`,
      );
    }
    const event: FakeScheduledEvent = {
      id: this.#options.ids.next(),
      guildId: guild.id,
      creatorId: this.#options.bot.id,
      name: fields.name ?? '',
      description: fields.description ?? null,
      startsAt: Date.parse(fields.scheduled_start_time ?? ''),
      endsAt: Date.parse(fields.scheduled_end_time ?? ''),
      location: fields.entity_metadata?.location ?? '',
      image: fields.image ?? null,
      status: GuildScheduledEventStatus.Scheduled,
      deletedAt: null,
      deletedBy: null,
      userCount: 0,
    };
    this.events.push(event);
    this.#dispatch('GUILD_SCHEDULED_EVENT_CREATE', event);
    return ok(this.#toApi(event, false));
  }

  modify(guild: FakeGuild, eventId: string, request: RestRequest): RestResult {
    const event = this.#find(guild.id, eventId);
    if (!event) return unknownEvent();
    if (!this.#mayEdit(guild, event)) return errors.missingPermissions();
    const body = request.body;
    const found = checkAgainstSpec(specSchemas.externalEventPatch, body ?? {});
    if (found.length > 0) return invalidFormBody(found);
    const fields = body as ExternalEventBody & { status?: number | null };
    const current = this.statusAt(event);
    if (FINISHED.has(current)) return apiError(400, 180000, 'Cannot update a finished event');
    const issues = [...checkExternalFields(fields), ...this.#checkTimes(fields, event)];
    if (fields.scheduled_end_time === null) issues.push(...requireEndTime(fields));
    if (fields.status !== undefined && fields.status !== null && fields.status !== current) {
      const allowed = TRANSITIONS.some(([from, to]) => from === current && to === fields.status);
      if (!allowed) {
        issues.push(
          issue(
            ['status'],
            'GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION',
            'Invalid status transition.',
          ),
        );
      }
    }
    if (issues.length > 0) return invalidFormBody(issues);
    if (fields.name !== undefined) event.name = fields.name;
    if (fields.description !== undefined) event.description = fields.description;
    if (fields.scheduled_start_time) event.startsAt = Date.parse(fields.scheduled_start_time);
    if (fields.scheduled_end_time) event.endsAt = Date.parse(fields.scheduled_end_time);
    if (fields.entity_metadata) event.location = fields.entity_metadata.location ?? event.location;
    if (fields.image !== undefined) event.image = fields.image;
    if (fields.status !== undefined && fields.status !== null) event.status = fields.status;
    else event.status = current;
    this.#dispatch('GUILD_SCHEDULED_EVENT_UPDATE', event);
    return ok(this.#toApi(event, false));
  }

  delete(guild: FakeGuild, eventId: string): RestResult {
    const event = this.#find(guild.id, eventId);
    if (!event) return unknownEvent();
    if (!this.#mayEdit(guild, event)) return errors.missingPermissions();
    this.remove(event, 'bot');
    return noContent;
  }

  /** A deletion by the bot or a moderator: GUILD_SCHEDULED_EVENT_DELETE, then 10070 for its id. */
  remove(event: FakeScheduledEvent, by: 'bot' | 'moderator'): void {
    event.deletedAt = this.#options.wallClock();
    event.deletedBy = by;
    this.#dispatch('GUILD_SCHEDULED_EVENT_DELETE', event);
  }

  /** An event a member created in Discord's client (not the bot). */
  addMemberEvent(spec: MemberEventSpec): FakeScheduledEvent {
    const guild = this.#options.state.guild(spec.guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${spec.guildId}`);
    const event: FakeScheduledEvent = {
      id: this.#options.ids.next(),
      guildId: guild.id,
      creatorId: spec.creatorId ?? guild.ownerId,
      name: spec.name,
      description: null,
      startsAt: spec.startsAt,
      endsAt: spec.endsAt,
      location: spec.location ?? 'somewhere',
      image: null,
      status: GuildScheduledEventStatus.Scheduled,
      deletedAt: null,
      deletedBy: null,
      userCount: 0,
    };
    this.events.push(event);
    this.#dispatch('GUILD_SCHEDULED_EVENT_CREATE', event);
    return event;
  }

  /**
   * Discord starts an external event at its start time and ends it at its end time; the fake
   * applies that whenever the event is read, by `wallClock`.
   */
  statusAt(event: FakeScheduledEvent): GuildScheduledEventStatus {
    const now = this.#options.wallClock();
    let status = event.status;
    if (status === GuildScheduledEventStatus.Scheduled && event.startsAt <= now) {
      status = GuildScheduledEventStatus.Active;
    }
    if (status === GuildScheduledEventStatus.Active && event.endsAt <= now) {
      status = GuildScheduledEventStatus.Completed;
    }
    return status;
  }

  #checkTimes(fields: ExternalEventBody, existing: FakeScheduledEvent | null): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const now = this.#options.wallClock();
    const start =
      fields.scheduled_start_time !== undefined
        ? Date.parse(fields.scheduled_start_time)
        : (existing?.startsAt ?? Number.NaN);
    const end =
      fields.scheduled_end_time !== undefined && fields.scheduled_end_time !== null
        ? Date.parse(fields.scheduled_end_time)
        : (existing?.endsAt ?? Number.NaN);
    if (fields.scheduled_start_time !== undefined) {
      if (existing && this.statusAt(existing) !== GuildScheduledEventStatus.Scheduled) {
        // Reported by bots: a running event refuses any start time, changed or not.
        issues.push(
          issue(
            ['scheduled_start_time'],
            'GUILD_SCHEDULED_EVENT_SCHEDULE_INVALID_START_BY_STATUS',
            'Cannot change the start time of an event that has started.',
          ),
        );
      } else if (start <= now) {
        issues.push(
          issue(
            ['scheduled_start_time'],
            'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST',
            'Cannot schedule event in the past.',
          ),
        );
      }
    }
    if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start) {
      issues.push(
        issue(
          ['scheduled_end_time'],
          'GUILD_SCHEDULED_EVENT_END_BEFORE_START',
          'Cannot schedule event to end before starting.',
        ),
      );
    }
    return issues;
  }

  /**
   * "If the event was created by the current user, either CREATE_EVENTS or MANAGE_EVENTS.
   * Otherwise, MANAGE_EVENTS" - the user's guild-level permissions, for external events.
   */
  #mayEdit(guild: FakeGuild, event: FakeScheduledEvent): boolean {
    const permissions = this.#botPermissions(guild);
    if ((permissions & PermissionFlagsBits.ManageEvents) !== 0n) return true;
    return (
      event.creatorId === this.#options.bot.id &&
      (permissions & PermissionFlagsBits.CreateEvents) !== 0n
    );
  }

  #botPermissions(guild: FakeGuild): bigint {
    return basePermissions(guild, this.#options.bot.id, guild.botRoleIds);
  }

  #live(guildId: string): FakeScheduledEvent[] {
    return this.events.filter((e) => e.guildId === guildId && e.deletedAt === null);
  }

  #find(guildId: string, eventId: string): FakeScheduledEvent | undefined {
    return this.#live(guildId).find((e) => e.id === eventId);
  }

  #toApi(event: FakeScheduledEvent, withUserCount: boolean): APIGuildScheduledEvent {
    const creator =
      event.creatorId === this.#options.bot.id
        ? { creator: this.#options.bot }
        : {
            creator: {
              id: event.creatorId,
              username: 'member',
              discriminator: '0',
              global_name: 'member',
              avatar: null,
            },
          };
    return {
      id: event.id,
      guild_id: event.guildId,
      channel_id: null,
      creator_id: event.creatorId,
      ...creator,
      name: event.name,
      description: event.description,
      scheduled_start_time: new Date(event.startsAt).toISOString(),
      scheduled_end_time: new Date(event.endsAt).toISOString(),
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      status: this.statusAt(event),
      entity_type: GuildScheduledEventEntityType.External,
      entity_id: null,
      entity_metadata: { location: event.location },
      image: event.image,
      recurrence_rule: null,
      ...(withUserCount ? { user_count: event.userCount } : {}),
    } as APIGuildScheduledEvent;
  }

  #dispatch(name: string, event: FakeScheduledEvent): void {
    this.#options
      .gateway()
      .dispatchToGuild(
        event.guildId,
        name,
        this.#toApi(event, false),
        GatewayIntentBits.GuildScheduledEvents,
      );
    this.#options.feed.notify();
  }
}

interface ExternalEventBody {
  name?: string;
  description?: string | null;
  image?: string | null;
  scheduled_start_time?: string;
  scheduled_end_time?: string | null;
  privacy_level?: number;
  entity_type?: number | null;
  channel_id?: string | null;
  entity_metadata?: { location?: string };
}

/**
 * The documented rules for EXTERNAL events that the spec's schemas leave out: a name of 1-100
 * characters, a location of 1-100, an end time, and no channel.
 */
function checkExternalFields(body: ExternalEventBody): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (body.name !== undefined && body.name.trim().length === 0) {
    issues.push(issue(['name'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.'));
  }
  const location = body.entity_metadata?.location;
  if (body.entity_metadata !== undefined && (location === undefined || location.trim() === '')) {
    issues.push(
      issue(['entity_metadata', 'location'], 'BASE_TYPE_REQUIRED', 'This field is required'),
    );
  }
  if (body.channel_id !== undefined && body.channel_id !== null) {
    issues.push(
      issue(
        ['channel_id'],
        'GUILD_SCHEDULED_EVENT_CHANNEL_NOT_ALLOWED',
        'An external event cannot have a channel.',
      ),
    );
  }
  return issues;
}

/** The spec's schemas make the end time optional; an EXTERNAL event must have one. */
function requireEndTime(body: ExternalEventBody): FieldIssue[] {
  return body.scheduled_end_time === undefined || body.scheduled_end_time === null
    ? [issue(['scheduled_end_time'], 'BASE_TYPE_REQUIRED', 'This field is required')]
    : [];
}

function unknownEvent(): RestResult {
  return apiError(404, 10070, 'Unknown Guild Scheduled Event');
}
