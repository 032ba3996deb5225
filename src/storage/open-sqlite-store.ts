import { SOLE_DISPATCHER } from '../scheduler/dispatcher-role.js';
import { type Db, openDatabase } from './open-database.js';
import { SqliteAlertRepository } from './sqlite-alert-repository.js';
import { SqliteDeliveryRepository } from './sqlite-delivery-repository.js';
import { SqliteGuildEventRepository } from './sqlite-guild-event-repository.js';
import { SqliteGuildSettingsRepository } from './sqlite-guild-settings-repository.js';
import { SqliteSchedulerStateRepository } from './sqlite-scheduler-state-repository.js';
import type { Store } from './store.js';

/** The default: one file, one process, nothing to install. */
export function openSqliteStore(path: string): Store {
  return createSqliteStore(openDatabase(path));
}

/** The store over a database already open (tests use ":memory:"). */
export function createSqliteStore(db: Db): Store {
  return {
    kind: 'sqlite',
    settings: new SqliteGuildSettingsRepository(db),
    deliveries: new SqliteDeliveryRepository(db),
    state: new SqliteSchedulerStateRepository(db),
    events: new SqliteGuildEventRepository(db),
    alerts: new SqliteAlertRepository(db),
    role: SOLE_DISPATCHER,
    async startElection(onChange) {
      onChange({ role: 'dispatcher' });
    },
    isOpen: () => db.open,
    async close() {
      db.close();
    },
  };
}
