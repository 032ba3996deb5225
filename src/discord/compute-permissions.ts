import { PermissionFlagsBits } from 'discord-api-types/v10';

export interface PermissionInputs {
  guildId: string;
  ownerId: string | undefined;
  memberId: string;
  memberRoleIds: readonly string[];
  /** Every role of the server, with its permissions; the @everyone role has the server's id. */
  roles: ReadonlyArray<{ id: string; permissions: bigint }>;
  overwrites: ReadonlyArray<{ id: string; type: number; allow: bigint; deny: bigint }>;
}

const ALL = (1n << 64n) - 1n;

/**
 * A member's permissions in a channel, by Discord's documented algorithm: the owner and
 * administrators have everything; otherwise @everyone and the member's roles, then the channel's
 * overwrites for @everyone, for the member's roles together, and for the member.
 */
export function computeChannelPermissions(input: PermissionInputs): bigint {
  if (input.ownerId !== undefined && input.ownerId === input.memberId) return ALL;
  const roleIds = new Set([input.guildId, ...input.memberRoleIds]);
  let permissions = 0n;
  for (const role of input.roles) if (roleIds.has(role.id)) permissions |= role.permissions;
  if (permissions & PermissionFlagsBits.Administrator) return ALL;

  const everyone = input.overwrites.find((o) => o.id === input.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of input.overwrites) {
    if (overwrite.type === 0 && overwrite.id !== input.guildId && roleIds.has(overwrite.id)) {
      allow |= overwrite.allow;
      deny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = input.overwrites.find((o) => o.type === 1 && o.id === input.memberId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  return permissions;
}
