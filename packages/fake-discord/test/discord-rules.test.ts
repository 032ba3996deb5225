import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../src/fake-discord.js';
import { useHarness } from './harness.js';

const GUILD = '930000000000000001';
const CHANNEL = '930000000000000010';
const ROLE = '930000000000000020';

interface Answer {
  status: number;
  body: unknown;
}

type Target = 'command' | 'message' | 'edit' | 'reply';

/** Raw HTTP, so that discord.js's own checks cannot stop an invalid body before the fake sees it. */
async function call(
  fake: FakeDiscord,
  method: string,
  path: string,
  body: unknown,
  auth = true,
): Promise<Answer> {
  const response = await fetch(`${fake.apiBaseUrl}/v10${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(auth ? { Authorization: `Bot ${fake.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Sends one body to one kind of endpoint; interaction endpoints get a fresh interaction. */
async function send(fake: FakeDiscord, target: Target, body: unknown): Promise<Answer> {
  if (target === 'command') {
    const list = Array.isArray(body) ? body : [body];
    return call(fake, 'PUT', `/applications/${fake.applicationId}/commands`, list);
  }
  if (target === 'message') return call(fake, 'POST', `/channels/${CHANNEL}/messages`, body);
  const interaction = await fake.injectInteraction({ guildId: GUILD, data: { name: 'test' } });
  const callback = `/interactions/${interaction.id}/${interaction.token}/callback`;
  if (target === 'reply') return call(fake, 'POST', callback, { type: 4, data: body }, false);
  await call(fake, 'POST', callback, { type: 5 }, false);
  return call(
    fake,
    'PATCH',
    `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`,
    body,
    false,
  );
}

/** The `_errors` codes at a path of Discord's nested `errors` object. */
function errorCodesAt(answer: Answer, path: readonly (string | number)[]): string[] {
  let node: unknown = (answer.body as { errors?: unknown }).errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  const list = (node as { _errors?: { code: string }[] } | undefined)?._errors ?? [];
  return list.map((e) => e.code);
}

const option = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 3,
  name,
  description: `the ${name}`,
  ...extra,
});
const command = (extra: Record<string, unknown> = {}) => ({
  name: 'observance',
  description: 'Days of remembrance',
  ...extra,
});
const choices = (count: number, valueLength = 5, nameLength = 5) =>
  Array.from({ length: count }, (_, i) => ({
    name: `${i}`.padEnd(nameLength, 'n'),
    value: `${i}`.padEnd(valueLength, 'v'),
  }));

interface Rule {
  rule: string;
  targets: Target[];
  valid: unknown;
  invalid: unknown;
  /** Where Discord puts the error, relative to the body (for a reply: relative to `data`). */
  path: (string | number)[];
  code: string;
}

const RULES: Rule[] = [
  {
    rule: 'a localization key that is not a Discord locale',
    targets: ['command'],
    valid: command({ description_localizations: { tr: 'Anma günleri' } }),
    invalid: command({ description_localizations: { az: 'Anım günləri' } }),
    path: [0, 'description_localizations', 'az'],
    code: 'LOCALE_INVALID',
  },
  {
    rule: 'an installation context the application does not support (User Install is off)',
    targets: ['command'],
    valid: command({ integration_types: [0] }),
    invalid: command({ integration_types: [0, 1] }),
    path: [0, 'integration_types', 1],
    code: 'APPLICATION_COMMAND_INTEGRATION_TYPE_NOT_SUPPORTED',
  },
  {
    rule: 'an empty list of installation contexts',
    targets: ['command'],
    valid: command({ integration_types: [0] }),
    invalid: command({ integration_types: [] }),
    path: [0, 'integration_types'],
    code: 'BASE_TYPE_MIN_LENGTH',
  },
  {
    rule: 'an interaction context that does not exist',
    targets: ['command'],
    valid: command({ contexts: [0, 1, 2] }),
    invalid: command({ contexts: [0, 3] }),
    path: [0, 'contexts', 1],
    code: 'BASE_TYPE_CHOICES',
  },
  {
    rule: 'an empty command description',
    targets: ['command'],
    valid: command({ description: 'd' }),
    invalid: command({ description: '' }),
    path: [0, 'description'],
    code: 'BASE_TYPE_BAD_LENGTH',
  },
  {
    rule: 'a command description over 100 characters',
    targets: ['command'],
    valid: command({ description: 'd'.repeat(100) }),
    invalid: command({ description: 'd'.repeat(101) }),
    path: [0, 'description'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'an option description over 100 characters',
    targets: ['command'],
    valid: command({ options: [option('day', { description: 'd'.repeat(100) })] }),
    invalid: command({ options: [option('day', { description: 'd'.repeat(101) })] }),
    path: [0, 'options', 0, 'description'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'more than 25 options',
    targets: ['command'],
    valid: command({ options: Array.from({ length: 25 }, (_, i) => option(`o${i}`)) }),
    invalid: command({ options: Array.from({ length: 26 }, (_, i) => option(`o${i}`)) }),
    path: [0, 'options'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'more than 25 choices',
    targets: ['command'],
    valid: command({ options: [option('day', { choices: choices(25) })] }),
    invalid: command({ options: [option('day', { choices: choices(26) })] }),
    path: [0, 'options', 0, 'choices'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'a required option after an optional one',
    targets: ['command'],
    valid: command({ options: [option('a', { required: true }), option('b')] }),
    invalid: command({ options: [option('a'), option('b', { required: true })] }),
    path: [0, 'options'],
    code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
  },
  {
    rule: 'duplicate option names',
    targets: ['command'],
    valid: command({ options: [option('a'), option('b')] }),
    invalid: command({ options: [option('a'), option('a')] }),
    path: [0, 'options', 1, 'name'],
    code: 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME',
  },
  {
    rule: 'duplicate command names',
    targets: ['command'],
    valid: [command(), command({ name: 'commemoration' })],
    invalid: [command(), command()],
    path: [1, 'name'],
    code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
  },
  {
    rule: 'an uppercase command name',
    targets: ['command'],
    valid: command({ name: 'observance' }),
    invalid: command({ name: 'Observance' }),
    path: [0, 'name'],
    code: 'APPLICATION_COMMAND_INVALID_NAME',
  },
  {
    rule: 'an uppercase option name',
    targets: ['command'],
    valid: command({ options: [option('day')] }),
    invalid: command({ options: [option('Day')] }),
    path: [0, 'options', 0, 'name'],
    code: 'APPLICATION_COMMAND_INVALID_NAME',
  },
  {
    rule: 'a choice value over 100 characters',
    targets: ['command'],
    valid: command({ options: [option('day', { choices: choices(1, 100) })] }),
    invalid: command({ options: [option('day', { choices: choices(1, 101) })] }),
    path: [0, 'options', 0, 'choices', 0, 'value'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'a command over 8,000 characters in total',
    targets: ['command'],
    // One option with 25 choices of 100 + 100 characters is about 5,000; two are about 10,000.
    valid: command({ options: [option('a', { choices: choices(25, 100, 100) })] }),
    invalid: command({
      options: [
        option('a', { choices: choices(25, 100, 100) }),
        option('b', { choices: choices(25, 100, 100) }),
      ],
    }),
    path: [0],
    code: 'APPLICATION_COMMAND_TOO_LARGE',
  },
  {
    rule: 'allowed_mentions listing roles both in parse and explicitly',
    targets: ['message', 'edit', 'reply'],
    valid: { content: `<@&${ROLE}>`, allowed_mentions: { parse: [], roles: [ROLE] } },
    invalid: { content: `<@&${ROLE}>`, allowed_mentions: { parse: ['roles'], roles: [ROLE] } },
    path: ['allowed_mentions'],
    code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
  },
  {
    rule: 'an unknown allowed_mentions.parse value',
    targets: ['message', 'edit', 'reply'],
    valid: { content: 'x', allowed_mentions: { parse: ['users'] } },
    invalid: { content: 'x', allowed_mentions: { parse: ['channels'] } },
    path: ['allowed_mentions', 'parse', 0],
    code: 'BASE_TYPE_CHOICES',
  },
  {
    rule: 'an embed title over 256 characters',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ title: 't'.repeat(256) }] },
    invalid: { embeds: [{ title: 't'.repeat(257) }] },
    path: ['embeds', 0, 'title'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'an embed field value over 1,024 characters',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1024) }] }] },
    invalid: { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
    path: ['embeds', 0, 'fields', 0, 'value'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'more than 25 embed fields',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ fields: Array.from({ length: 25 }, () => ({ name: 'n', value: 'v' })) }] },
    invalid: {
      embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }],
    },
    path: ['embeds', 0, 'fields'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'embeds over 6,000 characters together',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2000) }] },
    invalid: { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
    path: ['embeds'],
    code: 'MAX_EMBED_SIZE_EXCEEDED',
  },
  {
    rule: 'an empty embed field name',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ fields: [{ name: 'n', value: 'v' }] }] },
    invalid: { embeds: [{ fields: [{ name: '', value: 'v' }] }] },
    path: ['embeds', 0, 'fields', 0, 'name'],
    code: 'BASE_TYPE_REQUIRED',
  },
  {
    rule: 'an empty embed field value',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ fields: [{ name: 'n', value: 'v' }] }] },
    invalid: { embeds: [{ fields: [{ name: 'n', value: ' ' }] }] },
    path: ['embeds', 0, 'fields', 0, 'value'],
    code: 'BASE_TYPE_REQUIRED',
  },
  {
    rule: 'a colour above 0xFFFFFF',
    targets: ['message', 'edit', 'reply'],
    valid: { embeds: [{ title: 't', color: 0xffffff }] },
    invalid: { embeds: [{ title: 't', color: 0x1000000 }] },
    path: ['embeds', 0, 'color'],
    code: 'NUMBER_TYPE_MAX',
  },
  {
    rule: 'content over 2,000 characters',
    targets: ['message', 'edit', 'reply'],
    valid: { content: 'c'.repeat(2000) },
    invalid: { content: 'c'.repeat(2001) },
    path: ['content'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    rule: 'the ephemeral flag on a channel message',
    targets: ['message'],
    valid: { content: 'x', flags: 4096 },
    invalid: { content: 'x', flags: 64 },
    path: ['flags'],
    code: 'MESSAGE_FLAGS_INVALID',
  },
  {
    rule: 'a nonce over 25 characters',
    targets: ['message'],
    valid: { content: 'x', nonce: 'n'.repeat(25), enforce_nonce: true },
    invalid: { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true },
    path: ['nonce'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
];

describe("fake-discord: Discord's rules for request bodies", () => {
  const harness = useHarness();
  const cases = RULES.flatMap((rule) => rule.targets.map((target) => ({ ...rule, target })));

  it.each(cases)('$target: rejects $rule', async ({ target, valid, invalid, path, code }) => {
    const fake = await harness.start({
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], roles: [{ id: ROLE }] }],
    });
    if (target === 'edit' || target === 'reply') await harness.login(fake);

    const accepted = await send(fake, target, valid);
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);

    const refused = await send(fake, target, invalid);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    const at = target === 'reply' ? ['data', ...path] : path;
    expect(errorCodesAt(refused, at), JSON.stringify(refused.body)).toContain(code);
  });

  it('accepts the permission bit set as a string, as discord.js sends it', async () => {
    const fake = await harness.start({ guilds: [{ id: GUILD }] });
    const answer = await send(fake, 'command', command({ default_member_permissions: '32' }));
    expect(answer.status).toBe(200);
  });
});
