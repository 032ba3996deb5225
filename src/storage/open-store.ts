import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { openSqliteStore } from './open-sqlite-store.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import type { Store } from './store.js';

export interface StoreSettings {
  /** postgres://…: the shared store of several processes. Wins over `databasePath`. */
  databaseUrl?: string | undefined;
  databasePath: string;
  bootId: string;
  clock: Clock;
  logger: Logger;
}

/** Postgres when DATABASE_URL is set, else the SQLite file at DATABASE_PATH (the default). */
export function openStore(settings: StoreSettings): Promise<Store> {
  if (settings.databaseUrl) {
    return openPostgresStore({
      url: settings.databaseUrl,
      bootId: settings.bootId,
      clock: settings.clock,
      logger: settings.logger,
    });
  }
  return Promise.resolve(openSqliteStore(settings.databasePath));
}
