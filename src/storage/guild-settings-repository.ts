import type { GuildSettings, GuildSettingsPatch } from '../domain/guild-settings.js';

/** Every server's settings, in the store every process shares. */
export interface GuildSettingsRepository {
  find(guildId: string): Promise<GuildSettings | undefined>;
  /** Servers with a post channel: the ones the scheduler serves. */
  listConfigured(): Promise<GuildSettings[]>;
  /**
   * Applies a change (creating the row with defaults if needed) atomically, through
   * `applySettingsPatch`, and returns the result.
   */
  update(guildId: string, patch: GuildSettingsPatch, now: Date): Promise<GuildSettings>;
}
