import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { BotStrings } from '../content/content-schema.js';
import type { GuildSettings } from '../domain/guild-settings.js';
import type { EmbedPayload } from '../domain/message-payload.js';
import type { PostLabels } from '../domain/post-labels.js';
import type { BotServices } from './bot-services.js';

export interface Reply {
  content?: string;
  embeds?: EmbedPayload[];
}

/** Everything a subcommand handler needs, resolved once by the router. */
export interface CommandContext {
  interaction: ChatInputCommandInteraction;
  services: BotServices;
  guildId: string;
  /** The reply language: the server's choice, else the member's Discord language, else English. */
  language: string;
  strings: BotStrings;
  labels: PostLabels;
  settings: GuildSettings | undefined;
  now: Date;
  reply(reply: Reply): Promise<void>;
}

/**
 * Answers an interaction whether or not it was deferred. No reply ever pings anyone: members'
 * text can appear in replies, and it must never become a mention.
 */
export async function sendReply(
  interaction: ChatInputCommandInteraction,
  reply: Reply,
  visibleToAll: boolean,
): Promise<void> {
  const body = {
    ...(reply.content ? { content: reply.content } : {}),
    embeds: reply.embeds ?? [],
    allowedMentions: { parse: [] },
  };
  if (interaction.deferred) {
    await interaction.editReply(body);
  } else if (interaction.replied) {
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({
      ...body,
      ...(visibleToAll ? {} : { flags: MessageFlags.Ephemeral }),
    });
  }
}
