import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Cluster, startCluster } from '../harness/postgres-cluster.js';
import { onCleanup } from './cleanup.js';

/** The tests' throwaway cluster (initdb in a temporary folder, a free port), stopped on exit. */
export async function startBenchCluster(): Promise<Cluster> {
  const cluster = await startCluster();
  const forget = onCleanup(() => cluster.stop());
  return {
    url: cluster.url,
    stop() {
      forget();
      cluster.stop();
    },
  };
}

/** A fresh database for one run, so that no run sees another's rows. */
export async function createBenchDatabase(clusterUrl: string): Promise<string> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return clusterUrl.replace(/\/postgres$/, `/${name}`);
}
