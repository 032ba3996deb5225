/**
 * npm run fake-discord -- [--port N] [--guilds N] [--shards N] [--rate-limit] [--token T] [--no-user-install]
 *
 * Prints exactly one JSON line on stdout once it listens, then runs until SIGTERM or Ctrl-C. The
 * application supports both server and user installs, as the README asks; `--no-user-install`
 * leaves User Install off, as on a new application.
 */
import { parseArgs } from 'node:util';
import { ApplicationIntegrationType } from 'discord-api-types/v10';
import { startFakeDiscord } from '../fake-discord.js';

const USAGE =
  'npm run fake-discord -- [--port N] [--guilds N] [--shards N] [--rate-limit] [--token T] [--no-user-install]';

function fail(message: string): never {
  process.stderr.write(`error: ${message} (usage: ${USAGE})\n`);
  process.exit(1);
}

function readCount(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    fail(`--${name} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return Number(raw);
}

let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      guilds: { type: 'string' },
      shards: { type: 'string' },
      'rate-limit': { type: 'boolean', default: false },
      token: { type: 'string' },
      'no-user-install': { type: 'boolean', default: false },
    },
    strict: true,
  });
}
try {
  values = parse().values;
} catch (error) {
  fail(error instanceof Error ? (error.message.split('. ')[0] ?? '') : String(error));
}

const port = readCount('port', values.port, 0, 0);
if (port > 65_535) fail(`--port must be at most 65535, not ${port}`);
const guildCount = readCount('guilds', values.guilds, 1, 1);
const fake = await startFakeDiscord({
  port,
  controlApi: true,
  installationContexts: values['no-user-install']
    ? [ApplicationIntegrationType.GuildInstall]
    : [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
  shardCount: readCount('shards', values.shards, 1, 1),
  ...(values.token ? { token: values.token } : {}),
  ...(values['rate-limit'] ? { rateLimits: { global: 50, routes: true } } : {}),
  guilds: Array.from({ length: guildCount }, (_, index) => ({
    name: `server-${index + 1}`,
    channels: [{ name: 'general' }, { name: 'remembrance' }],
    roles: [{ name: 'remembrance', mentionable: true }],
  })),
}).catch((error: unknown) =>
  fail(`could not listen: ${error instanceof Error ? error.message : String(error)}`),
);

process.stdout.write(
  `${JSON.stringify({
    api: fake.apiBaseUrl,
    token: fake.token,
    applicationId: fake.applicationId,
    guilds: fake.guilds.map((guild) => ({
      id: guild.id,
      channels: guild.channels.map((c) => ({ id: c.id, type: c.type, name: c.name })),
    })),
  })}\n`,
);

let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  fake.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// `npm run` passes SIGTERM to the shell that runs the script, which dies without passing it on:
// when our parent goes away, stop as if we had been sent SIGTERM, rather than linger orphaned.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
