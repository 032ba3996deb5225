import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { ConfigError, loadConfig } from './config.js';
import { ContentError, loadContent } from './content/load-content.js';
import { createCommands } from './discord/commands/all-commands.js';
import { buildCommandJson } from './discord/commands/build-command-json.js';

/**
 * `npm run register`: registers the slash commands from the same list the bot dispatches on,
 * globally, or to DISCORD_GUILD_ID for development (instant, and only in that server).
 */
async function registerCommands(): Promise<string> {
  const config = loadConfig();
  const content = loadContent();
  const commands = createCommands(content).map((command) => buildCommandJson(command, content));
  const rest = new REST({ api: config.DISCORD_API_BASE_URL }).setToken(config.DISCORD_TOKEN);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const names = commands.map((command) => `/${command.name}`).join(' and ');
  if (config.DISCORD_GUILD_ID) {
    await rest.put(Routes.applicationGuildCommands(application.id, config.DISCORD_GUILD_ID), {
      body: commands,
    });
    return `Registered ${names} in server ${config.DISCORD_GUILD_ID}.`;
  }
  await rest.put(Routes.applicationCommands(application.id), { body: commands });
  return `Registered ${names} globally. Discord may take a few minutes to show them everywhere.`;
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
