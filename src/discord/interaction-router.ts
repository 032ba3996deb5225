import { randomBytes } from 'node:crypto';
import {
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { fillTemplate } from '../domain/fill-template.js';
import type { BotServices } from './bot-services.js';
import { type CommandContext, sendReply } from './command-context.js';
import { parseOptions } from './command-options.js';
import { resolveReplyLanguage } from './resolve-language.js';
import type { SlashCommand } from './subcommand.js';

/**
 * Dispatches slash commands. Every interaction gets an answer: bad input a clear private one,
 * an unexpected error a short private one with an id that finds the details in the log.
 */
export function createInteractionRouter(commands: readonly SlashCommand[], services: BotServices) {
  const byName = new Map(commands.map((command) => [command.name, command]));

  return async function handleInteraction(interaction: Interaction): Promise<void> {
    if (!interaction.isChatInputCommand()) return;
    const startedAt = performance.now();
    let visibleToAll = false;
    let ctx: CommandContext | undefined;
    try {
      ctx = await createContext(interaction, services);
      const command = byName.get(interaction.commandName);
      const subcommand = command?.subcommands.find(
        (sub) => sub.name === interaction.options.getSubcommand(false),
      );
      if (!command || !subcommand)
        return await ctx.reply({ content: ctx.strings.errors.unknownCommand });
      if (!interaction.inGuild()) return await ctx.reply({ content: ctx.strings.errors.guildOnly });
      if (
        command.requiresManageServer &&
        !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)
      ) {
        return await ctx.reply({ content: ctx.strings.errors.needsManageServer });
      }
      const parsed = parseOptions(subcommand.options, interaction);
      if (!parsed.ok) {
        const known = services.content.observances.map((o) => o.id).join(', ');
        const languages = services.content.locales.join(', ');
        return await ctx.reply({
          content: fillTemplate(ctx.strings.errors[parsed.error], {
            option: parsed.option,
            known,
            languages,
          }),
        });
      }
      visibleToAll = subcommand.visibleToAll ?? false;
      if (subcommand.defer)
        await interaction.deferReply(visibleToAll ? {} : { flags: MessageFlags.Ephemeral });
      const context: CommandContext = {
        ...ctx,
        reply: (reply) => sendReply(interaction, reply, visibleToAll),
      };
      await subcommand.run(context, parsed.args);
      services.logger.debug(
        { command: describe(interaction), ms: Math.round(performance.now() - startedAt) },
        'interaction handled',
      );
    } catch (error) {
      const errorId = randomBytes(4).toString('hex');
      services.logger.error(
        {
          err: error,
          errorId,
          command: describe(interaction),
          guildId: interaction.guildId,
          interactionId: interaction.id,
        },
        'command failed',
      );
      const message = fillTemplate(
        ctx?.strings.errors.unexpected ?? 'Something went wrong. Error id: `{errorId}`.',
        { errorId },
      );
      await sendReply(interaction, { content: message }, false).catch((replyError: unknown) => {
        services.logger.warn(
          { err: replyError, errorId },
          'could not tell the member about the error',
        );
      });
    }
  };
}

async function createContext(
  interaction: ChatInputCommandInteraction,
  services: BotServices,
): Promise<CommandContext> {
  const guildId = interaction.guildId ?? '';
  const settings = guildId ? await services.settings.find(guildId) : undefined;
  const language = resolveReplyLanguage(services.content, settings?.language, interaction.locale);
  const bundle = services.content.languages.get(language) ?? services.content.languages.get('en');
  const labels = services.content.postLabels.get(language) ?? services.content.postLabels.get('en');
  if (!bundle || !labels) throw new Error('English strings are missing from the content');
  return {
    interaction,
    services,
    guildId,
    language,
    strings: bundle.bot,
    labels,
    settings,
    now: services.clock.now(),
    reply: (reply) => sendReply(interaction, reply, false),
  };
}

function describe(interaction: ChatInputCommandInteraction): string {
  return `/${interaction.commandName} ${interaction.options.getSubcommand(false) ?? ''}`.trim();
}
