import { GuildSettingsRepository } from '../src/storage/guild-settings-repository.js';
import { openDatabase } from '../src/storage/open-database.js';

/** A server set up to post: its id and the channel its posts go to. */
export interface SeededServer {
  guildId: string;
  channelId: string;
}

/**
 * Writes every server's settings into the bot's database before it starts, through the bot's own
 * repository (so the rows are exactly what /commemoration setup would store): the post channel,
 * with everything else at its defaults (09:00 Baku, every observance on). Shared by the tests and
 * the benchmark, which may not import from tests/.
 */
export function seedSettings(
  databasePath: string,
  servers: readonly SeededServer[],
  at: Date,
): void {
  const db = openDatabase(databasePath);
  try {
    const settings = new GuildSettingsRepository(db);
    // One transaction: 10,000 separate commits would make seeding, not the bot, the slow part.
    db.transaction(() => {
      for (const server of servers)
        settings.update(server.guildId, { channelId: server.channelId }, at);
    })();
  } finally {
    db.close();
  }
}
