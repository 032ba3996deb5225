import type { DispatcherFence } from '../storage/delivery-repository.js';

/**
 * Whether this process sends scheduled posts. Discord's global rate limit belongs to the bot, so
 * exactly one process (the dispatcher) claims and sends at any moment; every process may plan.
 */
export interface DispatcherRole {
  isDispatcher(): boolean;
  /** The fence for claims and outcomes; undefined where there is nothing to fence (SQLite). */
  fence(): DispatcherFence | undefined;
  /** Asks the store, just before a send, whether this process is still the dispatcher. */
  confirm(): Promise<boolean>;
}

/** One process over one SQLite file: always the dispatcher, nothing to fence. */
export const SOLE_DISPATCHER: DispatcherRole = {
  isDispatcher: () => true,
  fence: () => undefined,
  confirm: async () => true,
};
