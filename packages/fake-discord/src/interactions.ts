import {
  type APIMessage,
  type APIUser,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import type { ChangeFeed } from './change-feed.js';
import { now } from './clock.js';
import type { InteractionPayload } from './interaction-payload.js';
import { applyEdit, buildMessage } from './messages.js';
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
import { invalidFormBody } from './validation/form-errors.js';
import {
  findIgnoredFields,
  type MessageTarget,
  validateMessage,
} from './validation/message-rules.js';

export interface RecordedCall {
  body: unknown;
  /** `now()` when the request reached the fake. */
  receivedAt: number;
}

export interface CallbackCall extends RecordedCall {
  type: InteractionResponseType;
}

export interface EditCall extends RecordedCall {
  /** '@original' or a follow-up message id. */
  messageId: string;
}

/** What the user would see: the type-4 reply, or whatever replaced the "thinking…" state after a deferral. */
export interface VisibleReply {
  data: unknown;
  receivedAt: number;
  via: 'callback' | 'edit' | 'followup';
}

export interface InjectedInteraction {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE `d` exactly as dispatched. */
  readonly payload: InteractionPayload;
  /** `now()` just before the dispatch was written to the gateway socket. */
  readonly dispatchedAt: number;
  /** The first accepted POST /interactions/:id/:token/callback. */
  readonly callback: Promise<CallbackCall>;
  readonly followups: readonly RecordedCall[];
  readonly edits: readonly EditCall[];
  waitForReply(timeoutMs?: number): Promise<VisibleReply>;
}

export interface InteractionStoreOptions {
  applicationId: string;
  bot: APIUser;
  ids: SnowflakeFactory;
  feed: ChangeFeed;
  /** Discord refuses callbacks that arrive later than 3 s after the interaction was created. */
  callbackDeadlineMs: number;
  /** Fields Discord ignores that the bot sent anyway. */
  recordIgnored: (route: string, fields: string[]) => void;
}

/** Interaction webhook tokens stay usable for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const ALLOWED_COMMAND_CALLBACKS = new Set<number>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.Modal,
  InteractionResponseType.LaunchActivity,
]);

class InteractionRecord implements InjectedInteraction {
  readonly followups: RecordedCall[] = [];
  readonly edits: EditCall[] = [];
  readonly callback: Promise<CallbackCall>;
  acknowledged: CallbackCall | null = null;
  original: APIMessage | null = null;
  readonly followupMessages = new Map<string, APIMessage>();
  visible: VisibleReply | null = null;
  dispatchedAt: number;
  #resolveCallback: (call: CallbackCall) => void = () => {};
  readonly #feed: ChangeFeed;

  constructor(
    readonly payload: InteractionPayload,
    dispatchedAt: number,
    feed: ChangeFeed,
  ) {
    this.dispatchedAt = dispatchedAt;
    this.#feed = feed;
    this.callback = new Promise((resolve) => {
      this.#resolveCallback = resolve;
    });
  }

  get id(): string {
    return this.payload.id;
  }

  get token(): string {
    return this.payload.token;
  }

  acknowledge(call: CallbackCall): void {
    this.acknowledged = call;
    if (call.type === InteractionResponseType.ChannelMessageWithSource) {
      this.visible = { data: dataOf(call.body), receivedAt: call.receivedAt, via: 'callback' };
    }
    this.#resolveCallback(call);
  }

  /** After a deferral, the first edit of @original or the first follow-up replaces "thinking…". */
  revealAfterDeferral(data: unknown, receivedAt: number, via: 'edit' | 'followup'): void {
    const deferred =
      this.acknowledged?.type === InteractionResponseType.DeferredChannelMessageWithSource;
    if (deferred && !this.visible) this.visible = { data, receivedAt, via };
  }

  async waitForReply(timeoutMs = 5_000): Promise<VisibleReply> {
    await this.#feed.waitFor(
      () => this.visible !== null,
      timeoutMs,
      () =>
        `  interaction ${this.id} (/${this.payload.data.name}): callback type ${
          this.acknowledged?.type ?? 'none yet'
        }, ${this.edits.length} edit(s), ${this.followups.length} follow-up(s)`,
    );
    const visible = this.visible;
    if (!visible) throw new Error('fake-discord: waitForReply resolved without a reply');
    return visible;
  }
}

function dataOf(body: unknown): unknown {
  return isRecord(body) ? body.data : undefined;
}

/** Interaction callbacks and the interaction webhook, keyed by interaction token. */
export class InteractionStore {
  readonly #options: InteractionStoreOptions;
  readonly #byToken = new Map<string, InteractionRecord>();
  readonly #byId = new Map<string, InteractionRecord>();

  constructor(options: InteractionStoreOptions) {
    this.#options = options;
  }

  get all(): readonly InjectedInteraction[] {
    return [...this.#byId.values()];
  }

  register(payload: InteractionPayload, dispatchedAt: number): InteractionRecord {
    const record = new InteractionRecord(payload, dispatchedAt, this.#options.feed);
    this.#byToken.set(payload.token, record);
    this.#byId.set(payload.id, record);
    return record;
  }

  callback(interactionId: string, token: string, request: RestRequest): RestResult {
    const record = this.#byId.get(interactionId);
    if (!record || record.token !== token) return errors.unknownInteraction();
    if (record.acknowledged) return errors.alreadyAcknowledged();
    if (request.receivedAt - record.dispatchedAt > this.#options.callbackDeadlineMs) {
      return errors.unknownInteraction();
    }
    const body = isRecord(request.body) ? request.body : {};
    const type = body.type;
    if (typeof type !== 'number' || !ALLOWED_COMMAND_CALLBACKS.has(type)) {
      return errors.invalidFormBody({
        type: 'Interaction callback type is invalid for this interaction.',
      });
    }
    const data = isRecord(body.data) ? body.data : {};
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      const invalid = validateMessage(data, request.files, 'interaction-reply', ['data']);
      if (invalid) return invalid;
    }
    if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      const deferredFlags = typeof data.flags === 'number' ? data.flags : 0;
      if ((deferredFlags & ~MessageFlags.Ephemeral) !== 0) {
        return invalidFormBody([
          {
            path: ['data', 'flags'],
            code: 'MESSAGE_FLAGS_INVALID',
            message: 'Invalid message flags.',
          },
        ]);
      }
    }
    this.#noteIgnored(
      'POST /interactions/:interactionId/:token/callback',
      data,
      'interaction-reply',
    );

    const flags = typeof data.flags === 'number' ? data.flags : 0;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      record.original = this.#message(record, data, request, MessageType.ChatInputCommand);
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      record.original = this.#message(
        record,
        { content: '', flags: (flags & MessageFlags.Ephemeral) | MessageFlags.Loading },
        request,
        MessageType.ChatInputCommand,
      );
    }
    record.acknowledge({ body: request.body, receivedAt: request.receivedAt, type });
    this.#options.feed.notify();

    if (request.query.get('with_response') !== 'true') return noContent;
    const original = record.original;
    return ok({
      interaction: {
        id: record.id,
        type: InteractionType.ApplicationCommand,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: (Number(original.flags ?? 0) & MessageFlags.Loading) !== 0,
              response_message_ephemeral:
                (Number(original.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type, ...(original ? { message: original } : {}) },
    });
  }

  getMessage(applicationId: string, token: string, messageId: string): RestResult {
    const found = this.#webhook(applicationId, token);
    if ('status' in found) return found;
    const message = this.#target(found, messageId);
    return message ? ok(message) : errors.unknownMessage();
  }

  editMessage(
    applicationId: string,
    token: string,
    messageId: string,
    request: RestRequest,
  ): RestResult {
    const found = this.#webhook(applicationId, token);
    if ('status' in found) return found;
    const message = this.#target(found, messageId);
    if (!message) return errors.unknownMessage();
    const invalid = validateMessage(request.body, request.files, 'edit');
    if (invalid) return invalid;
    this.#noteIgnored(
      'PATCH /webhooks/:applicationId/:token/messages/:messageId',
      request.body,
      'edit',
    );
    // Editing the deferred placeholder is what turns it into a real message.
    const edited = applyEdit(message, request.body);
    edited.flags = (Number(edited.flags ?? 0) & ~MessageFlags.Loading) as MessageFlags;
    if (messageId === '@original' || messageId === found.original?.id) found.original = edited;
    else found.followupMessages.set(messageId, edited);

    found.edits.push({ body: request.body, receivedAt: request.receivedAt, messageId });
    if (messageId === '@original')
      found.revealAfterDeferral(request.body, request.receivedAt, 'edit');
    this.#options.feed.notify();
    return ok(edited);
  }

  deleteMessage(applicationId: string, token: string, messageId: string): RestResult {
    const found = this.#webhook(applicationId, token);
    if ('status' in found) return found;
    if (!this.#target(found, messageId)) return errors.unknownMessage();
    if (messageId === '@original' || messageId === found.original?.id) found.original = null;
    else found.followupMessages.delete(messageId);
    this.#options.feed.notify();
    return noContent;
  }

  followup(applicationId: string, token: string, request: RestRequest): RestResult {
    const found = this.#webhook(applicationId, token);
    if ('status' in found) return found;
    // The interaction webhook only exists once the interaction has been acknowledged.
    if (!found.acknowledged) return errors.unknownWebhook();
    const invalid = validateMessage(request.body, request.files, 'followup');
    if (invalid) return invalid;
    this.#noteIgnored('POST /webhooks/:applicationId/:token', request.body, 'followup');
    const message = this.#message(found, request.body, request, MessageType.Default);
    found.followupMessages.set(message.id, message);
    found.followups.push({ body: request.body, receivedAt: request.receivedAt });
    found.revealAfterDeferral(request.body, request.receivedAt, 'followup');
    this.#options.feed.notify();
    return request.query.get('wait') === 'false' ? noContent : ok(message);
  }

  #noteIgnored(route: string, body: unknown, target: MessageTarget): void {
    const ignored = findIgnoredFields(body, target);
    if (ignored.length > 0) this.#options.recordIgnored(route, ignored);
  }

  #webhook(applicationId: string, token: string): InteractionRecord | RestResult {
    const record = this.#byToken.get(token);
    if (!record || applicationId !== this.#options.applicationId) return errors.unknownWebhook();
    if (now() - record.dispatchedAt > TOKEN_LIFETIME_MS) {
      return apiError(401, 50027, 'Invalid Webhook Token');
    }
    return record;
  }

  #target(record: InteractionRecord, messageId: string): APIMessage | undefined {
    if (messageId === '@original' || messageId === record.original?.id) {
      return record.original ?? undefined;
    }
    return record.followupMessages.get(messageId);
  }

  #message(
    record: InteractionRecord,
    body: unknown,
    request: RestRequest,
    type: MessageType,
  ): APIMessage {
    return buildMessage({
      id: this.#options.ids.next(),
      channelId: record.payload.channel.id,
      author: this.#options.bot,
      body,
      files: request.files,
      type,
      webhookId: this.#options.applicationId,
      applicationId: this.#options.applicationId,
    });
  }
}
