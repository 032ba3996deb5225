/**
 * Request bodies checked against the zod schemas that discord-api-spec generates from Discord's
 * own OpenAPI description, with zod's issues turned into Discord's error codes and messages.
 */
import {
  ApplicationCommandCreateRequestSchema,
  ApplicationCommandUpdateRequestSchema,
  AvailableLocalesEnumSchema,
  BaseCreateMessageCreateRequestSchema,
  CreateForumThreadRequestSchema,
  CreateMessageInteractionCallbackRequestSchema,
  ExternalScheduledEventCreateRequestSchema,
  ExternalScheduledEventPatchRequestPartialSchema,
  IncomingWebhookInteractionRequestSchema,
  IncomingWebhookRequestPartialSchema,
  IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  MessageCreateRequestSchema,
} from 'discord-api-spec/zod';
import type { ZodMiniType } from 'zod/mini';
import type { FieldIssue } from './form-errors.js';

export const specSchemas = {
  messageCreate: MessageCreateRequestSchema,
  forumThreadCreate: CreateForumThreadRequestSchema,
  /** A forum post's first message: a message without nonce, tts or reply. */
  forumThreadMessage: BaseCreateMessageCreateRequestSchema,
  interactionCallback: CreateMessageInteractionCallbackRequestSchema,
  interactionReply: IncomingWebhookInteractionRequestSchema,
  webhookExecute: IncomingWebhookRequestPartialSchema,
  webhookEdit: IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  commandCreate: ApplicationCommandCreateRequestSchema,
  commandOverwrite: ApplicationCommandUpdateRequestSchema,
  externalEventCreate: ExternalScheduledEventCreateRequestSchema,
  externalEventPatch: ExternalScheduledEventPatchRequestPartialSchema,
} as const;

/** Discord's client locales, from the same spec. */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set(
  AvailableLocalesEnumSchema._zod.def.values,
);

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  origin?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  values?: unknown[];
  expected?: string;
  input?: unknown;
  errors?: ZodIssueLike[][];
}

export function checkAgainstSpec(
  schema: ZodMiniType,
  body: unknown,
  prefix: readonly (string | number)[] = [],
): FieldIssue[] {
  const result = schema.safeParse(body);
  if (result.success) return [];
  return (result.error.issues as unknown as ZodIssueLike[]).flatMap((i) => translate(i, prefix));
}

function translate(zodIssue: ZodIssueLike, prefix: readonly (string | number)[]): FieldIssue[] {
  const path = [...prefix, ...zodIssue.path.map((k) => (typeof k === 'number' ? k : String(k)))];
  const size = (value: number | bigint | undefined) => String(value ?? '');
  switch (zodIssue.code) {
    case 'too_big':
      if (zodIssue.origin === 'number' || zodIssue.origin === 'int' || zodIssue.origin === 'bigint')
        return [
          {
            path,
            code: 'NUMBER_TYPE_MAX',
            message: `int value should be less than or equal to ${size(zodIssue.maximum)}.`,
          },
        ];
      return [
        {
          path,
          code: 'BASE_TYPE_MAX_LENGTH',
          message: `Must be ${size(zodIssue.maximum)} or fewer in length.`,
        },
      ];
    case 'too_small':
      if (zodIssue.origin === 'number' || zodIssue.origin === 'int' || zodIssue.origin === 'bigint')
        return [
          {
            path,
            code: 'NUMBER_TYPE_MIN',
            message: `int value should be greater than or equal to ${size(zodIssue.minimum)}.`,
          },
        ];
      return [
        {
          path,
          code: 'BASE_TYPE_MIN_LENGTH',
          message: `Must be ${size(zodIssue.minimum)} or more in length.`,
        },
      ];
    case 'invalid_value':
      return [
        {
          path,
          code: 'BASE_TYPE_CHOICES',
          message: `Value must be one of {${(zodIssue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}}.`,
        },
      ];
    case 'invalid_type':
      return zodIssue.input === undefined
        ? [{ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]
        : [
            {
              path,
              code: 'BASE_TYPE_INVALID',
              message: `Must be a ${zodIssue.expected ?? 'value'}.`,
            },
          ];
    case 'invalid_union':
      return translateUnion(zodIssue, path);
    default:
      return [{ path, code: 'BASE_TYPE_INVALID', message: 'Invalid value.' }];
  }
}

/**
 * Discord picks an option's model by its `type`, then reports that model's errors. A union branch
 * whose only complaint is a different `type` is another model, so it is skipped.
 */
function translateUnion(zodIssue: ZodIssueLike, path: (string | number)[]): FieldIssue[] {
  const branches = zodIssue.errors ?? [];
  const sameModel = branches.filter(
    (issues) =>
      !issues.some(
        (i) => i.path.length === 1 && i.path[0] === 'type' && i.code === 'invalid_value',
      ),
  );
  const chosen = sameModel[0];
  if (chosen) return chosen.flatMap((i) => translate(i, path));
  return [
    {
      path: [...path, 'type'],
      code: 'BASE_TYPE_CHOICES',
      message: 'Field "type" is required to determine the model type.',
    },
  ];
}
