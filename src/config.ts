import { existsSync } from 'node:fs';
import { z } from 'zod';

const SNOWFLAKE = /^\d{17,20}$/;

const configSchema = z.object({
  DISCORD_TOKEN: z
    .string({ message: 'is missing' })
    .trim()
    .min(1, 'is empty')
    .regex(/^[\w.-]+$/, 'does not look like a bot token'),
  DATABASE_PATH: z.string().trim().min(1).default('./var/bot.db'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
    .optional(),
  SHARD_COUNT: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .optional(),
  SHARD_IDS: z
    .string()
    .trim()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'must be shard numbers separated by commas, such as 0,1')
    .transform((ids) => [...new Set(ids.split(',').map(Number))].sort((a, b) => a - b))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
  DISCORD_API_BASE_URL: z
    .url({
      protocol: /^https?$/,
      message: 'must be an http(s) URL such as https://discord.com/api',
    })
    .default('https://discord.com/api')
    .transform((url) => url.replace(/\/+$/, '')),
  DISCORD_GLOBAL_RPS: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .default(50),
  DISCORD_GUILD_ID: z
    .string()
    .trim()
    .regex(SNOWFLAKE, 'must be a server id (17–20 digits)')
    .optional(),
});

const checkedSchema = configSchema.superRefine((config, context) => {
  // Runs even when a field failed its own check; then there is nothing more to say.
  if (!Array.isArray(config.SHARD_IDS)) return;
  if (config.SHARD_COUNT === undefined)
    context.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: 'needs SHARD_COUNT' });
  const outside = config.SHARD_IDS.find((id) => id >= (config.SHARD_COUNT ?? 0));
  if (outside !== undefined && typeof config.SHARD_COUNT === 'number')
    context.addIssue({
      code: 'custom',
      path: ['SHARD_IDS'],
      message: `has shard ${outside}, but shards are numbered 0 to ${config.SHARD_COUNT - 1}`,
    });
});

export type Config = z.infer<typeof configSchema>;

/** What to do about each variable, for the one-line error message. */
const HINTS: Record<keyof Config, string> = {
  DISCORD_TOKEN:
    'Copy .env.example to .env and set DISCORD_TOKEN to your bot token (Discord developer portal → your application → Bot → Reset Token).',
  DATABASE_PATH:
    'Set DATABASE_PATH to a file path such as ./var/bot.db, or remove it for the default.',
  DATABASE_URL:
    'Set DATABASE_URL to a Postgres URL such as postgres://bot:secret@db.example:5432/remembrance, or remove it to use the SQLite file at DATABASE_PATH.',
  SHARD_COUNT:
    "Set SHARD_COUNT to the bot's total number of shards (the same in every process), or remove it to let Discord choose and connect every shard here.",
  SHARD_IDS:
    'Set SHARD_IDS to the shards this process connects, such as 0,1 (each below SHARD_COUNT, and SHARD_COUNT set too), or remove it to connect every shard.',
  LOG_LEVEL: 'Set LOG_LEVEL to one of fatal, error, warn, info, debug, trace or silent.',
  HEALTH_PORT:
    'Set HEALTH_PORT to a port number such as 8080, or remove it to turn the health server off.',
  HEALTH_HOST: 'Set HEALTH_HOST to an address such as 127.0.0.1 or 0.0.0.0.',
  DISCORD_API_BASE_URL:
    'Remove DISCORD_API_BASE_URL to use Discord itself, or set it to a URL such as http://127.0.0.1:8080/api.',
  DISCORD_GLOBAL_RPS:
    'Remove DISCORD_GLOBAL_RPS for the default of 50 requests per second, or set it to the higher global limit Discord granted your bot.',
  DISCORD_GUILD_ID:
    'Set DISCORD_GUILD_ID to the id of your development server (right-click the server → Copy Server ID), or remove it.',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration once, from the environment and a .env file if there is one (the
 * environment wins). Throws a ConfigError whose message is one line saying what to do.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && existsSync(envFile)) {
    try {
      process.loadEnvFile(envFile);
    } catch (error) {
      throw new ConfigError(
        `Cannot read ${envFile}: ${(error as Error).message}. Fix or remove the file.`,
      );
    }
  }
  // "KEY=" in a .env file means "not set": only the token must be there.
  const given = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => key === 'DISCORD_TOKEN' || (value ?? '').trim() !== '',
    ),
  );
  const result = checkedSchema.safeParse(given);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'configuration') as keyof Config;
  // The value itself is never echoed: it may be a secret.
  throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}. ${HINTS[name] ?? ''}`.trim());
}

/** Every variable the bot reads, for the documentation test that keeps .env.example complete. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as Array<keyof Config>;

/** What the logs must never show: the token, and the database password if the URL has one. */
export function listSecrets(config: Config): string[] {
  const secrets = [config.DISCORD_TOKEN];
  if (config.DATABASE_URL) {
    try {
      const password = decodeURIComponent(new URL(config.DATABASE_URL).password);
      if (password) secrets.push(password, encodeURIComponent(password));
    } catch {
      // Not a parseable URL: pg will refuse it with its own message, which holds no password.
    }
  }
  return secrets;
}
