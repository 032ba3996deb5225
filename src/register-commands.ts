import { REST } from '@discordjs/rest';
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTGetCurrentApplicationResult,
  Routes,
} from 'discord-api-types/v10';
import { ConfigError, loadConfig } from './config.js';
import { ContentError, loadContent } from './content/load-content.js';
import type { SlashCommand } from './discord/command-definition.js';
import { createCommands } from './discord/commands/all-commands.js';
import { buildCommandJson } from './discord/commands/build-command-json.js';

const USER_INSTALL_OFF =
  'User Install is off for this application, so /observance works in servers and in DMs with the bot, but members cannot add the bot to their own account. To allow that, turn on Installation → Installation Contexts → User Install in the Discord Developer Portal, then run npm run register again.';

/**
 * `npm run register`: registers the slash commands from the same list the bot dispatches on,
 * globally, or to DISCORD_GUILD_ID for development (instant, and only in that server).
 */
async function registerCommands(): Promise<string> {
  const config = loadConfig();
  const content = loadContent();
  const rest = new REST({ api: config.DISCORD_API_BASE_URL }).setToken(config.DISCORD_TOKEN);
  const application = (await rest.get(
    Routes.currentApplication(),
  )) as RESTGetCurrentApplicationResult;
  // Discord refuses a command whose integration_types name an install the application does not
  // support, so without User Install the commands are registered for server installs only.
  const userInstall =
    application.integration_types_config?.[ApplicationIntegrationType.UserInstall] !== undefined;
  const commands = createCommands(content).map((command) =>
    buildCommandJson(userInstall ? command : withoutUserInstall(command), content),
  );
  const names = commands.map((command) => `/${command.name}`).join(' and ');
  const note = userInstall ? '' : `\n${USER_INSTALL_OFF}`;
  if (config.DISCORD_GUILD_ID) {
    await rest.put(Routes.applicationGuildCommands(application.id, config.DISCORD_GUILD_ID), {
      body: commands,
    });
    return `Registered ${names} in server ${config.DISCORD_GUILD_ID}.${note}`;
  }
  await rest.put(Routes.applicationCommands(application.id), { body: commands });
  return `Registered ${names} globally. Discord may take a few minutes to show them everywhere.${note}`;
}

/** The command as a server install offers it: group DMs are reached only by a member's install. */
function withoutUserInstall(command: SlashCommand): SlashCommand {
  return {
    ...command,
    integrationTypes: command.integrationTypes.filter(
      (type) => type !== ApplicationIntegrationType.UserInstall,
    ),
    contexts: command.contexts.filter(
      (context) => context !== InteractionContextType.PrivateChannel,
    ),
  };
}

registerCommands().then(
  (message) => {
    process.stdout.write(`${message}\n`);
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof ContentError;
    const reason = error instanceof Error ? error.message : String(error);
    const token = process.env.DISCORD_TOKEN;
    const message = known
      ? reason
      : `Could not register the commands: ${reason}. Check DISCORD_TOKEN and the network.`;
    console.error(token && token.length >= 8 ? message.replaceAll(token, '[redacted]') : message);
    process.exitCode = 1;
  },
);
