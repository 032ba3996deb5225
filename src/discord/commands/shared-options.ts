import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import type { LoadedContent } from '../../content/load-content.js';
import type { OptionDefinition, StringOptionDefinition } from '../command-definition.js';

// Options more than one subcommand uses. Their descriptions are `slash.options.<name>` in
// data/locales/.

export function observanceOption(content: LoadedContent) {
  return {
    type: ApplicationCommandOptionType.String,
    name: 'observance',
    required: true,
    choices: content.observances.map((o) => ({
      value: o.id,
      names: Object.fromEntries(Object.entries(o.text).map(([code, text]) => [code, text.name])),
    })),
  } as const satisfies StringOptionDefinition;
}

export function languageOption(content: LoadedContent) {
  return {
    type: ApplicationCommandOptionType.String,
    name: 'language',
    // Each language is offered under its own name, whatever the reader's language.
    choices: [...content.languages.values()].map((l) => ({ value: l.code, names: { en: l.name } })),
  } as const satisfies StringOptionDefinition;
}

export const timeOption = {
  type: ApplicationCommandOptionType.String,
  name: 'time',
  max_length: 5,
} as const satisfies OptionDefinition;

export const channelOption = {
  type: ApplicationCommandOptionType.Channel,
  name: 'channel',
  required: true,
  // In a forum, each post becomes a new forum post.
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
} as const satisfies OptionDefinition;

/** Where alerts about what the bot is missing go (`/commemoration options alerts:`). */
export const alertsChannelOption = {
  type: ApplicationCommandOptionType.Channel,
  name: 'alerts',
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
} as const satisfies OptionDefinition;

export const roleOption = {
  type: ApplicationCommandOptionType.Role,
  name: 'role',
} as const satisfies OptionDefinition;

export function booleanOption<const N extends string>(name: N) {
  return { type: ApplicationCommandOptionType.Boolean, name } as const satisfies OptionDefinition;
}
