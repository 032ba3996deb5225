import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A fresh database in the test run's cluster (see postgres-global-setup.ts). Fails, with the
 * way to install Postgres, where the binaries are missing: the Postgres tests are part of the
 * suite, and a silent skip would pass a run that never tested the shared store.
 */
export async function createTestDatabase(prefix = 'test'): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const postgres = inject('postgres');
  if ('error' in postgres) throw new Error(postgres.error);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = postgres.url.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
