import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/);
const bitfield = z.string().regex(/^\d{1,30}$/);

export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: RawOption[] | undefined;
}
const optionSchema: z.ZodType<RawOption> = z.lazy(() =>
  z.looseObject({
    name: z.string().max(100),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(optionSchema).max(25).optional(),
  }),
);

const userSchema = z.looseObject({ id: snowflake, username: z.string().optional() });

/**
 * An interaction as the gateway delivers it: untrusted JSON, checked here before anything reads
 * it. Only the fields the bot reads are described; anything else is let through untouched.
 */
export const interactionSchema = z
  .looseObject({
    id: snowflake,
    application_id: snowflake,
    type: z.number().int().min(1).max(5),
    token: z.string().min(1).max(1000),
    guild_id: snowflake.optional(),
    channel_id: snowflake.optional(),
    channel: z.looseObject({ id: snowflake, type: z.number().int() }).optional(),
    /** Where it was used: a server, the bot's DM, or a group DM or other DM. */
    context: z.number().int().optional(),
    /**
     * The installs it came through: "0" (the server's install) to the server's id, or "0" in the
     * bot's DM; "1" (a member's own install) to that member's id.
     */
    authorizing_integration_owners: z.record(z.string(), snowflake.or(z.literal('0'))).optional(),
    locale: z.string().max(16).optional(),
    guild_locale: z.string().max(16).optional(),
    app_permissions: bitfield.optional(),
    member: z
      .looseObject({ user: userSchema, permissions: bitfield, roles: z.array(snowflake) })
      .optional(),
    user: userSchema.optional(),
    data: z
      .looseObject({
        id: snowflake.optional(),
        name: z.string().max(100),
        type: z.number().int().min(1).max(4).optional(),
        options: z.array(optionSchema).max(25).optional(),
        resolved: z
          .looseObject({
            roles: z
              .record(
                snowflake,
                z.looseObject({
                  id: snowflake,
                  name: z.string(),
                  permissions: bitfield,
                  mentionable: z.boolean().optional(),
                }),
              )
              .optional(),
            channels: z
              .record(snowflake, z.looseObject({ id: snowflake, type: z.number().int() }))
              .optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .refine((packet) => packet.member !== undefined || packet.user !== undefined, 'no member or user')
  .refine((packet) => packet.type === 1 || packet.data !== undefined, 'no data');

type RawInteraction = z.infer<typeof interactionSchema>;

/** A slash command as the router needs it: checked, with the subcommand's options flattened. */
export interface SlashInteraction {
  id: string;
  token: string;
  applicationId: string;
  /** Where it was used. */
  context: InteractionContextType;
  /** The server it was used in; undefined in DMs. It may be a server without the bot. */
  guildId: string | undefined;
  /**
   * Whether that server added the bot, so that the bot is a member and its settings apply. False
   * where a member used their own install of the bot in a server that did not add it.
   */
  serverInstalled: boolean;
  /**
   * Whether a reply may be visible to all. Not where a member's own install answers in a server
   * channel they may not send messages in: Discord lets a user-installed app reply there only
   * privately.
   */
  mayReplyPublicly: boolean;
  /** The member's Discord language. */
  locale: string | undefined;
  commandName: string;
  subcommand: string | undefined;
  /** The options given to the subcommand, each with its resolved channel or role. */
  options: ReadonlyArray<RawOption & { channel?: { type: number }; role?: RoleData }>;
}

interface RoleData {
  name: string;
  mentionable?: boolean | undefined;
}

export interface MalformedInteraction {
  id?: string;
  token?: string;
  guildId?: string;
  /** The member's Discord language, to answer in. */
  locale?: string;
  problem: string;
}

export type ReadInteraction =
  | { kind: 'slash'; interaction: SlashInteraction }
  /** A component, autocomplete or ping: the bot offers none, so it has nothing to answer. */
  | { kind: 'other' }
  | { kind: 'malformed'; malformed: MalformedInteraction };

/** Checks an INTERACTION_CREATE payload and reads the slash command in it. */
export function readInteraction(payload: unknown): ReadInteraction {
  const result = interactionSchema.safeParse(payload);
  if (!result.success) {
    const raw = (typeof payload === 'object' && payload ? payload : {}) as Record<string, unknown>;
    const issue = result.error.issues[0];
    return {
      kind: 'malformed',
      malformed: {
        ...(snowflake.safeParse(raw.id).success ? { id: raw.id as string } : {}),
        ...(typeof raw.token === 'string' && raw.token.length <= 1000 ? { token: raw.token } : {}),
        ...(snowflake.safeParse(raw.guild_id).success ? { guildId: raw.guild_id as string } : {}),
        ...(typeof raw.locale === 'string' && raw.locale.length <= 16
          ? { locale: raw.locale }
          : {}),
        problem: `${issue?.path.join('.') || '(payload)'}: ${issue?.message ?? 'invalid'}`,
      },
    };
  }
  const packet = result.data;
  const { data } = packet;
  if (
    packet.type !== InteractionType.ApplicationCommand ||
    !data ||
    (data.type ?? ApplicationCommandType.ChatInput) !== ApplicationCommandType.ChatInput
  )
    return { kind: 'other' };
  return { kind: 'slash', interaction: toSlashInteraction(packet, data) };
}

function toSlashInteraction(
  packet: RawInteraction,
  data: NonNullable<RawInteraction['data']>,
): SlashInteraction {
  // The bot's commands have subcommands and no groups: anything else is an unknown subcommand.
  const [first] = data.options ?? [];
  const isSubcommand = first?.type === ApplicationCommandOptionType.Subcommand;
  const subcommand = isSubcommand ? first.name : undefined;
  const options = isSubcommand ? (first.options ?? []) : [];
  const { channels, roles } = data.resolved ?? {};
  const guildId = packet.member ? packet.guild_id : undefined;
  const serverInstalled = guildId !== undefined && isServerInstalled(packet, guildId);
  const memberMaySend =
    packet.member !== undefined &&
    (BigInt(packet.member.permissions) & PermissionFlagsBits.SendMessages) !== 0n;
  return {
    id: packet.id,
    token: packet.token,
    applicationId: packet.application_id,
    context: readContext(packet, guildId),
    guildId,
    serverInstalled,
    mayReplyPublicly: guildId === undefined || serverInstalled || memberMaySend,
    locale: packet.locale,
    commandName: data.name,
    subcommand,
    options: options.map((option) => {
      const id = typeof option.value === 'string' ? option.value : '';
      const channel = channels?.[id];
      const role = roles?.[id];
      return {
        ...option,
        ...(option.type === ApplicationCommandOptionType.Channel && channel ? { channel } : {}),
        ...(option.type === ApplicationCommandOptionType.Role && role ? { role } : {}),
      };
    }),
  };
}

/** Discord always sends `context` now; an older payload is placed by its guild and channel. */
function readContext(packet: RawInteraction, guildId: string | undefined): InteractionContextType {
  switch (packet.context) {
    case InteractionContextType.Guild:
    case InteractionContextType.BotDM:
    case InteractionContextType.PrivateChannel:
      return packet.context;
  }
  if (guildId !== undefined) return InteractionContextType.Guild;
  return packet.channel?.type === ChannelType.GroupDM
    ? InteractionContextType.PrivateChannel
    : InteractionContextType.BotDM;
}

/**
 * A server's own install of the bot is named by the server's id under GUILD_INSTALL; a member's
 * install alone (USER_INSTALL) means a server that never added the bot. A payload without the
 * map predates user installs, when every server interaction came from a server with the bot.
 */
function isServerInstalled(packet: RawInteraction, guildId: string): boolean {
  const owners = packet.authorizing_integration_owners;
  if (!owners) return true;
  return owners[ApplicationIntegrationType.GuildInstall] === guildId;
}
