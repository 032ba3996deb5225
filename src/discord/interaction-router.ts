import { randomBytes } from 'node:crypto';
import { ApplicationIntegrationType, InteractionContextType } from 'discord-api-types/v10';
import type { BotStrings } from '../content/content-schema.js';
import { fillTemplate } from '../domain/fill-template.js';
import type { BotServices } from './bot-services.js';
import { type CommandContext, InteractionResponder } from './command-context.js';
import type { SlashCommand } from './command-definition.js';
import { parseOptions } from './parse-options.js';
import type { SlashInteraction } from './read-interaction.js';
import { resolveReplyLanguage } from './resolve-language.js';

/**
 * Dispatches slash commands. Every interaction gets an answer: bad input a clear private one, an
 * unexpected error a short private one with an id that finds the details in the log, and a
 * handler that returned without answering a generic one (and the log records it as a bug).
 *
 * Who may run a command is Discord's to enforce: `default_member_permissions` and the server's
 * own overrides under Integrations (see SlashCommand.defaultMemberPermissions). Where is the
 * router's too: a command registered for servers that added the bot gets a polite refusal
 * anywhere else, since an old registration may still offer it there.
 */
export function createInteractionRouter(commands: readonly SlashCommand[], services: BotServices) {
  const byName = new Map(commands.map((command) => [command.name, command]));

  return async function handleInteraction(interaction: SlashInteraction): Promise<void> {
    const responder = new InteractionResponder(services.rest, interaction);
    const startedAt = performance.now();
    // Known before anything can fail, so that even the error reply is in the member's language.
    let strings = findStrings(
      services,
      resolveReplyLanguage(services.content, undefined, interaction.locale),
    );
    let answered = false;
    try {
      const ctx = await createContext(interaction, services, responder);
      strings = ctx.strings;
      const command = byName.get(interaction.commandName);
      const subcommand = command?.subcommands.find((sub) => sub.name === interaction.subcommand);
      if (!command || !subcommand)
        return await ctx.reply({ content: ctx.strings.errors.unknownCommand });
      if (!isAvailable(command, interaction))
        return await ctx.reply({ content: ctx.strings.errors.guildOnly });
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
      const visibleToAll = (subcommand.visibleToAll ?? false) && interaction.mayReplyPublicly;
      const defer =
        typeof subcommand.defer === 'function' ? subcommand.defer(parsed.args) : subcommand.defer;
      if (defer) await responder.defer(visibleToAll);
      await subcommand.run(
        {
          ...ctx,
          reply: async (reply) => {
            answered = true;
            await responder.send(reply, visibleToAll);
          },
        },
        parsed.args,
      );
      if (!answered) {
        services.logger.error(
          { command: describe(interaction), guildId: interaction.guildId },
          'bug: the command handler returned without answering; sent the generic answer',
        );
        await responder.send({ content: ctx.strings.errors.unanswered }, false);
      }
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
      const message = fillTemplate(strings.errors.unexpected, { errorId });
      await responder.send({ content: message }, false).catch((replyError: unknown) => {
        services.logger.warn(
          { err: replyError, errorId },
          'could not tell the member about the error',
        );
      });
    }
  };
}

function findStrings(services: BotServices, language: string): BotStrings {
  const bundle = services.content.languages.get(language) ?? services.content.languages.get('en');
  // loadContent refuses content without English, so this holds for any content the bot runs on.
  if (!bundle) throw new Error('English strings are missing from the content');
  return bundle.bot;
}

/**
 * Whether the command may run where it was used: in one of its contexts, and through an install
 * it has. Only a member's own install reaches a server without the bot, and a group DM.
 */
function isAvailable(command: SlashCommand, interaction: SlashInteraction): boolean {
  if (!command.contexts.includes(interaction.context)) return false;
  const reachedByOwnInstall =
    interaction.context === InteractionContextType.PrivateChannel ||
    (interaction.context === InteractionContextType.Guild && !interaction.serverInstalled);
  return (
    !reachedByOwnInstall ||
    command.integrationTypes.includes(ApplicationIntegrationType.UserInstall)
  );
}

async function createContext(
  interaction: SlashInteraction,
  services: BotServices,
  responder: InteractionResponder,
): Promise<CommandContext> {
  // Only a server that added the bot has settings: a DM has none, and a server that did not add
  // it is not the bot's to read (the member came through their own install).
  const guildId = interaction.serverInstalled ? (interaction.guildId ?? '') : '';
  const settings = guildId ? await services.settings.find(guildId) : undefined;
  const language = resolveReplyLanguage(services.content, settings?.language, interaction.locale);
  const labels = services.content.postLabels.get(language) ?? services.content.postLabels.get('en');
  if (!labels) throw new Error('English labels are missing from the content');
  return {
    interaction,
    services,
    guildId,
    language,
    strings: findStrings(services, language),
    labels,
    settings,
    now: services.clock.now(),
    reply: (reply) => responder.send(reply, false),
  };
}

function describe(interaction: SlashInteraction): string {
  return `/${interaction.commandName} ${interaction.subcommand ?? ''}`.trim();
}
