import type { ChannelKind, GuildSettings } from '../domain/guild-settings.js';
import { formatLocalTime, parseLocalTime } from '../domain/local-time.js';

/** A guild_settings row as both stores hold it (times as epoch ms, booleans as 0/1). */
export interface GuildSettingsRow {
  guild_id: string;
  channel_id: string | null;
  channel_kind: string | null;
  post_time: string;
  language: string | null;
  disabled_observances: string;
  eve_reminder: number;
  moment_posts: number;
  role_id: string | null;
  silent: number;
  publish: number;
  events: number;
  thread: number;
  alerts_channel_id: string | null;
  forum_tag_id: string | null;
  active_since: number | null;
  version: number;
  updated_at: number;
}

export const GUILD_SETTINGS_COLUMNS = [
  'guild_id',
  'channel_id',
  'channel_kind',
  'post_time',
  'language',
  'disabled_observances',
  'eve_reminder',
  'moment_posts',
  'role_id',
  'silent',
  'publish',
  'events',
  'thread',
  'alerts_channel_id',
  'forum_tag_id',
  'active_since',
  'version',
  'updated_at',
] as const satisfies ReadonlyArray<keyof GuildSettingsRow>;

export function fromGuildSettingsRow(row: GuildSettingsRow): GuildSettings {
  const settings: GuildSettings = {
    guildId: row.guild_id,
    postTime: parseLocalTime(row.post_time) ?? { hour: 9, minute: 0 },
    disabledObservances: JSON.parse(row.disabled_observances) as string[],
    eveReminder: row.eve_reminder === 1,
    momentPosts: row.moment_posts === 1,
    silent: row.silent === 1,
    publish: row.publish === 1,
    events: row.events === 1,
    thread: row.thread === 1,
    version: row.version,
    updatedAt: new Date(row.updated_at),
  };
  if (row.channel_id !== null) settings.channelId = row.channel_id;
  if (row.channel_kind !== null) settings.channelKind = row.channel_kind as ChannelKind;
  if (row.language !== null) settings.language = row.language;
  if (row.role_id !== null) settings.roleId = row.role_id;
  if (row.alerts_channel_id !== null) settings.alertsChannelId = row.alerts_channel_id;
  if (row.forum_tag_id !== null) settings.forumTagId = row.forum_tag_id;
  if (row.active_since !== null) settings.activeSince = new Date(row.active_since);
  return settings;
}

export function toGuildSettingsRow(settings: GuildSettings): GuildSettingsRow {
  return {
    guild_id: settings.guildId,
    channel_id: settings.channelId ?? null,
    channel_kind: settings.channelKind ?? null,
    post_time: formatLocalTime(settings.postTime),
    language: settings.language ?? null,
    disabled_observances: JSON.stringify(settings.disabledObservances),
    eve_reminder: settings.eveReminder ? 1 : 0,
    moment_posts: settings.momentPosts ? 1 : 0,
    role_id: settings.roleId ?? null,
    silent: settings.silent ? 1 : 0,
    publish: settings.publish ? 1 : 0,
    events: settings.events ? 1 : 0,
    thread: settings.thread ? 1 : 0,
    alerts_channel_id: settings.alertsChannelId ?? null,
    forum_tag_id: settings.forumTagId ?? null,
    active_since: settings.activeSince?.getTime() ?? null,
    version: settings.version,
    updated_at: settings.updatedAt.getTime(),
  };
}
