import {
  type APIApplicationCommandInteractionDataOption,
  type APIAuthorizingIntegrationOwnersMap,
  type APIChatInputApplicationCommandDMInteraction,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIRole,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ChannelFlags,
  ChannelType,
  type GuildMemberFlags,
  InteractionType,
  type Locale,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { epochNow } from './clock.js';
import { contextOf, type InteractionPlace } from './command-availability.js';
import type { FakeChannel, FakeGuild, FakeState } from './fake-state.js';
import { apiChannel, apiRole, apiUser } from './payloads.js';

export type { InteractionPlace } from './command-availability.js';

export interface InjectedOption {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  options?: InjectedOption[];
  focused?: boolean;
}

export interface InjectInteractionOptions {
  /** The guild of a `guild` place (the default place); unused elsewhere. */
  guildId?: string;
  /** Where the member types the command. Default: a channel of `guildId`, where the bot is. */
  place?: InteractionPlace;
  /**
   * Whether the member installed the app to their own account. Default: outside the bot's
   * servers, whenever the app supports user installs; in them, no.
   */
  userInstalled?: boolean;
  /** Defaults to the guild's first text channel. */
  channelId?: string;
  /** Defaults to a fresh user id: a regular member, not the owner. */
  userId?: string;
  username?: string;
  memberRoleIds?: string[];
  /** Sent as member.permissions. Default: ViewChannel | SendMessages (not an administrator). */
  memberPermissions?: bigint;
  /** Default 'en-US'. */
  locale?: string;
  /** Default: the guild's preferred locale. */
  guildLocale?: string;
  data: {
    name: string;
    /** Defaults to the id of the registered command with that name, if any. */
    id?: string;
    type?: ApplicationCommandType.ChatInput;
    options?: InjectedOption[];
    /** Merged over what is resolved automatically for CHANNEL, ROLE and MENTIONABLE options. */
    resolved?: APIInteractionDataResolved;
  };
  id?: string;
  token?: string;
}

export type InteractionPayload =
  | APIChatInputApplicationCommandGuildInteraction
  | APIChatInputApplicationCommandDMInteraction;
type CommandOption = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>;

// The flag enums have no zero member, yet 0 ("no flags") is what Discord sends.
const NO_FLAGS = 0;
const DEFAULT_MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** Discord's attachment limit for an unboosted guild (10 MiB). */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * What an app may do where it has no bot member: Discord always grants Embed Links and Attach
 * Files to interaction responses (and Mention Everyone in (G)DMs, plus Use External Emojis in the
 * bot's own DM), per the interaction object's `app_permissions` note.
 */
const DM_APP_PERMISSIONS =
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.MentionEveryone;
const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory;

export interface PayloadContext {
  state: FakeState;
  applicationId: string;
  id: string;
  token: string;
  userId: string;
  commandId: string;
  /** Fresh snowflakes, for the DM channel or the guild the fake does not know. */
  nextId: () => string;
  owners: APIAuthorizingIntegrationOwnersMap;
}

export function buildInteractionPayload(
  options: InjectInteractionOptions,
  context: PayloadContext,
): InteractionPayload {
  const place = options.place ?? { kind: 'guild' };
  const user = apiUser(
    { id: context.userId, username: options.username ?? `user${context.userId.slice(-4)}` },
    false,
  );
  const common = {
    id: context.id,
    application_id: context.applicationId,
    type: InteractionType.ApplicationCommand as const,
    token: context.token,
    version: 1 as const,
    locale: (options.locale ?? 'en-US') as Locale,
    entitlements: [],
    authorizing_integration_owners: context.owners,
    context: contextOf(place),
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  const data = (resolved: APIInteractionDataResolved | undefined) => ({
    id: context.commandId,
    name: options.data.name,
    type: ApplicationCommandType.ChatInput as const,
    ...(options.data.options ? { options: options.data.options as CommandOption[] } : {}),
    ...(resolved ? { resolved } : {}),
  });

  if (place.kind === 'bot-dm' || place.kind === 'group-dm') {
    // Outside a server Discord sends `user` and no `guild_id`, `member` or `guild_locale`.
    const channelId = options.channelId ?? context.nextId();
    const channel =
      place.kind === 'bot-dm'
        ? { id: channelId, type: ChannelType.DM as const, name: null, recipients: [user] }
        : {
            id: channelId,
            type: ChannelType.GroupDM as const,
            name: null,
            icon: null,
            owner_id: context.userId,
            recipients: [user],
          };
    const payload: APIChatInputApplicationCommandDMInteraction = {
      ...common,
      data: data(options.data.resolved),
      channel: { ...channel, last_message_id: null, flags: NO_FLAGS as ChannelFlags },
      channel_id: channelId,
      user,
      app_permissions: (place.kind === 'bot-dm'
        ? DM_APP_PERMISSIONS | PermissionFlagsBits.UseExternalEmojis
        : DM_APP_PERMISSIONS
      ).toString(),
    };
    return payload;
  }

  const memberPermissions = options.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS;
  const member = {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: options.memberRoleIds ?? [],
    joined_at: new Date(epochNow() - 86_400_000).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
    permissions: memberPermissions.toString(),
  };

  if (place.kind === 'guild-without-bot') {
    const guildId = place.guildId ?? context.nextId();
    if (context.state.guild(guildId)) {
      throw new Error(
        `fake-discord: injectInteraction: the bot is a member of guild ${guildId}; use the guild place`,
      );
    }
    const channelId = options.channelId ?? context.nextId();
    const preferredLocale = (place.preferredLocale ?? 'en-US') as Locale;
    const everyone = place.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
    const payload: APIChatInputApplicationCommandGuildInteraction = {
      ...common,
      data: data(options.data.resolved),
      guild: { id: guildId, features: [], locale: preferredLocale },
      guild_id: guildId,
      channel: {
        id: channelId,
        type: ChannelType.GuildText,
        guild_id: guildId,
        name: 'general',
        position: 0,
        parent_id: null,
        nsfw: false,
        last_message_id: null,
        flags: NO_FLAGS as ChannelFlags,
      },
      channel_id: channelId,
      member,
      // Without a bot member, the app has @everyone's permissions there, plus what every
      // interaction response may do (discord-api-docs issue 5316).
      app_permissions: (
        everyone |
        PermissionFlagsBits.EmbedLinks |
        PermissionFlagsBits.AttachFiles
      ).toString(),
      guild_locale: (options.guildLocale ?? preferredLocale) as Locale,
    };
    return payload;
  }

  if (options.guildId === undefined) {
    throw new Error('fake-discord: injectInteraction: give guildId, or a place outside a guild');
  }
  const guild = context.state.guild(options.guildId);
  if (!guild) throw new Error(`fake-discord: injectInteraction: unknown guild ${options.guildId}`);
  const channel = pickChannel(guild, options.channelId);
  const resolved = mergeResolved(
    resolveOptions(guild, options.data.options ?? [], memberPermissions),
    options.data.resolved,
  );
  return {
    ...common,
    data: data(resolved),
    guild: { id: guild.id, features: [], locale: guild.preferredLocale as Locale },
    guild_id: guild.id,
    channel: apiChannel(channel, true),
    channel_id: channel.id,
    member,
    app_permissions: context.state.botPermissionsIn(guild, channel).toString(),
    guild_locale: (options.guildLocale ?? guild.preferredLocale) as Locale,
  };
}

function pickChannel(guild: FakeGuild, channelId: string | undefined): FakeChannel {
  const channel =
    channelId === undefined
      ? guild.channels.find((c) => c.type === ChannelType.GuildText)
      : guild.channels.find((c) => c.id === channelId);
  if (!channel) {
    throw new Error(
      `fake-discord: injectInteraction: no ${channelId ? `channel ${channelId}` : 'text channel'} in guild ${guild.id}`,
    );
  }
  return channel;
}

/** Discord fills `resolved` for every entity an option points at; tests only pass the id. */
function resolveOptions(
  guild: FakeGuild,
  options: readonly InjectedOption[],
  memberPermissions: bigint,
): APIInteractionDataResolved | undefined {
  const channels: Record<string, APIInteractionDataResolvedChannel> = {};
  const roles: Record<string, APIRole> = {};
  const visit = (list: readonly InjectedOption[]): void => {
    for (const option of list) {
      if (option.options) visit(option.options);
      if (typeof option.value !== 'string') continue;
      const { value } = option;
      if (option.type === ApplicationCommandOptionType.Channel) {
        const channel = guild.channels.find((c) => c.id === value);
        if (channel) {
          channels[value] = {
            id: channel.id,
            name: channel.name,
            type: channel.type,
            permissions: memberPermissions.toString(),
          };
        }
      }
      if (
        option.type === ApplicationCommandOptionType.Role ||
        option.type === ApplicationCommandOptionType.Mentionable
      ) {
        const role = guild.roles.find((r) => r.id === value);
        if (role) roles[value] = apiRole(role);
      }
    }
  };
  visit(options);
  const resolved: APIInteractionDataResolved = {};
  if (Object.keys(channels).length > 0) resolved.channels = channels;
  if (Object.keys(roles).length > 0) resolved.roles = roles;
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function mergeResolved(
  auto: APIInteractionDataResolved | undefined,
  given: APIInteractionDataResolved | undefined,
): APIInteractionDataResolved | undefined {
  if (!auto) return given;
  if (!given) return auto;
  const merged: APIInteractionDataResolved = { ...auto, ...given };
  if (auto.channels || given.channels) merged.channels = { ...auto.channels, ...given.channels };
  if (auto.roles || given.roles) merged.roles = { ...auto.roles, ...given.roles };
  return merged;
}
