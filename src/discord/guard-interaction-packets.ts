import { type Client, Routes } from 'discord.js';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/);
const bitfield = z.string().regex(/^\d{1,30}$/);

type OptionShape = {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: OptionShape[] | undefined;
};
const optionSchema: z.ZodType<OptionShape> = z.lazy(() =>
  z.looseObject({
    name: z.string().max(100),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(optionSchema).max(25).optional(),
  }),
);

const userSchema = z.looseObject({ id: snowflake, username: z.string().optional() });

/**
 * The parts of an interaction discord.js reads while building its objects. A payload that breaks
 * them would throw inside discord.js's gateway handler, where nothing can catch it; such a
 * payload is stopped here instead. Everything else (option values, unknown commands) reaches
 * the router, which answers it.
 */
export const interactionPacketSchema = z
  .looseObject({
    id: snowflake,
    application_id: snowflake,
    type: z.number().int().min(1).max(5),
    token: z.string().min(1).max(1000),
    guild_id: snowflake.optional(),
    channel_id: snowflake.optional(),
    channel: z.looseObject({ id: snowflake, type: z.number().int() }).optional(),
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
            users: z.record(snowflake, userSchema).optional(),
            members: z.record(snowflake, z.looseObject({})).optional(),
            roles: z
              .record(
                snowflake,
                z.looseObject({ id: snowflake, name: z.string(), permissions: bitfield }),
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

export interface MalformedInteraction {
  id?: string;
  token?: string;
  guildId?: string;
  problem: string;
}

/**
 * Checks every INTERACTION_CREATE before discord.js builds its objects from it. discord.js has no
 * public hook before that point, so its packet dispatcher is wrapped; a test holds this to the
 * pinned discord.js version.
 */
export function guardInteractionPackets(
  client: Client,
  onMalformed: (interaction: MalformedInteraction) => void,
): void {
  const ws = client.ws as unknown as { handlePacket(packet: unknown, shard: unknown): boolean };
  const handlePacket = ws.handlePacket.bind(ws);
  ws.handlePacket = (packet, shard) => {
    const dispatch = packet as { t?: unknown; d?: unknown } | undefined;
    if (dispatch?.t === 'INTERACTION_CREATE') {
      const result = interactionPacketSchema.safeParse(dispatch.d);
      if (!result.success) {
        const raw = (typeof dispatch.d === 'object' && dispatch.d ? dispatch.d : {}) as Record<
          string,
          unknown
        >;
        const issue = result.error.issues[0];
        onMalformed({
          ...(snowflake.safeParse(raw.id).success ? { id: raw.id as string } : {}),
          ...(typeof raw.token === 'string' && raw.token.length <= 1000
            ? { token: raw.token }
            : {}),
          ...(snowflake.safeParse(raw.guild_id).success ? { guildId: raw.guild_id as string } : {}),
          problem: `${issue?.path.join('.') || '(payload)'}: ${issue?.message ?? 'invalid'}`,
        });
        return true;
      }
    }
    return handlePacket(packet, shard);
  };
}

/** Tells the member, where the payload allows an answer at all, that the request was unusable. */
export async function answerMalformed(
  client: Client,
  interaction: MalformedInteraction,
  message: string,
): Promise<boolean> {
  if (!interaction.id || !interaction.token) return false;
  await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: 4, data: { content: message, flags: 64, allowed_mentions: { parse: [] } } },
    auth: false,
  });
  return true;
}
