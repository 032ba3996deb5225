import type { LocalTime } from '../domain/local-time.js';

/** A server's stored choices. Absent optional fields mean "not set". */
export interface GuildSettings {
  guildId: string;
  /** No channel means the bot does not post in this server. */
  channelId?: string;
  postTime: LocalTime;
  /** Unset: posts in English, replies in each member's Discord language where supported. */
  language?: string;
  /** Stored as the disabled set, so an observance added later is on by default. */
  disabledObservances: readonly string[];
  eveReminder: boolean;
  momentPosts: boolean;
  roleId?: string;
  silent: boolean;
  /** When posting was (last) switched on: posts due before it are not owed. */
  activeSince?: Date;
  /** Increases with every change, so a failed delivery knows whether the admin acted. */
  version: number;
  updatedAt: Date;
}

export type GuildSettingsPatch = {
  [K in 'channelId' | 'language' | 'roleId']?: string | null;
} & Partial<
  Pick<GuildSettings, 'postTime' | 'disabledObservances' | 'eveReminder' | 'momentPosts' | 'silent'>
>;
