import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  /** Server counts for the fan-out, memory and start-up runs. */
  sizes: number[];
  /** Interactions per latency run, measured with the bot at the smallest size. */
  interactions: number;
  /** Concurrencies of the latency runs. */
  interactionConcurrency: number[];
  cpuProfileDir: string | null;
  heapSnapshotDir: string | null;
  /** Extra Node flags for the bot process, for experiments (e.g. V8 heap sizes). */
  nodeFlags: string[];
  /** What to run: the SQLite runs, the same fan-outs on Postgres, the failover runs. */
  scenarios: Array<'sqlite' | 'postgres' | 'failover'>;
}

const SCENARIOS = ['sqlite', 'postgres', 'failover'] as const;

export const USAGE = `npm run bench [-- options]
  --quick              smoke check: 100 and 1,200 servers, 200 interactions (also BENCH_QUICK=1)
  --sizes=1000,10000   server counts to benchmark (default 1000,10000)
  --interactions=1000  interactions per latency run (default 1000; 0 skips the latency runs)
  --cpu-prof=DIR       run the bot with --cpu-prof, profiles written to DIR
  --heap-snapshot=DIR  write a heap snapshot of the bot at the end of each fan-out to DIR
  --node-flags="..."   extra Node flags for the bot process (experiments only)
  --scenarios=sqlite,postgres,failover
                       what to run (default all three); postgres and failover start a throwaway
                       Postgres cluster, which needs Debian's postgresql package`;

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      interactions: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'heap-snapshot': { type: 'string' },
      'node-flags': { type: 'string' },
      scenarios: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick || env.BENCH_QUICK === '1';
  const sizes = values.sizes
    ? values.sizes.split(',').map((size) => positiveInteger(size, '--sizes'))
    : quick
      ? [100, 1_200]
      : [1_000, 10_000];
  return {
    quick,
    sizes: [...sizes].sort((a, b) => a - b),
    interactions: values.interactions
      ? wholeNumber(values.interactions, '--interactions')
      : quick
        ? 200
        : 1_000,
    interactionConcurrency: [1, 8],
    cpuProfileDir: values['cpu-prof'] ?? null,
    heapSnapshotDir: values['heap-snapshot'] ?? null,
    nodeFlags: (values['node-flags'] ?? '').split(' ').filter((flag) => flag !== ''),
    scenarios: parseScenarios(values.scenarios),
  };
}

function parseScenarios(text: string | undefined): BenchOptions['scenarios'] {
  if (!text) return [...SCENARIOS];
  const chosen = text.split(',').map((s) => s.trim());
  for (const scenario of chosen) {
    if (!(SCENARIOS as readonly string[]).includes(scenario))
      throw new Error(`--scenarios: unknown "${scenario}"\n${USAGE}`);
  }
  return chosen as BenchOptions['scenarios'];
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${flag}: "${text}" is not a whole number\n${USAGE}`);
  }
  return value;
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${flag}: "${text}" is not a positive whole number\n${USAGE}`);
  }
  return value;
}
