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
import { errors, isRecord, type RestResult, type UploadedFile } from './rest-types.js';

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
}

const EMBED_LIMITS: Readonly<Record<string, number>> = {
  title: 256,
  description: 4096,
  'footer.text': 2048,
  'author.name': 256,
};

/** The subset of Discord's checks a bot is likely to trip: sizes, emptiness and nonce shape. */
export function validateMessageBody(
  body: unknown,
  files: readonly UploadedFile[],
): RestResult | null {
  const message = isRecord(body) ? body : {};
  const fieldErrors: Record<string, string> = {};
  const { content, embeds, nonce } = message;

  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') fieldErrors.content = 'Could not interpret value as string.';
    else if (content.length > 2000) fieldErrors.content = 'Must be 2000 or fewer in length.';
  }
  if (nonce !== undefined && nonce !== null) {
    const valid =
      (typeof nonce === 'string' && nonce.length <= 25) ||
      (typeof nonce === 'number' && Number.isSafeInteger(nonce));
    if (!valid) fieldErrors.nonce = 'Must be an integer or a string of at most 25 characters.';
  }
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) fieldErrors.embeds = 'Must be an array.';
    else if (embeds.length > 10) fieldErrors.embeds = 'Must be 10 or fewer in length.';
    else validateEmbeds(embeds, fieldErrors);
  }
  if (Object.keys(fieldErrors).length > 0) return errors.invalidFormBody(fieldErrors);

  const hasContent = typeof content === 'string' && content.trim().length > 0;
  const hasAny = (value: unknown) => Array.isArray(value) && value.length > 0;
  const empty =
    !hasContent &&
    !hasAny(embeds) &&
    !hasAny(message.sticker_ids) &&
    !hasAny(message.components) &&
    files.length === 0 &&
    message.poll === undefined;
  return empty ? errors.emptyMessage() : null;
}

function validateEmbeds(embeds: unknown[], fieldErrors: Record<string, string>): void {
  let total = 0;
  embeds.forEach((embed, index) => {
    if (!isRecord(embed)) {
      fieldErrors[`embeds.${index}`] = 'Must be an object.';
      return;
    }
    for (const [path, max] of Object.entries(EMBED_LIMITS)) {
      const value = readPath(embed, path);
      if (typeof value !== 'string') continue;
      total += value.length;
      if (value.length > max)
        fieldErrors[`embeds.${index}.${path}`] = `Must be ${max} or fewer in length.`;
    }
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25)
      fieldErrors[`embeds.${index}.fields`] = 'Must be 25 or fewer in length.';
    fields.forEach((field: unknown, fieldIndex) => {
      if (!isRecord(field)) return;
      const name = typeof field.name === 'string' ? field.name : '';
      const value = typeof field.value === 'string' ? field.value : '';
      total += name.length + value.length;
      if (name.length > 256 || value.length > 1024) {
        fieldErrors[`embeds.${index}.fields.${fieldIndex}`] =
          'Field names must be 256 or fewer and values 1024 or fewer in length.';
      }
    });
  });
  // Discord counts the 6000-character budget across all embeds of one message.
  if (total > 6000) fieldErrors.embeds = 'Embed size exceeds maximum size of 6000';
}

function readPath(record: Record<string, unknown>, path: string): unknown {
  let node: unknown = record;
  for (const key of path.split('.')) node = isRecord(node) ? node[key] : undefined;
  return node;
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
