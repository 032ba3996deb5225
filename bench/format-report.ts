import { GUILD_SHAPE } from './bench-guilds.js';
import type { MachineInfo } from './machine-info.js';
import { PRODUCTION_RUNTIME } from './production-runtime.js';
import type { FanOutResult } from './scenario-fan-out.js';
import type { InteractionLatencyResult } from './scenario-interactions.js';
import type { StartUpResult } from './scenario-start-up.js';

export interface BenchReport {
  command: string;
  /** Node flags and experiments the bot ran with; empty in a normal run. */
  botFlags: string[];
  quick: boolean;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  startUps: StartUpResult[];
  fanOuts: FanOutResult[];
}

const TARGETS = {
  fanOutRatio: 1.1,
  rateLimitedShare: 0.01,
  interactionP99Ms: 50,
  /** "150 MB", read strictly as 150 × 10^6 bytes. */
  peakRssBytes: 150e6,
};

/** The whole report as markdown: what `npm run bench` prints on stdout. */
export function formatReport(report: BenchReport): string {
  const sections = [
    `## Benchmark results${report.quick ? ' (quick smoke run: sizes are NOT the targets’ sizes)' : ''}`,
    `Run on ${report.startedAt.toISOString()} with \`${report.command}\`; took ${minutes(report.durationMs)}.`,
    '### Targets',
    table(['What', 'Target', 'Measured', 'Met'], targetRows(report)),
    '### Fan-out: one day post (Khojaly, 26 Feb 2027 09:00 Baku) to every server',
    table(
      [
        'Servers',
        'Shards',
        'Wall time',
        'Floor (N/50 s)',
        '× floor',
        'REST requests',
        '429s (global / route)',
        'Lost',
        'Duplicated',
        'Tick summary',
        'Bot event-loop delay p99 / max',
      ],
      report.fanOuts.map((f) => [
        servers(f),
        String(f.shards),
        seconds(f.wallMs),
        seconds(f.floorMs),
        ratio(f),
        count(f.requests),
        `${count(f.rateLimited.rateLimited)} (${f.rateLimited.rateLimitedGlobal} / ${f.rateLimited.rateLimitedRoute})`,
        count(f.lost),
        count(f.duplicated),
        `sent ${f.tick.summary.sent}, retrying ${f.tick.summary.retrying}, failed ${f.tick.summary.failed}, in doubt ${f.tick.summary.inDoubt}, closed ${f.tick.summary.closed}`,
        `${ms(f.statsAtEnd.eventLoopDelayMs.p99)} / ${ms(f.statsAtEnd.eventLoopDelayMs.max)}`,
      ]),
    ),
    '### Interaction latency: `/observance about observance:khojaly`, gateway dispatch → callback request',
    table(
      [
        'Servers connected',
        'Bot state',
        'Pace',
        'Interactions',
        'p50',
        'p99',
        'max',
        'mean',
        'Wrong replies',
        'Bot event-loop delay p99 / max',
      ],
      report.fanOuts.flatMap((f) =>
        f.interactions.map((i) => [
          count(i.servers),
          i.duringFanOut ? `fanning out (${overlap(i, f)} of the run overlapped it)` : 'idle',
          pace(i),
          count(i.latencyMs.count),
          ms(i.latencyMs.p50),
          ms(i.latencyMs.p99),
          ms(i.latencyMs.max),
          ms(i.latencyMs.mean),
          String(i.wrongReplies),
          `${ms(i.eventLoopDelayMs.p99)} / ${ms(i.eventLoopDelayMs.max)}`,
        ]),
      ),
    ),
    '### Memory of the bot process',
    table(
      [
        'Servers',
        'RSS after ready',
        'JS heap used after ready',
        'Peak RSS (VmHWM) at end of fan-out',
        'RSS at end',
        'JS heap used at end',
      ],
      report.fanOuts.map((f) => [
        servers(f),
        mb(f.memoryAfterReady.rssBytes),
        mb(f.statsAfterReady.memory.heapUsed),
        mb(f.memoryAtEnd.peakRssBytes),
        mb(f.memoryAtEnd.rssBytes),
        mb(f.statsAtEnd.memory.heapUsed),
      ]),
    ),
    '### Start-up',
    table(
      [
        'Servers',
        'Shards',
        'Spawn → gateway ready',
        'Spawn → first post (clock at 05:00)',
        'of which Node boot + imports',
        'Spawn → ready (clock at 04:59, fan-out run)',
      ],
      report.startUps.map((s) => {
        const fanOut = report.fanOuts.find((f) => f.servers === s.servers && !withInteractions(f));
        return [
          count(s.servers),
          String(s.shards),
          seconds(s.readyMs),
          seconds(s.firstPostMs),
          seconds(s.child.importedMs),
          fanOut ? seconds(fanOut.readyMs) : '–',
        ];
      }),
    ),
    '### Sanity',
    bulletList(sanityLines(report)),
    '### Machine',
    bulletList([
      `CPU: ${report.machine.cpuModel}, ${report.machine.cores} cores available${report.machine.cpuQuota ? ` (cgroup quota ${report.machine.cpuQuota})` : ''}`,
      `RAM: ${report.machine.memTotal}`,
      `Node ${report.machine.node}, ${report.machine.kernel}`,
      `Bot process: \`${Object.entries(PRODUCTION_RUNTIME.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ' ',
        )} node ${report.botFlags.join(' ')} dist/main.js\`${report.botFlags.join(' ') === PRODUCTION_RUNTIME.nodeFlags.join(' ') ? ', as in production' : ' (an experiment, not production)'}`,
      `Each server in GUILD_CREATE: ${GUILD_SHAPE}`,
      'Fake Discord with rate limits on: 50 requests/s global (fixed 1 s window with 50 ms skew tolerance, or, in the rows marked so, a sliding window: any 1,000 ms holds at most 50), 5 per 5 s per channel for messages; the bot and the fake share this machine',
    ]),
  ];
  return `${sections.join('\n\n')}\n`;
}

function targetRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  for (const f of report.fanOuts) {
    const r = f.wallMs / f.floorMs;
    rows.push([
      `Fan-out to ${servers(f)} servers`,
      `≤ ${TARGETS.fanOutRatio.toFixed(2)}× floor (${seconds(f.floorMs * TARGETS.fanOutRatio)})`,
      `${seconds(f.wallMs)} = ${ratio(f)}`,
      met(r <= TARGETS.fanOutRatio),
    ]);
    rows.push([
      `Lost / duplicated posts, ${servers(f)} servers`,
      '0 / 0',
      `${f.lost} / ${f.duplicated}`,
      met(f.lost === 0 && f.duplicated === 0),
    ]);
    const share = f.requests === 0 ? 0 : f.rateLimited.rateLimited / f.requests;
    rows.push([
      `Requests answered 429, ${servers(f)} servers`,
      `< ${(TARGETS.rateLimitedShare * 100).toFixed(0)}%`,
      `${(share * 100).toFixed(2)}% (${f.rateLimited.rateLimited} of ${count(f.requests)})`,
      met(share < TARGETS.rateLimitedShare),
    ]);
  }
  for (const f of report.fanOuts) {
    for (const i of f.interactions) {
      rows.push([
        `Interaction p99, ${count(i.servers)} servers, ${i.duringFanOut ? 'during the fan-out' : 'idle bot'}, ${pace(i)}`,
        `< ${TARGETS.interactionP99Ms} ms`,
        ms(i.latencyMs.p99),
        met(i.latencyMs.p99 < TARGETS.interactionP99Ms),
      ]);
    }
  }
  const size = Math.max(0, ...report.fanOuts.map((f) => f.servers));
  for (const largest of report.fanOuts.filter((f) => f.servers === size && !withInteractions(f))) {
    rows.push([
      `Peak RSS, ${servers(largest)} servers, end of fan-out`,
      `< ${mb(TARGETS.peakRssBytes)}`,
      mb(largest.memoryAtEnd.peakRssBytes),
      met(largest.memoryAtEnd.peakRssBytes < TARGETS.peakRssBytes),
    ]);
  }
  return rows;
}

function sanityLines(report: BenchReport): string[] {
  return report.fanOuts.map((f) => {
    const rest = f.statsAtEnd.rest;
    const warnings =
      f.warnings.length === 0
        ? 'no warn/error log lines'
        : `${f.warnings.length} warn/error log lines, first: ${f.warnings[0]?.slice(0, 300)}`;
    const bursts = f.bursts
      ? `posts arrived in ${count(f.bursts.bursts)} bursts of typically ${f.bursts.medianSize}, one every ${f.bursts.medianPeriodMs.toFixed(0)} ms (median)`
      : 'posts arrived in a single burst';
    return `${servers(f)} servers: ${bursts}; the bot saw ${count(f.statsAtEnd.guilds)} servers and ${count(f.statsAtEnd.channels)} channels; the REST queue held requests back for its own global limit ${count(rest.selfLimitedGlobal)} times and received ${rest.received429} 429s over the run; ${warnings}`;
  });
}

function withInteractions(f: FanOutResult): boolean {
  return f.interactions.some((i) => i.duringFanOut);
}

function servers(f: FanOutResult): string {
  const window = f.globalWindow === 'sliding' ? ', sliding window' : '';
  return withInteractions(f)
    ? `${count(f.servers)} (+ interactions${window})`
    : `${count(f.servers)}${window ? ` (${window.slice(2)})` : ''}`;
}

function pace(i: InteractionLatencyResult): string {
  const inFlight = i.concurrency === 1 ? 'sequential' : `${i.concurrency} in flight`;
  return i.gapMs > 0 ? `${inFlight}, ${i.gapMs} ms between` : `${inFlight}, back to back`;
}

/** The share of the latency run's duration during which the fan-out was still going on. */
function overlap(i: InteractionLatencyResult, f: FanOutResult): string {
  const shared = Math.min(i.span.end, f.span.end) - Math.max(i.span.start, f.span.start);
  const share = Math.max(0, shared) / (i.span.end - i.span.start);
  return `${(share * 100).toFixed(0)}%`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function bulletList(lines: string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

function ratio(f: FanOutResult): string {
  return `${(f.wallMs / f.floorMs).toFixed(3)}×`;
}

function met(ok: boolean): string {
  return ok ? 'yes' : '**NO**';
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function seconds(valueMs: number): string {
  return Number.isNaN(valueMs) ? 'never' : `${(valueMs / 1000).toFixed(2)} s`;
}

function minutes(valueMs: number): string {
  const total = Math.round(valueMs / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
