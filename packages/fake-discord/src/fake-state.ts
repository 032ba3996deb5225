import { ChannelType } from 'discord-api-types/v10';
import { epochNow } from './clock.js';
import {
  checkChannelConversion,
  checkChannelDeletion,
  type FakeCommunitySpec,
  type FakeGuildChannels,
  readGuildChannels,
} from './community.js';
import { channelPermissions, DEFAULT_BOT_PERMISSIONS } from './permissions.js';
import type { SnowflakeFactory } from './snowflake.js';

export type FakeChannelType =
  | ChannelType.GuildText
  | ChannelType.GuildAnnouncement
  | ChannelType.GuildVoice
  | ChannelType.GuildCategory
  | ChannelType.GuildForum
  | ChannelType.PublicThread;

export interface FakeOverwrite {
  id: string;
  /** 0 = role, 1 = member, as on the wire. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface FakeChannelSpec {
  id?: string;
  name?: string;
  /** Defaults to GuildText. */
  type?: FakeChannelType;
  parentId?: string;
  permissionOverwrites?: FakeOverwrite[];
  /** Forum channels: the tags posts may carry (Discord allows 20). */
  availableTags?: FakeForumTagSpec[];
  /** Channel flags, e.g. REQUIRE_TAG (1 << 4) on a forum. Default 0. */
  flags?: number;
  /** Text and forum channels: 60, 1440, 4320 or 10080 minutes. Default: unset (null). */
  defaultAutoArchiveDuration?: number;
}

export interface FakeForumTagSpec {
  id?: string;
  name: string;
  /** Only members with Manage Threads may apply it. Default false. */
  moderated?: boolean;
}

export interface FakeForumTag {
  id: string;
  name: string;
  moderated: boolean;
}

/** What a thread has beyond a channel (see threads.ts): Discord's thread_metadata and friends. */
export interface FakeThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  /** Discord time (epoch ms, as in snowflakes) of creation, archiving or unarchiving. */
  archiveTimestampMs: number;
  createdAtMs: number;
  autoArchiveDuration: number;
  /** On the fake's `clock`: when the thread last had activity, for auto-archiving. */
  lastActivityClock: number;
  appliedTags: string[];
  /** Messages other than the first (starter) one. */
  messageCount: number;
}

export interface FakeRoleSpec {
  /** Use the guild id to set the @everyone role's permissions. */
  id?: string;
  name?: string;
  /** Defaults to 0n. */
  permissions?: bigint;
  /** Whether anyone may ping it; defaults to false, as Discord does. */
  mentionable?: boolean;
}

export interface FakeGuildSpec {
  id?: string;
  name?: string;
  /** Defaults to a human user: the bot is never owner unless asked, since owners bypass permissions. */
  ownerId?: string;
  /** Defaults to one text channel named "general". */
  channels?: FakeChannelSpec[];
  /** @everyone (id = guild id) is always created, with no permissions unless given here. */
  roles?: FakeRoleSpec[];
  /** Extra roles (from `roles`) that the bot member holds. */
  botRoleIds?: string[];
  /** Permissions of the bot's managed integration role. Default: ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory (the invite's 84992). */
  botPermissions?: bigint;
  /** Defaults to 2 (the owner and the bot). */
  memberCount?: number;
  preferredLocale?: string;
  /** A Community server, with its rules and community updates channels (ids from `channels`). */
  community?: FakeCommunitySpec;
  /** The channel for welcome and boost notices (an id from `channels`); default none. */
  systemChannelId?: string;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed: boolean;
  mentionable: boolean;
  botId: string | null;
}

export interface FakeChannel {
  id: string;
  guildId: string;
  name: string;
  type: FakeChannelType;
  position: number;
  parentId: string | null;
  permissionOverwrites: FakeOverwrite[];
  flags: number;
  availableTags: FakeForumTag[];
  defaultAutoArchiveDuration: number | null;
  /** Set on threads only. */
  thread?: FakeThreadState;
}

export interface FakeGuild extends FakeGuildChannels {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  preferredLocale: string;
  memberCount: number;
  roles: FakeRole[];
  channels: FakeChannel[];
  /** Threads, apart from `channels` as Discord lists them apart (GUILD_CREATE, /channels). */
  threads: FakeChannel[];
  /** The managed role Discord creates when a bot joins; `setBotPermissions` edits it. */
  botRoleId: string;
  /** All roles the bot member holds except @everyone (managed role first). */
  botRoleIds: string[];
}

export interface FakeBotUser {
  id: string;
  username: string;
}

/** Guilds, channels and roles as Discord knows them; payload shapes live in payloads.ts. */
export class FakeState {
  readonly guilds = new Map<string, FakeGuild>();
  readonly #deletedChannels = new Set<string>();
  readonly #ids: SnowflakeFactory;
  readonly #bot: FakeBotUser;

  constructor(ids: SnowflakeFactory, bot: FakeBotUser) {
    this.#ids = ids;
    this.#bot = bot;
  }

  addGuild(spec: FakeGuildSpec): FakeGuild {
    const id = spec.id ?? this.#ids.next();
    if (this.guilds.has(id)) throw new Error(`fake-discord: guild ${id} already exists`);
    const everyoneSpec = spec.roles?.find((r) => r.id === id);
    const roles: FakeRole[] = [
      role(id, everyoneSpec?.name ?? '@everyone', everyoneSpec?.permissions ?? 0n, 0),
    ];
    for (const roleSpec of spec.roles ?? []) {
      if (roleSpec.id === id) continue;
      const roleId = roleSpec.id ?? this.#ids.next();
      roles.push(
        role(
          roleId,
          roleSpec.name ?? `role-${roles.length}`,
          roleSpec.permissions ?? 0n,
          roles.length,
          roleSpec.mentionable ?? false,
        ),
      );
    }
    const botRole: FakeRole = {
      ...role(
        this.#ids.next(),
        this.#bot.username,
        spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
        1,
      ),
      managed: true,
      botId: this.#bot.id,
    };
    roles.push(botRole);
    for (const extra of spec.botRoleIds ?? []) {
      if (!roles.some((r) => r.id === extra)) {
        throw new Error(`fake-discord: botRoleIds references unknown role ${extra} in guild ${id}`);
      }
    }

    const channelSpecs = spec.channels ?? [{ name: 'general' }];
    const channels = channelSpecs.map((c, position) => ({
      id: c.id ?? this.#ids.next(),
      guildId: id,
      name: c.name ?? `channel-${position + 1}`,
      type: c.type ?? ChannelType.GuildText,
      position,
      parentId: c.parentId ?? null,
      permissionOverwrites: (c.permissionOverwrites ?? []).map((o) => ({ ...o })),
      flags: c.flags ?? 0,
      availableTags: (c.availableTags ?? []).map((tag) => ({
        id: tag.id ?? this.#ids.next(),
        name: tag.name,
        moderated: tag.moderated ?? false,
      })),
      defaultAutoArchiveDuration: c.defaultAutoArchiveDuration ?? null,
    }));
    const guild: FakeGuild = {
      ...readGuildChannels(id, channels, spec.community, spec.systemChannelId),
      id,
      name: spec.name ?? `guild-${this.guilds.size + 1}`,
      ownerId: spec.ownerId ?? this.#ids.next(),
      joinedAt: new Date(epochNow()).toISOString(),
      preferredLocale: spec.preferredLocale ?? 'en-US',
      memberCount: spec.memberCount ?? 2,
      roles,
      channels,
      threads: [],
      botRoleId: botRole.id,
      botRoleIds: [botRole.id, ...(spec.botRoleIds ?? [])],
    };
    this.guilds.set(id, guild);
    return guild;
  }

  guild(id: string): FakeGuild | undefined {
    return this.guilds.get(id);
  }

  channel(id: string): { guild: FakeGuild; channel: FakeChannel } | undefined {
    for (const guild of this.guilds.values()) {
      const channel =
        guild.channels.find((c) => c.id === id) ?? guild.threads.find((t) => t.id === id);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  wasDeleted(channelId: string): boolean {
    return this.#deletedChannels.has(channelId);
  }

  deleteChannel(channelId: string): FakeChannel {
    const found = this.#requireChannel(channelId);
    checkChannelDeletion(found.guild, channelId);
    if (found.guild.systemChannelId === channelId) found.guild.systemChannelId = null;
    found.guild.channels = found.guild.channels.filter((c) => c.id !== channelId);
    this.#deletedChannels.add(channelId);
    // A forum's posts go with it.
    for (const thread of found.guild.threads.filter((t) => t.parentId === channelId)) {
      this.#deletedChannels.add(thread.id);
    }
    found.guild.threads = found.guild.threads.filter((t) => t.parentId !== channelId);
    return found.channel;
  }

  setChannelOverwrites(channelId: string, overwrites: readonly FakeOverwrite[]): FakeChannel {
    const { channel } = this.#requireChannel(channelId);
    channel.permissionOverwrites = overwrites.map((o) => ({ ...o }));
    return channel;
  }

  /** Converts a text channel to an announcement channel or back, as Modify Channel allows. */
  setChannelType(channelId: string, type: FakeChannelType): FakeChannel {
    const { guild, channel } = this.#requireChannel(channelId);
    checkChannelConversion(guild, channel, type);
    channel.type = type;
    return channel;
  }

  setBotPermissions(guildId: string, permissions: bigint): FakeRole {
    const guild = this.guilds.get(guildId);
    const botRole = guild?.roles.find((r) => r.id === guild.botRoleId);
    if (!botRole) throw new Error(`fake-discord: unknown guild ${guildId}`);
    botRole.permissions = permissions;
    return botRole;
  }

  botPermissionsIn(guild: FakeGuild, channel: FakeChannel): bigint {
    // A thread has no overwrites of its own: Discord takes its parent's.
    const parent = channel.thread ? guild.channels.find((c) => c.id === channel.parentId) : channel;
    if (!parent) return 0n;
    return channelPermissions(guild, parent, this.#bot.id, guild.botRoleIds);
  }

  #requireChannel(channelId: string): { guild: FakeGuild; channel: FakeChannel } {
    const found = this.channel(channelId);
    if (!found) throw new Error(`fake-discord: unknown channel ${channelId}`);
    return found;
  }
}

function role(
  id: string,
  name: string,
  permissions: bigint,
  position: number,
  mentionable = false,
): FakeRole {
  return { id, name, permissions, position, managed: false, mentionable, botId: null };
}
