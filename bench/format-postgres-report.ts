import type { FailoverResult } from './scenario-failover.js';
import type { FanOutResult } from './scenario-fan-out.js';

export interface PostgresReport {
  sqliteFanOuts: readonly FanOutResult[];
  postgresFanOuts: readonly FanOutResult[];
  failovers: readonly FailoverResult[];
}

/** The Postgres fan-outs beside the SQLite ones of the same size, and the failover runs. */
export function formatPostgresReport(report: PostgresReport): string {
  const sections: string[] = [];
  if (report.postgresFanOuts.length > 0) {
    const rows = report.postgresFanOuts.flatMap((pg) => {
      const sqlite = report.sqliteFanOuts.find(
        (f) => f.servers === pg.servers && f.globalWindow === 'fixed' && f.store === 'sqlite',
      );
      return [sqlite, pg].filter((f): f is FanOutResult => f !== undefined).map(row);
    });
    sections.push(
      '### Fan-out on Postgres beside SQLite (one process; fixed-window global limit)',
      table(
        ['Servers', 'Store', 'Wall time', '× floor', '429s', 'Lost', 'Duplicated', 'Peak RSS'],
        rows,
      ),
    );
  }
  if (report.failovers.length > 0) {
    sections.push(
      '### Failover: two processes on Postgres, the dispatcher stopped a quarter into the fan-out',
      table(
        [
          'Servers',
          'Signal',
          'Posts before',
          'Signal → successor leads',
          'Signal → next post',
          'Lost',
          'Duplicated',
        ],
        report.failovers.map((f) => [
          f.servers.toLocaleString('en-US'),
          f.signal,
          String(f.postsBeforeDeath),
          `${(f.takeoverMs / 1000).toFixed(2)} s`,
          `${(f.failoverMs / 1000).toFixed(2)} s`,
          String(f.lost),
          String(f.duplicated),
        ]),
      ),
    );
  }
  return sections.length > 0 ? `\n${sections.join('\n\n')}\n` : '';
}

function row(f: FanOutResult): string[] {
  return [
    f.servers.toLocaleString('en-US'),
    f.store === 'postgres' ? 'Postgres' : 'SQLite',
    `${(f.wallMs / 1000).toFixed(1)} s`,
    `${(f.wallMs / f.floorMs).toFixed(3)}×`,
    String(f.rateLimited.rateLimited),
    String(f.lost),
    String(f.duplicated),
    `${(f.memoryAtEnd.peakRssBytes / 1e6).toFixed(1)} MB`,
  ];
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
