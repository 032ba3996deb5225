import { ChannelType } from 'discord.js';
import type { LoadedContent } from '../../content/load-content.js';
import type { BooleanOption, ChannelOption, RoleOption, StringOption } from '../command-options.js';

export function observanceOption(content: LoadedContent) {
  return {
    type: 'string',
    name: 'observance',
    description: { en: 'Which day of remembrance', ru: 'Какой день памяти', tr: 'Hangi anma günü' },
    required: true,
    invalid: 'unknownObservance',
    choices: content.observances.map((o) => ({ name: o.text.en?.name ?? o.id, value: o.id })),
  } as const satisfies StringOption;
}

export function languageOption(content: LoadedContent) {
  return {
    type: 'string',
    name: 'language',
    description: {
      en: 'The language of posts and replies in this server',
      ru: 'Язык публикаций и ответов на этом сервере',
      tr: 'Bu sunucudaki paylaşımların ve yanıtların dili',
    },
    invalid: 'invalidLanguage',
    choices: [...content.languages.values()].map((l) => ({ name: l.name, value: l.code })),
  } as const satisfies StringOption;
}

export const timeOption = {
  type: 'string',
  name: 'time',
  description: {
    en: 'Post time, 24-hour HH:MM in Baku time (default 09:00)',
    ru: 'Время публикации по Баку, ЧЧ:ММ (по умолчанию 09:00)',
    tr: 'Bakü saatiyle paylaşım saati, SS:DD (varsayılan 09:00)',
  },
  invalid: 'invalidTime',
  maxLength: 5,
} as const satisfies StringOption;

export const channelOption = {
  type: 'channel',
  name: 'channel',
  description: {
    en: 'The text or announcement channel for posts',
    ru: 'Текстовый канал или канал объявлений для публикаций',
    tr: 'Paylaşımlar için metin veya duyuru kanalı',
  },
  required: true,
  invalid: 'wrongChannelType',
  channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
} as const satisfies ChannelOption;

export const roleOption = {
  type: 'role',
  name: 'role',
  description: {
    en: 'A role to mention in posts (only this role is ever pinged)',
    ru: 'Роль, упоминаемая в публикациях (уведомляется только она)',
    tr: 'Paylaşımlarda anılacak rol (yalnızca bu rol bildirim alır)',
  },
} as const satisfies RoleOption;

export function booleanOption(name: string, description: BooleanOption['description']) {
  return { type: 'boolean', name, description } as const satisfies BooleanOption;
}
