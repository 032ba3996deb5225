import type { REST } from '@discordjs/rest';
import { InteractionResponseType, MessageFlags, Routes } from 'discord-api-types/v10';
import type { BotStrings } from '../content/content-schema.js';
import type { GuildSettings } from '../domain/guild-settings.js';
import type { EmbedPayload } from '../domain/message-payload.js';
import type { PostLabels } from '../domain/post-labels.js';
import type { BotServices } from './bot-services.js';
import type { SlashInteraction } from './read-interaction.js';

export interface Reply {
  content?: string;
  embeds?: EmbedPayload[];
}

/** Everything a subcommand handler needs, resolved once by the router. */
export interface CommandContext {
  interaction: SlashInteraction;
  services: BotServices;
  /** The server that added the bot, where it was used; '' in DMs and servers without the bot. */
  guildId: string;
  /**
   * The reply language: the server's choice, else the member's Discord language, else English.
   * Outside a server that added the bot there is no server choice.
   */
  language: string;
  strings: BotStrings;
  labels: PostLabels;
  settings: GuildSettings | undefined;
  now: Date;
  reply(reply: Reply): Promise<void>;
}

/**
 * Answers one interaction by Discord's rules: the first answer is the interaction's callback (or
 * a deferral), an answer after a deferral edits the original response, and any later one is a
 * private follow-up. No answer ever pings anyone: members' text can appear in replies, and it
 * must never become a mention.
 */
export class InteractionResponder {
  private state: 'new' | 'deferred' | 'answered' = 'new';

  constructor(
    private readonly rest: REST,
    private readonly interaction: Pick<SlashInteraction, 'id' | 'token' | 'applicationId'>,
  ) {}

  async defer(visibleToAll: boolean): Promise<void> {
    await this.callback({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: visibleToAll ? {} : { flags: MessageFlags.Ephemeral },
    });
    this.state = 'deferred';
  }

  async send(reply: Reply, visibleToAll: boolean): Promise<void> {
    const body = {
      ...(reply.content ? { content: reply.content } : {}),
      embeds: reply.embeds ?? [],
      allowed_mentions: { parse: [] },
    };
    const { applicationId, token } = this.interaction;
    if (this.state === 'deferred') {
      await this.rest.patch(Routes.webhookMessage(applicationId, token), { body, auth: false });
    } else if (this.state === 'answered') {
      await this.rest.post(Routes.webhook(applicationId, token), {
        body: { ...body, flags: MessageFlags.Ephemeral },
        auth: false,
      });
    } else {
      await this.callback({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { ...body, ...(visibleToAll ? {} : { flags: MessageFlags.Ephemeral }) },
      });
      this.state = 'answered';
    }
  }

  private async callback(body: unknown): Promise<void> {
    const { id, token } = this.interaction;
    await this.rest.post(Routes.interactionCallback(id, token), { body, auth: false });
  }
}
