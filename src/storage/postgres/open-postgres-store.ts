import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { DispatcherChange, Store } from '../store.js';
import { type ElectionTimings, PostgresDispatcherElection } from './dispatcher-election.js';
import { applyPostgresMigrations, createPool } from './open-postgres.js';
import { PostgresAlertRepository } from './postgres-alert-repository.js';
import { PostgresDeliveryRepository } from './postgres-delivery-repository.js';
import { PostgresGuildEventRepository } from './postgres-guild-event-repository.js';
import { PostgresGuildSettingsRepository } from './postgres-guild-settings-repository.js';
import { PostgresSchedulerStateRepository } from './postgres-scheduler-state-repository.js';

export interface PostgresStoreOptions {
  url: string;
  bootId: string;
  clock: Clock;
  logger: Logger;
  timings?: ElectionTimings;
}

/** Connects, brings the schema up to date, and returns the shared store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = createPool(options.url);
  try {
    await applyPostgresMigrations(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  let open = true;
  let onChange: (change: DispatcherChange) => void = () => {};
  const election = new PostgresDispatcherElection(
    options.url,
    pool,
    options.bootId,
    options.clock,
    options.logger,
    (change) => onChange(change),
    options.timings,
  );
  return {
    kind: 'postgres',
    settings: new PostgresGuildSettingsRepository(pool),
    deliveries: new PostgresDeliveryRepository(pool),
    state: new PostgresSchedulerStateRepository(pool),
    events: new PostgresGuildEventRepository(pool),
    alerts: new PostgresAlertRepository(pool),
    role: election,
    async startElection(listener) {
      onChange = listener;
      await election.start();
    },
    isOpen: () => open,
    async close() {
      open = false;
      await election.stop();
      await pool.end();
    },
  };
}
