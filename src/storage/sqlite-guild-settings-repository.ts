import { applySettingsPatch } from '../domain/apply-settings-patch.js';
import {
  defaultSettings,
  type GuildSettings,
  type GuildSettingsPatch,
} from '../domain/guild-settings.js';
import type { GuildSettingsRepository } from './guild-settings-repository.js';
import {
  fromGuildSettingsRow,
  type GuildSettingsRow,
  toGuildSettingsRow,
} from './guild-settings-rows.js';
import type { Db } from './open-database.js';

export class SqliteGuildSettingsRepository implements GuildSettingsRepository {
  private readonly selectOne;
  private readonly selectConfigured;
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[string], GuildSettingsRow>(
      'SELECT * FROM guild_settings WHERE guild_id = ?',
    );
    this.selectConfigured = db.prepare<[], GuildSettingsRow>(
      'SELECT * FROM guild_settings WHERE channel_id IS NOT NULL ORDER BY guild_id',
    );
    this.upsert = db.prepare<GuildSettingsRow>(`
      INSERT INTO guild_settings (guild_id, channel_id, channel_kind, post_time, language, disabled_observances,
        eve_reminder, moment_posts, role_id, silent, publish, events, thread, alerts_channel_id,
        forum_tag_id, active_since, version, updated_at)
      VALUES (@guild_id, @channel_id, @channel_kind, @post_time, @language, @disabled_observances,
        @eve_reminder, @moment_posts, @role_id, @silent, @publish, @events, @thread,
        @alerts_channel_id, @forum_tag_id, @active_since, @version, @updated_at)
      ON CONFLICT (guild_id) DO UPDATE SET
        channel_id = excluded.channel_id, channel_kind = excluded.channel_kind, post_time = excluded.post_time,
        language = excluded.language, disabled_observances = excluded.disabled_observances,
        eve_reminder = excluded.eve_reminder, moment_posts = excluded.moment_posts,
        role_id = excluded.role_id, silent = excluded.silent, publish = excluded.publish,
        events = excluded.events, thread = excluded.thread,
        alerts_channel_id = excluded.alerts_channel_id, forum_tag_id = excluded.forum_tag_id,
        active_since = excluded.active_since,
        version = excluded.version, updated_at = excluded.updated_at`);
  }

  async find(guildId: string): Promise<GuildSettings | undefined> {
    return this.findNow(guildId);
  }

  async listConfigured(): Promise<GuildSettings[]> {
    return this.selectConfigured.all().map(fromGuildSettingsRow);
  }

  async update(guildId: string, patch: GuildSettingsPatch, now: Date): Promise<GuildSettings> {
    return this.updateNow(guildId, patch, now);
  }

  /** The synchronous update, for writing many servers in one SQLite transaction (seeding, tests). */
  updateNow(guildId: string, patch: GuildSettingsPatch, now: Date): GuildSettings {
    return this.db.transaction(() => {
      const current = this.findNow(guildId) ?? defaultSettings(guildId, now);
      const next = applySettingsPatch(current, patch, now);
      this.upsert.run(toGuildSettingsRow(next));
      return next;
    })();
  }

  private findNow(guildId: string): GuildSettings | undefined {
    const row = this.selectOne.get(guildId);
    return row && fromGuildSettingsRow(row);
  }
}
