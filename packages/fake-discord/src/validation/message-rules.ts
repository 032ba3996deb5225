import { MessageFlags } from 'discord-api-types/v10';
import type { ZodMiniType } from 'zod/mini';
import { errors, isRecord, type RestResult, type UploadedFile } from '../rest-types.js';
import { type FieldIssue, invalidFormBody, issue } from './form-errors.js';
import { checkAgainstSpec, specSchemas } from './spec-schemas.js';

/** Where a message body goes: each has its own schema and its own allowed flags. */
export type MessageTarget = 'channel' | 'forum-post' | 'interaction-reply' | 'followup' | 'edit';

/** A bot's message content limit; the spec's 4,000 is for Nitro users. */
const CONTENT_LIMIT = 2000;
const EMBED_TOTAL_LIMIT = 6000;

/** The flags each kind of message may be sent with (Discord's "create message" documentation). */
const ALLOWED_FLAGS: Readonly<Record<MessageTarget, number>> = {
  channel:
    MessageFlags.SuppressEmbeds |
    MessageFlags.SuppressNotifications |
    MessageFlags.IsVoiceMessage |
    MessageFlags.IsComponentsV2,
  // "only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS can be set" (Start Thread in Forum).
  'forum-post': MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications,
  'interaction-reply':
    MessageFlags.SuppressEmbeds |
    MessageFlags.Ephemeral |
    MessageFlags.SuppressNotifications |
    MessageFlags.IsComponentsV2,
  followup:
    MessageFlags.SuppressEmbeds |
    MessageFlags.Ephemeral |
    MessageFlags.SuppressNotifications |
    MessageFlags.IsComponentsV2,
  edit: MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2,
};

const SCHEMAS: Readonly<Record<MessageTarget, ZodMiniType>> = {
  channel: specSchemas.messageCreate,
  'forum-post': specSchemas.forumThreadMessage,
  'interaction-reply': specSchemas.interactionReply,
  followup: specSchemas.webhookExecute,
  edit: specSchemas.webhookEdit,
};

/**
 * Discord's checks of a message body: the spec's schema, then the documented limits it does not
 * encode. `prefix` places errors inside a larger body (an interaction callback's `data`).
 */
export function findMessageIssues(
  body: unknown,
  target: MessageTarget,
  prefix: readonly (string | number)[] = [],
): FieldIssue[] {
  const found = checkAgainstSpec(SCHEMAS[target], body ?? {}, prefix);
  if (!isRecord(body)) return found;
  const at = (...path: (string | number)[]) => [...prefix, ...path];

  const { content, flags, allowed_mentions: mentions } = body;
  if (typeof content === 'string' && content.length > CONTENT_LIMIT) {
    found.push(
      issue(at('content'), 'BASE_TYPE_MAX_LENGTH', `Must be ${CONTENT_LIMIT} or fewer in length.`),
    );
  }
  if (typeof flags === 'number' && (flags & ~ALLOWED_FLAGS[target]) !== 0) {
    found.push(issue(at('flags'), 'MESSAGE_FLAGS_INVALID', 'Invalid message flags.'));
  }
  if (isRecord(mentions) && Array.isArray(mentions.parse)) {
    for (const kind of ['roles', 'users'] as const) {
      const listed = mentions[kind];
      if (mentions.parse.includes(kind) && Array.isArray(listed) && listed.length > 0) {
        found.push(
          issue(
            at('allowed_mentions'),
            'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
            `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
          ),
        );
      }
    }
  }
  if (Array.isArray(body.embeds)) found.push(...findEmbedIssues(body.embeds, at));
  return found;
}

function findEmbedIssues(
  embeds: unknown[],
  at: (...path: (string | number)[]) => (string | number)[],
): FieldIssue[] {
  const found: FieldIssue[] = [];
  let total = 0;
  const count = (value: unknown) => {
    if (typeof value === 'string') total += value.length;
  };
  embeds.forEach((embed, index) => {
    if (!isRecord(embed)) return;
    count(embed.title);
    count(embed.description);
    count(isRecord(embed.footer) ? embed.footer.text : undefined);
    count(isRecord(embed.author) ? embed.author.name : undefined);
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    fields.forEach((field: unknown, fieldIndex) => {
      if (!isRecord(field)) return;
      count(field.name);
      count(field.value);
      for (const key of ['name', 'value'] as const) {
        const text = field[key];
        if (typeof text === 'string' && text.trim().length === 0) {
          found.push(
            issue(
              at('embeds', index, 'fields', fieldIndex, key),
              'BASE_TYPE_REQUIRED',
              'This field is required',
            ),
          );
        }
      }
    });
  });
  // The 6,000-character budget covers all embeds of one message together.
  if (total > EMBED_TOTAL_LIMIT) {
    found.push(
      issue(
        at('embeds'),
        'MAX_EMBED_SIZE_EXCEEDED',
        `Embed size exceeds maximum size of ${EMBED_TOTAL_LIMIT}`,
      ),
    );
  }
  return found;
}

/** 400 50035 for an invalid body, 400 50006 for an empty one, else null. */
export function validateMessage(
  body: unknown,
  files: readonly UploadedFile[],
  target: MessageTarget,
  prefix: readonly (string | number)[] = [],
): RestResult | null {
  const found = findMessageIssues(body, target, prefix);
  if (found.length > 0) return invalidFormBody(found);
  return target !== 'edit' && isEmptyMessage(body, files) ? errors.emptyMessage() : null;
}

export function isEmptyMessage(body: unknown, files: readonly UploadedFile[]): boolean {
  const message = isRecord(body) ? body : {};
  const hasAny = (value: unknown) => Array.isArray(value) && value.length > 0;
  return (
    !(typeof message.content === 'string' && message.content.trim().length > 0) &&
    !hasAny(message.embeds) &&
    !hasAny(message.sticker_ids) &&
    !hasAny(message.components) &&
    files.length === 0 &&
    (message.poll === undefined || message.poll === null)
  );
}

/**
 * Top-level fields the spec does not know for this kind of body. Discord ignores them; the fake
 * ignores them too but records them, so a test can see a bot sending what Discord drops.
 */
export function findIgnoredFields(body: unknown, target: MessageTarget): string[] {
  return findFieldsOutside(SCHEMAS[target], body);
}

/** Top-level fields of `body` that an object schema does not know. */
export function findFieldsOutside(schema: ZodMiniType, body: unknown): string[] {
  if (!isRecord(body)) return [];
  const shape = (schema as unknown as { _zod: { def: { shape?: object } } })._zod.def.shape;
  if (!shape) return [];
  return Object.keys(body).filter((key) => !(key in shape));
}
