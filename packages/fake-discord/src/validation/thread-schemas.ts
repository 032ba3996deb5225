/**
 * The spec's schema for Start Thread from Message, kept apart from spec-schemas.ts so that the
 * thread routes (this one, and forum posts elsewhere) each add their own.
 */
import { CreateTextThreadWithMessageRequestSchema } from 'discord-api-spec/zod';

export const threadSchemas = {
  /** name 1–100, auto_archive_duration one of 60, 1440, 4320, 10080, rate_limit_per_user 0–21600. */
  startFromMessage: CreateTextThreadWithMessageRequestSchema,
} as const;
