import pino from 'pino';
import { openPostgresStore } from '../../src/storage/postgres/open-postgres-store.js';
import type { Server } from './many-servers.js';

/** Configures every server as `/commemoration setup` would, in a Postgres database. */
export async function seedPostgresSettings(
  url: string,
  servers: readonly Server[],
  at: Date,
): Promise<void> {
  const store = await openPostgresStore({
    url,
    bootId: 'seed',
    clock: { now: () => at },
    logger: pino({ level: 'silent' }),
  });
  try {
    for (let i = 0; i < servers.length; i += 10) {
      await Promise.all(
        servers
          .slice(i, i + 10)
          .map((s) => store.settings.update(s.guildId, { channelId: s.channelId }, at)),
      );
    }
  } finally {
    await store.close();
  }
}
