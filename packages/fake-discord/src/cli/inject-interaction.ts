/**
 * npm run fake-discord:inject -- [--api URL] [--guild ID] [--channel ID] [--admin] [--locale L]
 *   [--dm | --group-dm | --guild-without-bot] "/command sub option:value"
 *
 * Sends a slash command to the bot through a running `npm run fake-discord`, as a member would,
 * and prints what the member sees (the reply's JSON) once the bot answers. `--dm` types it in the
 * member's DM with the bot, `--group-dm` in a group DM and `--guild-without-bot` in a server the
 * bot is not in (both through the member's own install of the app).
 */
import { parseArgs } from 'node:util';
import { CONTROL_INTERACTIONS_PATH, type ControlReply } from '../control-api.js';

const USAGE =
  'npm run fake-discord:inject -- [--api URL] [--guild ID] [--channel ID] [--admin] [--locale L] [--dm | --group-dm | --guild-without-bot] "/command sub option:value"';

function fail(message: string): never {
  process.stderr.write(`error: ${message} (usage: ${USAGE})\n`);
  process.exit(1);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      api: { type: 'string' },
      guild: { type: 'string' },
      channel: { type: 'string' },
      admin: { type: 'boolean', default: false },
      locale: { type: 'string' },
      dm: { type: 'boolean', default: false },
      'group-dm': { type: 'boolean', default: false },
      'guild-without-bot': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(error instanceof Error ? (error.message.split('. ')[0] ?? '') : String(error));
}
const { values, positionals } = parsed;
const api = values.api ?? process.env.DISCORD_API_BASE_URL;
if (!api) fail('give --api (the "api" the fake printed) or set DISCORD_API_BASE_URL');
const command = positionals.join(' ');
if (!command.startsWith('/')) fail('give the command as a member types it, starting with /');
const places = (['dm', 'group-dm', 'guild-without-bot'] as const).filter((p) => values[p]);
if (places.length > 1) fail(`choose one of --${places.join(' and --')}`);
const [place] = places;
if (place && values.guild)
  fail(`--guild is a server the bot is in; it does not go with --${place}`);

const url = new URL(CONTROL_INTERACTIONS_PATH, api);
const response = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    command,
    admin: values.admin,
    ...(values.guild ? { guildId: values.guild } : {}),
    ...(values.channel ? { channelId: values.channel } : {}),
    ...(values.locale ? { locale: values.locale } : {}),
    ...(place ? { place } : {}),
  }),
}).catch((error: unknown) =>
  fail(
    `no fake Discord answers at ${url.origin} (${error instanceof Error ? error.message : error})`,
  ),
);
const body = (await response.json()) as ControlReply;
if ('error' in body) fail(body.error);
process.stdout.write(`${JSON.stringify(body.reply.data, null, 2)}\n`);
