import { Locale } from 'discord-api-types/v10';
import { z } from 'zod';
import { ALERT_TEXT_KEYS } from '../domain/alert-words.js';
import { parseLocalTime } from '../domain/local-time.js';

/** Ids and locale codes are used in file names, commands and database keys: keep them plain. */
const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters, digits and hyphens');
const localeCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en, az or pt-BR');
const text = z.string().trim().min(1, 'must not be empty');
const sourceIds = z.array(id).min(1, 'must name at least one source');

const sourcedText = z.strictObject({ text, sources: sourceIds });

/** Text shown to members: one string for every language, or one per language. */
const localizedText = z.union([text, z.record(localeCode, text)]);

const localTime = z.string().refine((value) => parseLocalTime(value) !== undefined, {
  message: 'must be a 24-hour time in the form HH:MM',
});

export const sourceKindSchema = z.enum([
  'official',
  'human-rights-report',
  'press',
  'scholarly',
  'reference',
  'opinion',
]);

export const sourcesFileSchema = z.strictObject({
  sources: z
    .array(
      z
        .strictObject({
          id,
          title: localizedText,
          author: localizedText.optional(),
          publisher: localizedText.optional(),
          date: z
            .string()
            .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD')
            .optional(),
          kind: sourceKindSchema,
          url: z.url({ protocol: /^https?$/ }).optional(),
          // Where no copy could be linked (read only in the project's copy), say why instead.
          noUrl: text.optional(),
          seed: text.optional(),
          about: z.record(localeCode, text),
          notes: text,
        })
        .refine((source) => (source.url === undefined) !== (source.noUrl === undefined), {
          message: 'needs either a url (the copy that was read) or noUrl (why there is none)',
        }),
    )
    .min(1),
});

const observanceTextSchema = z.strictObject({
  name: text.max(100),
  officialName: text.max(150).optional(),
  anniversary: text.refine((value) => value.includes('{ordinal}'), {
    message: 'must contain {ordinal}, where the anniversary number goes',
  }),
  // The posts aim at 400–700 characters (tests hold the content to that); this is the hard stop.
  summary: z.strictObject({ text: text.max(1000), sources: sourceIds }),
  facts: z
    .array(sourcedText)
    .min(3, 'needs at least 3 key facts')
    .max(6, 'allows at most 6 key facts'),
  sourceNote: text.max(300).optional(),
  closing: text.max(200),
});

export const observanceFileSchema = z
  .strictObject({
    id,
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    timeZone: z.literal('Asia/Baku', {
      message: 'must be Asia/Baku: the days are kept in Baku time',
    }),
    eventYear: z.number().int().min(1800).max(2100),
    moments: z
      .array(
        z.strictObject({
          id,
          time: localTime,
          sources: sourceIds,
          text: z.record(
            localeCode,
            z.strictObject({ title: text.max(100), text: text.max(1000) }),
          ),
        }),
      )
      .default([]),
    locales: z.record(localeCode, observanceTextSchema),
  })
  .superRefine((value, ctx) => {
    // 29 February does not occur every year, and a date like 31 April never does.
    const date = new Date(Date.UTC(2023, value.month - 1, value.day));
    if (date.getUTCMonth() !== value.month - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['day'],
        message: `${value.month}/${value.day} is not a date that occurs every year`,
      });
    }
  });

const template = text;

const ordinalSchema = z.discriminatedUnion('style', [
  z.strictObject({ style: z.literal('english') }),
  z.strictObject({ style: z.literal('azerbaijani') }),
  z.strictObject({ style: z.literal('suffix'), suffix: z.string() }),
]);

export const postLabelsSchema = z.strictObject({
  months: z.array(text).length(12, 'must list the 12 month names, January first'),
  date: template,
  /** 'ordinal' writes the year in dates as an ordinal (Azerbaijani "2027-ci il"). */
  yearStyle: z.enum(['plain', 'ordinal']).default('plain'),
  ordinal: ordinalSchema,
  bakuTime: template,
  eveTitle: template,
  eveIntro: template,
  dayIntro: template,
  referenceIntro: template,
  momentTitle: template,
  momentLine: template,
  officialName: template,
  keyFacts: text,
  sources: text,
  sourcesContinued: text,
  sourceKinds: z.strictObject({
    official: text,
    'human-rights-report': text,
    press: text,
    scholarly: text,
    reference: text,
    opinion: text,
  }),
  late: template,
  footer: template,
  testTitle: text,
  testText: text,
  /** The titles of forum posts; Discord allows 100 characters, the renderer shortens longer ones. */
  forum: z.strictObject({ dayTitle: template, eveTitle: template, momentTitle: template }),
});

/** Groups of reply strings; every language has every key (zod reports the missing ones). */
function strings<const K extends string>(keys: readonly K[]) {
  return z.strictObject(
    Object.fromEntries(keys.map((key) => [key, template])) as Record<K, typeof template>,
  );
}

export const botStringsSchema = z.strictObject({
  errors: strings([
    'unexpected',
    'unanswered',
    'malformed',
    'missingOption',
    'invalidOption',
    'unknownCommand',
    'unknownObservance',
    'guildOnly',
    'invalidTime',
    'invalidLanguage',
    'wrongChannelType',
    'everyoneRole',
    'noMoment',
    'notConfigured',
    'missingPermissions',
    'discordUnavailable',
  ]),
  permissions: strings([
    'viewChannel',
    'sendMessages',
    'embedLinks',
    'readMessageHistory',
    'createEvents',
    'createPublicThreads',
    'sendMessagesInThreads',
    'manageThreads',
  ]),
  list: strings(['title', 'line', 'today']),
  next: strings(['line', 'today', 'moment']),
  sources: strings(['title', 'line']),
  setup: strings(['done', 'role', 'noRole', 'next', 'nothingNext', 'roleNotMentionable']),
  settings: strings([
    'title',
    'channel',
    'time',
    'language',
    'observances',
    'eve',
    'moments',
    'role',
    'silent',
    'publish',
    'events',
    'thread',
    'alerts',
    'alertsDefault',
    'on',
    'off',
    'none',
    'notSet',
    'hint',
  ]),
  enable: strings(['on', 'off']),
  options: strings(['done', 'nothingGiven']),
  stop: strings(['done']),
  events: strings([
    'intro',
    'moment',
    'sources',
    'location',
    'on',
    'off',
    'missing',
    'unchecked',
    'noChannel',
    'status',
    'statusOff',
    'statusNone',
    'statusLive',
    'statusNext',
    'statusRemoved',
    'missingPermissions',
    'limit',
    'rejected',
    'transient',
  ]),
  preview: strings(['note', 'noChannel']),
  kinds: strings(['eve', 'day', 'moment']),
  // Publishing in announcement channels and the thread from each day post: options, status.
  publishing: strings([
    'threadName',
    'publishOn',
    'publishNotAnnouncement',
    'publishMissing',
    'threadOn',
    'threadMissing',
    'threadForum',
    'notSetUp',
    'unchecked',
    'published',
    'publishPending',
    'publishWaiting',
    'publishRetrying',
    'publishFailed',
    'thread',
    'threadPending',
    'threadRetrying',
    'threadFailed',
    'reasonPublishPermissions',
    'reasonThreadPermissions',
    'reasonNotAnnouncement',
    'reasonWrongChannel',
    'reasonMessageDeleted',
    'reasonUnknownChannel',
    'reasonRejected',
    'reasonExpired',
  ]),
  status: strings([
    'title',
    'channel',
    'notConfigured',
    'upcoming',
    'upcomingLine',
    'noUpcoming',
    'recent',
    'noRecent',
    'problems',
    'noProblems',
    'line',
    'sent',
    'sentLate',
    'pending',
    'retrying',
    'missed',
    'failed',
    'unconfirmed',
    'checking',
    'deleted',
  ]),
  reasons: strings([
    'offline',
    'missingPermissions',
    'unknownChannel',
    'rejected',
    'transient',
    'interrupted',
    'settingsChanged',
    'historyUnreadable',
    'messageDeleted',
  ]),
  test: strings(['sent', 'failed']),
  forum: strings([
    'done',
    'tagged',
    'tagRequired',
    'tagRequiredNoTags',
    'unknownTag',
    'noTags',
    'notAForum',
    'moderatedTag',
    'tagRejected',
  ]),
  alerts: strings(ALERT_TEXT_KEYS),
});

export type BotStrings = z.infer<typeof botStringsSchema>;

/** Command, subcommand and option names: what Discord accepts as a name. */
const commandName = z.string().regex(/^[-_\p{Ll}\p{N}]{1,32}$/u, 'must be a Discord command name');
/** Discord's limit for every command, option and choice text. */
const commandText = text.max(100, 'must be at most 100 characters: Discord refuses longer ones');

/**
 * The words of the slash commands, keyed by the names in the command list
 * (src/discord/commands/all-commands.ts). Which keys must be present is checked against that
 * list when the commands are built, so adding a subcommand needs no change here.
 */
export const commandTextsSchema = z.strictObject({
  commands: z.record(
    commandName,
    z.strictObject({ description: commandText, subcommands: z.record(commandName, commandText) }),
  ),
  options: z.record(commandName, commandText),
  choices: z.record(commandName, z.record(z.string().min(1), commandText)).default({}),
});

export type CommandTexts = z.infer<typeof commandTextsSchema>;

export const localeFileSchema = z.strictObject({
  code: localeCode,
  name: text,
  // Discord's own locale codes: the bot's commands are described to these clients in this language.
  discordLocales: z
    .array(z.enum(Locale, { message: "must be one of Discord's locales, such as en-US or tr" }))
    .default([]),
  post: postLabelsSchema,
  bot: botStringsSchema,
  slash: commandTextsSchema,
});

export type SourcesFile = z.infer<typeof sourcesFileSchema>;
export type ObservanceFile = z.infer<typeof observanceFileSchema>;
export type LocaleFile = z.infer<typeof localeFileSchema>;
