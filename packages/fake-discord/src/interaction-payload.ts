import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIRole,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  type GuildMemberFlags,
  InteractionContextType,
  InteractionType,
  type Locale,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { epochNow } from './clock.js';
import type { FakeChannel, FakeGuild, FakeState } from './fake-state.js';
import { apiChannel, apiRole, apiUser } from './payloads.js';

export interface InjectedOption {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  options?: InjectedOption[];
  focused?: boolean;
}

export interface InjectInteractionOptions {
  guildId: string;
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

export type InteractionPayload = APIChatInputApplicationCommandGuildInteraction;
type CommandOption = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>;

const DEFAULT_MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** Discord's attachment limit for an unboosted guild (10 MiB). */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface PayloadContext {
  state: FakeState;
  applicationId: string;
  id: string;
  token: string;
  userId: string;
  commandId: string;
}

export function buildInteractionPayload(
  options: InjectInteractionOptions,
  context: PayloadContext,
): InteractionPayload {
  const guild = context.state.guild(options.guildId);
  if (!guild) throw new Error(`fake-discord: injectInteraction: unknown guild ${options.guildId}`);
  const channel = pickChannel(guild, options.channelId);
  const memberPermissions = options.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS;
  const user = apiUser(
    { id: context.userId, username: options.username ?? `user${context.userId.slice(-4)}` },
    false,
  );
  const resolved = mergeResolved(
    resolveOptions(guild, options.data.options ?? [], memberPermissions),
    options.data.resolved,
  );

  return {
    id: context.id,
    application_id: context.applicationId,
    type: InteractionType.ApplicationCommand,
    data: {
      id: context.commandId,
      name: options.data.name,
      type: ApplicationCommandType.ChatInput,
      ...(options.data.options ? { options: options.data.options as CommandOption[] } : {}),
      ...(resolved ? { resolved } : {}),
    },
    guild: { id: guild.id, features: [], locale: guild.preferredLocale as Locale },
    guild_id: guild.id,
    channel: apiChannel(channel, true),
    channel_id: channel.id,
    member: {
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
    },
    token: context.token,
    version: 1,
    app_permissions: context.state.botPermissionsIn(guild, channel).toString(),
    locale: (options.locale ?? 'en-US') as Locale,
    guild_locale: (options.guildLocale ?? guild.preferredLocale) as Locale,
    entitlements: [],
    authorizing_integration_owners: { 0: guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
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
