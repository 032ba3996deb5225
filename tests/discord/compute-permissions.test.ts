import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { expect, it } from 'vitest';
import {
  computeChannelPermissions,
  type PermissionInputs,
} from '../../src/discord/compute-permissions.js';

const GUILD = '100000000000000000';
const BOT = '200000000000000000';
const BOT_ROLE = '300000000000000000';
const OTHER_ROLE = '400000000000000000';
const POST = P.ViewChannel | P.SendMessages | P.EmbedLinks;

function compute(patch: Partial<PermissionInputs>): bigint {
  return computeChannelPermissions({
    guildId: GUILD,
    ownerId: '999999999999999999',
    memberId: BOT,
    memberRoleIds: [BOT_ROLE],
    roles: [
      { id: GUILD, permissions: P.ViewChannel },
      { id: BOT_ROLE, permissions: P.SendMessages | P.EmbedLinks },
      { id: OTHER_ROLE, permissions: P.MentionEveryone },
    ],
    overwrites: [],
    ...patch,
  });
}

it.each<[string, Partial<PermissionInputs>, bigint, boolean]>([
  ['@everyone and the bot role together', {}, POST, true],
  ['a role the bot does not hold does not count', {}, P.MentionEveryone, false],
  [
    '@everyone overwrite denies',
    { overwrites: [{ id: GUILD, type: 0, allow: 0n, deny: P.SendMessages }] },
    P.SendMessages,
    false,
  ],
  [
    'a role overwrite allows back what @everyone denied',
    {
      overwrites: [
        { id: GUILD, type: 0, allow: 0n, deny: P.SendMessages },
        { id: BOT_ROLE, type: 0, allow: P.SendMessages, deny: 0n },
      ],
    },
    P.SendMessages,
    true,
  ],
  [
    'a member overwrite has the last word',
    {
      overwrites: [
        { id: BOT_ROLE, type: 0, allow: P.SendMessages, deny: 0n },
        { id: BOT, type: 1, allow: 0n, deny: P.SendMessages },
      ],
    },
    P.SendMessages,
    false,
  ],
  [
    'an overwrite for a role the bot lacks is ignored',
    { overwrites: [{ id: OTHER_ROLE, type: 0, allow: 0n, deny: POST }] },
    POST,
    true,
  ],
  [
    'Administrator overrides every overwrite',
    {
      roles: [{ id: BOT_ROLE, permissions: P.Administrator }],
      overwrites: [{ id: GUILD, type: 0, allow: 0n, deny: POST }],
    },
    POST,
    true,
  ],
  [
    'the owner has everything',
    { ownerId: BOT, roles: [], overwrites: [{ id: BOT, type: 1, allow: 0n, deny: POST }] },
    POST,
    true,
  ],
])('%s', (_name, patch, flags, expected) => {
  expect((compute(patch) & flags) === flags).toBe(expected);
});
