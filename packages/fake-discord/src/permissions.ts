import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { FakeChannel, FakeGuild } from './fake-state.js';

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce(
  (all, bit) => all | bit,
  0n,
);

export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** What a member may do guild-wide: @everyone plus every role they hold (Discord's "base permissions"). */
export function basePermissions(
  guild: FakeGuild,
  memberId: string,
  roleIds: readonly string[],
): bigint {
  if (memberId === guild.ownerId) return ALL_PERMISSIONS;
  let permissions = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || roleIds.includes(role.id)) permissions |= role.permissions;
  }
  return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions;
}

/**
 * Discord's documented order: @everyone overwrite, then all role overwrites merged (deny before
 * allow), then the member overwrite. Administrator and ownership bypass overwrites entirely.
 */
export function channelPermissions(
  guild: FakeGuild,
  channel: FakeChannel,
  memberId: string,
  roleIds: readonly string[],
): bigint {
  let permissions = basePermissions(guild, memberId, roleIds);
  if (permissions === ALL_PERMISSIONS) return ALL_PERMISSIONS;

  const overwrites = channel.permissionOverwrites;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;

  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && overwrite.id !== guild.id && roleIds.includes(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;

  const member = overwrites.find((o) => o.type === 1 && o.id === memberId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;

  // Discord strips everything when the channel cannot be seen, and the send-dependent
  // permissions when messages cannot be sent; discord.js does not, so the fake must.
  if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
  if ((permissions & PermissionFlagsBits.SendMessages) === 0n) {
    permissions &= ~(
      PermissionFlagsBits.MentionEveryone |
      PermissionFlagsBits.SendTTSMessages |
      PermissionFlagsBits.AttachFiles |
      PermissionFlagsBits.EmbedLinks
    );
  }
  return permissions;
}
