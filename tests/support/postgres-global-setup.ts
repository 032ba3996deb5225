import type { TestProject } from 'vitest/node';
import { type Cluster, startCluster } from '../../harness/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's Postgres cluster, or why there is none (the Postgres tests then fail with it). */
    postgres: { url: string } | { error: string };
  }
}

/** One throwaway Postgres cluster for the whole test run; each test file makes its own database. */
export default async function startPostgres(project: TestProject) {
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster();
    project.provide('postgres', { url: cluster.url });
  } catch (error) {
    project.provide('postgres', { error: (error as Error).message });
  }
  return () => cluster?.stop();
}
