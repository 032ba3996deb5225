import type pg from 'pg';
import { applySettingsPatch } from '../../domain/apply-settings-patch.js';
import {
  defaultSettings,
  type GuildSettings,
  type GuildSettingsPatch,
} from '../../domain/guild-settings.js';
import type { GuildSettingsRepository } from '../guild-settings-repository.js';
import {
  fromGuildSettingsRow,
  GUILD_SETTINGS_COLUMNS,
  type GuildSettingsRow,
  toGuildSettingsRow,
} from '../guild-settings-rows.js';
import { inTransaction } from './in-transaction.js';

const COLUMNS = GUILD_SETTINGS_COLUMNS.join(', ');
const PLACEHOLDERS = GUILD_SETTINGS_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
const UPDATES = GUILD_SETTINGS_COLUMNS.slice(1)
  .map((column) => `${column} = excluded.${column}`)
  .join(', ');

export class PostgresGuildSettingsRepository implements GuildSettingsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async find(guildId: string): Promise<GuildSettings | undefined> {
    const { rows } = await this.pool.query<GuildSettingsRow>(
      'SELECT * FROM guild_settings WHERE guild_id = $1',
      [guildId],
    );
    return rows[0] && fromGuildSettingsRow(rows[0]);
  }

  async listConfigured(): Promise<GuildSettings[]> {
    const { rows } = await this.pool.query<GuildSettingsRow>(
      'SELECT * FROM guild_settings WHERE channel_id IS NOT NULL ORDER BY guild_id',
    );
    return rows.map(fromGuildSettingsRow);
  }

  /** Two processes changing one server at once: the row lock makes one wait for the other. */
  async update(guildId: string, patch: GuildSettingsPatch, now: Date): Promise<GuildSettings> {
    return inTransaction(this.pool, async (client) => {
      // The row may not exist yet: create it first, so that there is a row to lock.
      await client.query(
        `INSERT INTO guild_settings (guild_id, version, updated_at) VALUES ($1, 0, $2)
          ON CONFLICT DO NOTHING`,
        [guildId, now.getTime()],
      );
      const { rows } = await client.query<GuildSettingsRow>(
        'SELECT * FROM guild_settings WHERE guild_id = $1 FOR UPDATE',
        [guildId],
      );
      const found = rows[0] && fromGuildSettingsRow(rows[0]);
      const current = found && found.version > 0 ? found : defaultSettings(guildId, now);
      const next = applySettingsPatch(current, patch, now);
      const row = toGuildSettingsRow(next);
      await client.query(
        `INSERT INTO guild_settings (${COLUMNS}) VALUES (${PLACEHOLDERS})
          ON CONFLICT (guild_id) DO UPDATE SET ${UPDATES}`,
        GUILD_SETTINGS_COLUMNS.map((column) => row[column]),
      );
      return next;
    });
  }
}
