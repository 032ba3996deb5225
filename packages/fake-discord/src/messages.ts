import type {
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageTopLevelComponent,
  APIUser,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import { epochNow } from './clock.js';
import { isRecord, type UploadedFile } from './rest-types.js';

/** A message the bot created through POST /channels/:id/messages. */
export interface FakeMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string;
  /** The JSON body exactly as the bot sent it (payload_json for uploads). */
  readonly body: unknown;
  readonly files: readonly UploadedFile[];
  /** `now()` clock, like every other `...At` in the fake. */
  readonly createdAt: number;
  /** What Discord answered, returned again when a nonce is replayed. */
  readonly response: APIMessage;
  /** The test clock's time of creation, which the nonce window is measured on. */
  readonly createdAtClock: number;
  /** `now()` when the bot or a moderator (`fake.deleteMessage`) deleted it; null while it exists. */
  deletedAt: number | null;
}

export interface BuildMessageInput {
  id: string;
  channelId: string;
  author: APIUser;
  body: unknown;
  files: readonly UploadedFile[];
  type: MessageType;
  flags?: number;
  webhookId?: string;
  applicationId?: string;
}

export function buildMessage(input: BuildMessageInput): APIMessage {
  const body = isRecord(input.body) ? input.body : {};
  const message: APIMessage = {
    id: input.id,
    type: input.type,
    channel_id: input.channelId,
    author: input.author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date(epochNow()).toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: input.files.map((file, index) => attachment(`${input.id}${index}`, file)),
    embeds: normaliseEmbeds(body.embeds),
    pinned: false,
    components: Array.isArray(body.components)
      ? (body.components as APIMessageTopLevelComponent[])
      : [],
    flags: ((typeof body.flags === 'number' ? body.flags : 0) | (input.flags ?? 0)) as MessageFlags,
  };
  if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
  if (input.webhookId) message.webhook_id = input.webhookId;
  if (input.applicationId) message.application_id = input.applicationId;
  return message;
}

/** PATCH semantics: only the fields present in the body change. */
export function applyEdit(message: APIMessage, body: unknown): APIMessage {
  const edit = isRecord(body) ? body : {};
  const next: APIMessage = { ...message, edited_timestamp: new Date(epochNow()).toISOString() };
  if ('content' in edit) next.content = typeof edit.content === 'string' ? edit.content : '';
  if ('embeds' in edit) next.embeds = normaliseEmbeds(edit.embeds);
  if ('components' in edit && Array.isArray(edit.components)) {
    next.components = edit.components as APIMessageTopLevelComponent[];
  }
  if (typeof edit.flags === 'number') next.flags = edit.flags as MessageFlags;
  return next;
}

function normaliseEmbeds(embeds: unknown): APIEmbed[] {
  if (!Array.isArray(embeds)) return [];
  // Discord stamps every embed a bot sends as "rich"; validation already ran.
  return embeds.filter(isRecord).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

function attachment(id: string, file: UploadedFile): APIAttachment {
  return {
    id,
    filename: file.name,
    size: file.size,
    content_type: file.contentType,
    url: `https://cdn.discordapp.com/attachments/fake/${id}/${file.name}`,
    proxy_url: `https://media.discordapp.net/attachments/fake/${id}/${file.name}`,
  };
}
