import pino from 'pino';
import { openDatabase } from '../src/storage/open-database.js';
import { openPostgresStore } from '../src/storage/postgres/open-postgres-store.js';
import { SqliteGuildSettingsRepository } from '../src/storage/sqlite-guild-settings-repository.js';
import type { BenchGuild } from './bench-guilds.js';

/**
 * Writes every server's settings into the bot's database before it starts, through the bot's own
 * repository (so the rows are exactly what /commemoration setup would store): the post channel,
 * with everything else at its defaults (09:00 Baku, every observance on).
 */
export function seedSettings(databasePath: string, guilds: readonly BenchGuild[], at: Date): void {
  const db = openDatabase(databasePath);
  try {
    const settings = new SqliteGuildSettingsRepository(db);
    // One transaction: 10,000 separate commits would make seeding, not the bot, the slow part.
    db.transaction(() => {
      for (const guild of guilds)
        settings.updateNow(guild.id, { channelId: guild.postChannelId }, at);
    })();
  } finally {
    db.close();
  }
}

/** The same, into a Postgres database, through the Postgres repository. */
export async function seedPostgresSettings(
  url: string,
  guilds: readonly BenchGuild[],
  at: Date,
): Promise<void> {
  const store = await openPostgresStore({
    url,
    bootId: 'bench-seed',
    clock: { now: () => at },
    logger: pino({ level: 'silent' }),
  });
  try {
    // Ten at a time: the pool's size.
    for (let start = 0; start < guilds.length; start += 10) {
      await Promise.all(
        guilds
          .slice(start, start + 10)
          .map((guild) => store.settings.update(guild.id, { channelId: guild.postChannelId }, at)),
      );
    }
  } finally {
    await store.close();
  }
}
