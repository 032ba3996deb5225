import {
  defaultSettings,
  type GuildSettings,
  type GuildSettingsPatch,
} from '../domain/guild-settings.js';
import { formatLocalTime, parseLocalTime } from '../domain/local-time.js';
import type { Db } from './open-database.js';

interface Row {
  guild_id: string;
  channel_id: string | null;
  post_time: string;
  language: string | null;
  disabled_observances: string;
  eve_reminder: number;
  moment_posts: number;
  role_id: string | null;
  silent: number;
  active_since: number | null;
  version: number;
  updated_at: number;
}

export class GuildSettingsRepository {
  private readonly selectOne;
  private readonly selectConfigured;
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[string], Row>('SELECT * FROM guild_settings WHERE guild_id = ?');
    this.selectConfigured = db.prepare<[], Row>(
      'SELECT * FROM guild_settings WHERE channel_id IS NOT NULL ORDER BY guild_id',
    );
    this.upsert = db.prepare<Row>(`
      INSERT INTO guild_settings (guild_id, channel_id, post_time, language, disabled_observances,
        eve_reminder, moment_posts, role_id, silent, active_since, version, updated_at)
      VALUES (@guild_id, @channel_id, @post_time, @language, @disabled_observances,
        @eve_reminder, @moment_posts, @role_id, @silent, @active_since, @version, @updated_at)
      ON CONFLICT (guild_id) DO UPDATE SET
        channel_id = excluded.channel_id, post_time = excluded.post_time,
        language = excluded.language, disabled_observances = excluded.disabled_observances,
        eve_reminder = excluded.eve_reminder, moment_posts = excluded.moment_posts,
        role_id = excluded.role_id, silent = excluded.silent, active_since = excluded.active_since,
        version = excluded.version, updated_at = excluded.updated_at`);
  }

  find(guildId: string): GuildSettings | undefined {
    const row = this.selectOne.get(guildId);
    return row && fromRow(row);
  }

  /** Servers with a post channel: the ones the scheduler serves. */
  listConfigured(): GuildSettings[] {
    return this.selectConfigured.all().map(fromRow);
  }

  /** Applies a change (creating the row with defaults if needed) and returns the result. */
  update(guildId: string, patch: GuildSettingsPatch, now: Date): GuildSettings {
    return this.db.transaction(() => {
      const current = this.find(guildId) ?? defaultSettings(guildId, now);
      const next: GuildSettings = { ...current, version: current.version + 1, updatedAt: now };
      if (patch.postTime) next.postTime = patch.postTime;
      if (patch.disabledObservances)
        next.disabledObservances = [...new Set(patch.disabledObservances)].sort();
      if (patch.eveReminder !== undefined) next.eveReminder = patch.eveReminder;
      if (patch.momentPosts !== undefined) next.momentPosts = patch.momentPosts;
      if (patch.silent !== undefined) next.silent = patch.silent;
      applyOptional(next, 'language', patch.language);
      applyOptional(next, 'roleId', patch.roleId);
      applyOptional(next, 'channelId', patch.channelId);
      // Posting starts when a channel is first set (or set again after a stop); changing from one
      // channel to another does not, so a delivery that failed in the old channel is still owed.
      if (patch.channelId && !current.channelId) next.activeSince = now;
      if (!next.channelId) delete next.activeSince;
      this.upsert.run(toRow(next));
      return next;
    })();
  }
}

function applyOptional(
  settings: GuildSettings,
  key: 'channelId' | 'language' | 'roleId',
  value: string | null | undefined,
): void {
  if (value === undefined) return;
  if (value === null) delete settings[key];
  else settings[key] = value;
}

function fromRow(row: Row): GuildSettings {
  const settings: GuildSettings = {
    guildId: row.guild_id,
    postTime: parseLocalTime(row.post_time) ?? { hour: 9, minute: 0 },
    disabledObservances: JSON.parse(row.disabled_observances) as string[],
    eveReminder: row.eve_reminder === 1,
    momentPosts: row.moment_posts === 1,
    silent: row.silent === 1,
    version: row.version,
    updatedAt: new Date(row.updated_at),
  };
  if (row.channel_id !== null) settings.channelId = row.channel_id;
  if (row.language !== null) settings.language = row.language;
  if (row.role_id !== null) settings.roleId = row.role_id;
  if (row.active_since !== null) settings.activeSince = new Date(row.active_since);
  return settings;
}

function toRow(settings: GuildSettings): Row {
  return {
    guild_id: settings.guildId,
    channel_id: settings.channelId ?? null,
    post_time: formatLocalTime(settings.postTime),
    language: settings.language ?? null,
    disabled_observances: JSON.stringify(settings.disabledObservances),
    eve_reminder: settings.eveReminder ? 1 : 0,
    moment_posts: settings.momentPosts ? 1 : 0,
    role_id: settings.roleId ?? null,
    silent: settings.silent ? 1 : 0,
    active_since: settings.activeSince?.getTime() ?? null,
    version: settings.version,
    updated_at: settings.updatedAt.getTime(),
  };
}
