import type { DispatcherRole } from '../scheduler/dispatcher-role.js';
import type { AlertRepository } from './alert-repository.js';
import type { DeliveryRepository } from './delivery-repository.js';
import type { GuildEventRepository } from './guild-event-repository.js';
import type { GuildSettingsRepository } from './guild-settings-repository.js';
import type { SchedulerStateRepository } from './scheduler-state-repository.js';

/** What the election tells the process: it became the dispatcher, or stopped being it. */
export type DispatcherChange =
  | { role: 'dispatcher'; epoch?: number }
  | { role: 'standby'; reason: string };

/** Where every setting and delivery lives: one SQLite file, or a Postgres server shared by processes. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly settings: GuildSettingsRepository;
  readonly deliveries: DeliveryRepository;
  readonly state: SchedulerStateRepository;
  /** The bot's Discord scheduled events. */
  readonly events: GuildEventRepository;
  /** The checks before each day, and the alerts they sent. */
  readonly alerts: AlertRepository;
  /** Whether this process is the dispatcher now, and its fence. */
  readonly role: DispatcherRole;
  /**
   * Starts electing the dispatcher; `onChange` hears every change of role. With SQLite the one
   * process is the dispatcher at once.
   */
  startElection(onChange: (change: DispatcherChange) => void): Promise<void>;
  isOpen(): boolean;
  /** Ends the election (releasing the dispatcher's lock) and closes the connections. */
  close(): Promise<void>;
}
