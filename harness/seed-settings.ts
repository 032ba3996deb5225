import pino from 'pino';
import { openDatabase } from '../src/storage/open-database.js';
import { openPostgresStore } from '../src/storage/postgres/open-postgres-store.js';
import { SqliteGuildSettingsRepository } from '../src/storage/sqlite-guild-settings-repository.js';

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
    const settings = new SqliteGuildSettingsRepository(db);
    // One transaction: 10,000 separate commits would make seeding, not the bot, the slow part.
    db.transaction(() => {
      for (const server of servers)
        settings.updateNow(server.guildId, { channelId: server.channelId }, at);
    })();
  } finally {
    db.close();
  }
}

/** The same, into a Postgres database, through the Postgres repository. */
export async function seedPostgresSettings(
  url: string,
  servers: readonly SeededServer[],
  at: Date,
): Promise<void> {
  const store = await openPostgresStore({
    url,
    bootId: 'seed',
    clock: { now: () => at },
    logger: pino({ level: 'silent' }),
  });
  try {
    // Ten at a time: the pool's size.
    for (let start = 0; start < servers.length; start += 10) {
      await Promise.all(
        servers
          .slice(start, start + 10)
          .map((s) => store.settings.update(s.guildId, { channelId: s.channelId }, at)),
      );
    }
  } finally {
    await store.close();
  }
}
