// `npm run bench`: fan-out, interaction latency, memory and start-up of the built bot, run as its
// own process against the fake Discord with Discord's rate limits on. Not part of `npm test`: the
// full run takes several minutes (10,000 posts at 50 requests/s alone take over 200 s).
//
// stdout gets only the markdown report; progress goes to stderr. See docs/benchmarks.md.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeBenchGuilds } from './bench-guilds.js';
import { type BenchOptions, parseBenchOptions } from './bench-options.js';
import { createBenchDatabase, startBenchCluster } from './bench-postgres.js';
import { ROOT } from './bot-child-process.js';
import { installCleanupHandlers, runCleanups } from './cleanup.js';
import { formatPostgresReport } from './format-postgres-report.js';
import { formatReport } from './format-report.js';
import { describeMachine } from './machine-info.js';
import { PRODUCTION_RUNTIME } from './production-runtime.js';
import { progress } from './progress.js';
import { type FailoverResult, measureFailover } from './scenario-failover.js';
import { type FanOutResult, measureFanOut } from './scenario-fan-out.js';
import { measureStartUp, type StartUpResult } from './scenario-start-up.js';

/** Interactions run first on each latency run and left out of its figures. */
const WARM_UP_INTERACTIONS = 20;
/**
 * During the fan-out, one member's command every ~20 ms: 1,000 of them span the ~21 s that 1,000
 * posts take, so the whole latency run overlaps the fan-out.
 */
const DURING_FAN_OUT_GAP_MS = 20;

async function main(): Promise<void> {
  installCleanupHandlers();
  const argv = process.argv.slice(2);
  const options = parseBenchOptions(argv, process.env);
  const startedAt = new Date();
  const started = performance.now();
  progress(
    `sizes ${options.sizes.join(', ')}; ${options.interactions} interactions per latency run${options.quick ? ' (quick)' : ''}`,
  );
  build();

  const startUps: StartUpResult[] = [];
  const fanOuts: FanOutResult[] = [];
  // Latency is measured at the smallest size only (the targets name 1,000 servers).
  const smallest = options.interactions > 0 ? options.sizes[0] : undefined;
  const sqlite = options.scenarios.includes('sqlite');
  for (const size of sqlite ? options.sizes : []) {
    const guilds = makeBenchGuilds(size);
    // Start-up time grows with the servers to receive; allow a minute plus 10 ms per server.
    const readyTimeoutMs = 60_000 + size * 10;
    startUps.push(
      await measureStartUp(guilds, {
        readyTimeoutMs,
        execArgv: botFlags(options, `start-up-${size}`),
      }),
    );
    const base = {
      readyTimeoutMs,
      globalWindow: 'fixed' as const,
      heapSnapshotDir: options.heapSnapshotDir && ensureDir(options.heapSnapshotDir),
    };
    fanOuts.push(
      await measureFanOut(guilds, {
        ...base,
        execArgv: botFlags(options, `fan-out-${size}`),
        interactions:
          size === smallest
            ? options.interactionConcurrency.map((concurrency) => ({
                count: options.interactions,
                concurrency,
                gapMs: 0,
                warmUp: WARM_UP_INTERACTIONS,
              }))
            : [],
        interactionsDuringFanOut: null,
      }),
    );
    // The same fan-out against the strictest reading of Discord's global limit.
    fanOuts.push(
      await measureFanOut(guilds, {
        ...base,
        globalWindow: 'sliding',
        heapSnapshotDir: null,
        execArgv: botFlags(options, `fan-out-sliding-${size}`),
        interactions: [],
        interactionsDuringFanOut: null,
      }),
    );
    if (size === smallest) {
      // Separate from the clean fan-out above, so that its figures stay comparable across sizes.
      fanOuts.push(
        await measureFanOut(guilds, {
          ...base,
          heapSnapshotDir: null,
          execArgv: botFlags(options, `fan-out-with-interactions-${size}`),
          interactions: [],
          interactionsDuringFanOut: {
            count: options.interactions,
            concurrency: 1,
            gapMs: DURING_FAN_OUT_GAP_MS,
            warmUp: WARM_UP_INTERACTIONS,
          },
        }),
      );
    }
  }

  const postgres = await runPostgresScenarios(options);

  process.stdout.write(
    formatReport({
      command: [
        ...(process.env.BENCH_QUICK === '1' ? ['BENCH_QUICK=1'] : []),
        'npm run bench',
        ...(argv.length > 0 ? ['--', ...argv] : []),
      ].join(' '),
      botFlags: botFlags({ ...options, cpuProfileDir: null }, ''),
      quick: options.quick,
      machine: describeMachine(),
      startedAt,
      durationMs: performance.now() - started,
      startUps,
      fanOuts,
    }) + formatPostgresReport({ ...postgres, sqliteFanOuts: fanOuts }),
  );
  progress('done');
}

/**
 * The fan-outs again with the bot on Postgres, and the failover runs: two processes, the
 * dispatcher killed (SIGKILL, three runs) or frozen (SIGSTOP) a quarter of the way through.
 */
async function runPostgresScenarios(
  options: BenchOptions,
): Promise<{ postgresFanOuts: FanOutResult[]; failovers: FailoverResult[] }> {
  const postgresFanOuts: FanOutResult[] = [];
  const failovers: FailoverResult[] = [];
  const wanted = options.scenarios.filter((s) => s !== 'sqlite');
  if (wanted.length === 0) return { postgresFanOuts, failovers };
  progress('starting a throwaway Postgres cluster');
  const cluster = await startBenchCluster();
  try {
    for (const size of options.scenarios.includes('postgres') ? options.sizes : []) {
      postgresFanOuts.push(
        await measureFanOut(makeBenchGuilds(size), {
          readyTimeoutMs: 60_000 + size * 10,
          globalWindow: 'fixed',
          heapSnapshotDir: null,
          execArgv: botFlags(options, `fan-out-postgres-${size}`),
          interactions: [],
          interactionsDuringFanOut: null,
          databaseUrl: await createBenchDatabase(cluster.url),
        }),
      );
    }
    if (options.scenarios.includes('failover')) {
      const guilds = makeBenchGuilds(options.quick ? 400 : 1_000);
      for (const signal of ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGSTOP'] as const) {
        failovers.push(
          await measureFailover(
            guilds,
            await createBenchDatabase(cluster.url),
            signal,
            120_000,
            botFlags(options, `failover-${signal}`),
          ),
        );
      }
    }
  } finally {
    cluster.stop();
  }
  return { postgresFanOuts, failovers };
}

/** The benchmark measures dist/, so dist/ must be built from the sources as they are now. */
function build(): void {
  progress('building dist/ (npm run build)');
  // npm's own output goes to stderr too: stdout is reserved for the report.
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    throw new Error(`npm run build failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/** Node flags for the bot process: production's, plus any the run adds for an experiment. */
function botFlags(options: BenchOptions, runName: string): string[] {
  const flags = [...PRODUCTION_RUNTIME.nodeFlags, ...options.nodeFlags];
  if (options.cpuProfileDir) {
    flags.push(
      '--cpu-prof',
      `--cpu-prof-dir=${ensureDir(options.cpuProfileDir)}`,
      `--cpu-prof-name=bot-${runName}.cpuprofile`,
    );
  }
  return flags;
}

function ensureDir(dir: string): string {
  const absolute = resolve(dir);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  runCleanups();
  process.exitCode = 1;
});
