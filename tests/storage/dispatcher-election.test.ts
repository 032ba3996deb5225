import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ElectionTimings } from '../../src/storage/postgres/dispatcher-election.js';
import type { DispatcherChange, Store } from '../../src/storage/store.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

/** Short timings, so that a test waits tenths of a second, not the production seconds. */
const FAST: ElectionTimings = {
  retryMs: 50,
  heartbeatMs: 50,
  heartbeatTimeoutMs: 2_000,
  idleSessionTimeoutMs: 10_000,
};

const postgres = STORES.find((s) => s.name === 'Postgres');
let opened: OpenedStore;
beforeEach(async () => {
  opened = await (postgres?.open() ?? Promise.reject(new Error('no Postgres store')));
});
afterEach(() => opened.close());

async function elect(bootId: string): Promise<{ store: Store; changes: DispatcherChange[] }> {
  const store = await opened.openAnother(bootId, FAST);
  const changes: DispatcherChange[] = [];
  await store.startElection((change) => changes.push(change));
  return { store, changes };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('elects exactly one dispatcher, with a new epoch at every takeover', async () => {
  const a = await elect('a');
  const b = await elect('b');
  expect(a.store.role.isDispatcher()).toBe(true);
  expect(b.store.role.isDispatcher()).toBe(false);
  expect(a.store.role.fence()).toEqual({ epoch: 1 });
  expect(await a.store.role.confirm()).toBe(true);
  expect(await b.store.role.confirm()).toBe(false);

  // A clean shutdown releases the lock; the standby takes it and raises the epoch.
  await a.store.close();
  await until(() => b.store.role.isDispatcher(), 'the standby to lead');
  expect(b.store.role.fence()).toEqual({ epoch: 2 });
  expect(a.changes.map((c) => c.role)).toEqual(['dispatcher', 'standby']);
  expect(b.changes).toEqual([{ role: 'dispatcher', epoch: 2 }]);
});

it('when the dispatcher loses its connection to Postgres, it steps down and the other takes over', async () => {
  const a = await elect('a');
  const b = await elect('b');
  // The lock's own connection, as a network failure or a restarted Postgres would end it.
  await opened.exec(
    `SELECT pg_terminate_backend(pid) FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND pid != pg_backend_pid()
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  await until(() => !a.store.role.isDispatcher(), 'the old dispatcher to step down');
  await until(() => b.store.role.isDispatcher(), 'the standby to lead');
  expect(a.changes.at(-1)).toMatchObject({ role: 'standby' });
  expect(b.store.role.fence()).toEqual({ epoch: 2 });
  // Whatever the old dispatcher still tries to record under its epoch is refused.
  expect(await a.store.role.confirm()).toBe(false);
});
