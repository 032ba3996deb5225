import type { LocalTime } from './local-time.js';
import type { Observance } from './observance.js';
import type { PostSettings } from './post-schedule.js';

/** The channels the bot posts in: forum posts become new forum threads. */
export type ChannelKind = 'text' | 'announcement' | 'forum';

/** A server's stored choices. Absent optional fields mean "not set". */
export interface GuildSettings {
  guildId: string;
  /** No channel means the bot does not post in this server. */
  channelId?: string;
  /**
   * What kind of channel `channelId` is, as Discord last told the bot. Unset for servers set up
   * before the bot recorded it: ask Discord once and record it.
   */
  channelKind?: ChannelKind;
  postTime: LocalTime;
  /** Unset: posts in English, replies in each member's Discord language where supported. */
  language?: string;
  /** Stored as the disabled set, so an observance added later is on by default. */
  disabledObservances: readonly string[];
  eveReminder: boolean;
  momentPosts: boolean;
  roleId?: string;
  silent: boolean;
  /** In an announcement channel, publish each post to the servers that follow the channel. */
  publish: boolean;
  /** Keep a Discord scheduled event for each upcoming observance that is on. */
  events: boolean;
  /** In a text channel, start a thread from each day post for members' words. */
  thread: boolean;
  /** Where alerts about missing permissions go; unset: the community updates channel. */
  alertsChannelId?: string;
  /** In a forum: the tag each post carries (chosen by name at setup); unset: no tag. */
  forumTagId?: string;
  /** When posting was (last) switched on: posts due before it are not owed. */
  activeSince?: Date;
  /** Increases with every change, so a failed delivery knows whether the admin acted. */
  version: number;
  updatedAt: Date;
}

export type GuildSettingsPatch = {
  [K in 'channelId' | 'language' | 'roleId' | 'alertsChannelId' | 'forumTagId']?: string | null;
} & { channelKind?: ChannelKind | null } & Partial<
    Pick<
      GuildSettings,
      | 'postTime'
      | 'disabledObservances'
      | 'eveReminder'
      | 'momentPosts'
      | 'silent'
      | 'publish'
      | 'events'
      | 'thread'
    >
  >;

export function defaultSettings(guildId: string, now: Date): GuildSettings {
  return {
    guildId,
    postTime: { hour: 9, minute: 0 },
    disabledObservances: [],
    eveReminder: false,
    momentPosts: true,
    silent: false,
    publish: true,
    events: false,
    thread: false,
    version: 0,
    updatedAt: now,
  };
}

/** The schedule-deciding part of a server's settings. */
export function toPostSettings(
  guild: GuildSettings,
  observances: readonly Observance[],
): PostSettings {
  return {
    postTime: guild.postTime,
    eveReminder: guild.eveReminder,
    momentPosts: guild.momentPosts,
    enabledObservances: new Set(
      observances.map((o) => o.id).filter((id) => !guild.disabledObservances.includes(id)),
    ),
  };
}

/**
 * The language of this server's posts: the one the admin chose, if the content has it, else
 * English. Replies to members may use their own Discord language; posts never do.
 */
export function choosePostLanguage(
  guild: Pick<GuildSettings, 'language'> | undefined,
  locales: readonly string[],
): string {
  const chosen = guild?.language;
  return chosen && locales.includes(chosen) ? chosen : 'en';
}
