import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit` needs no build and starts no bot process: `npm run test:unit` gives an
 * answer in seconds. `e2e` runs the bot against the fake Discord, in the test process and as its
 * own process from dist/, which it builds once before any test starts; it also holds the
 * command-line tools and the fake Discord's own tests. `npm test` runs both. Each project starts
 * one throwaway Postgres cluster for its tests of the shared store (a few seconds).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Most end-to-end files wait on rate limits, timers and bot processes rather than the CPU, so
    // four at once fit 2 cores: the whole suite in under two minutes instead of four.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/domain/**/*.test.ts',
            'tests/content/**/*.test.ts',
            'tests/storage/**/*.test.ts',
            'tests/scheduler/**/*.test.ts',
            'tests/discord/**/*.test.ts',
            'tests/*.test.ts',
          ],
          // The storage contract runs against a real Postgres too: one throwaway cluster.
          globalSetup: ['tests/support/postgres-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [
            'tests/e2e/**/*.test.ts',
            'tests/reliability/**/*.test.ts',
            'tests/cli/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
          ],
          globalSetup: ['tests/support/build-once.ts', 'tests/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
