import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkEmbedLimits, type MessagePayload } from '../../src/domain/message-payload.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const scripts = (
  JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> }
).scripts;

/**
 * Runs a tool as `npm run <script>` does (the README's commands): the file its package.json
 * script names, under tsx, with the same arguments. Without npm itself, whose start-up would
 * cost more than the tool on a busy machine.
 */
async function npmRun(script: string, ...args: string[]) {
  const file = /^tsx (src\/cli\/[\w-]+\.ts)$/.exec(scripts[script] ?? '')?.[1];
  if (!file) throw new Error(`package.json's "${script}" script is not "tsx src/cli/<tool>.ts"`);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run preview', () => {
  it('prints exactly the Discord payload as one JSON object with --json', async () => {
    const { code, stdout } = await npmRun(
      'preview',
      'khojaly',
      '--locale',
      'az',
      '--year',
      '2027',
      '--json',
    );
    expect(code).toBe(0);
    const payload = JSON.parse(stdout) as MessagePayload;
    expect(Object.keys(payload).sort()).toEqual(['allowed_mentions', 'embeds']);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds[0]?.description).toContain('35-ci ildönümü');
    expect(checkEmbedLimits(payload)).toEqual([]);
  });

  it('prints the post as a person would read it by default', async () => {
    const { code, stdout } = await npmRun(
      'preview',
      'january-20',
      '--kind',
      'eve',
      '--year',
      '2027',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Tomorrow: National Mourning Day');
    expect(stdout).toContain('12:00 Baku time: One minute of silence');
    expect(stdout).toContain('Sources');
    expect(stdout).toContain('Mentions: nobody.');
    expect(stdout).not.toContain('**');
  });

  it.each([
    [
      ['nope'],
      /^error: Unknown observance "nope"\. Known observances: january-20, khojaly, march-31\.\n$/,
    ],
    [['khojaly', '--kind', 'dusk'], /^error: --kind must be one of eve, day, moment, not "dusk"/],
    [['khojaly', '--locale', 'fr'], /^error: --locale must be one of en, az, ru, tr, not "fr"/],
    [['khojaly', '--year', '92'], /^error: --year must be a four-digit year/],
    [['khojaly', '--colour'], /^error: Unknown option '--colour'/],
    [['khojaly', '--kind', 'moment'], /^error: The observance "khojaly" has no moments/],
  ])('rejects %j with one line on stderr and a non-zero exit', async (args, message) => {
    const { code, stdout, stderr } = await npmRun('preview', ...args);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('npm run calendar', () => {
  it('lists the next 12 months of posts as JSON, in Baku time and UTC', async () => {
    const { code, stdout } = await npmRun(
      'calendar',
      '--from',
      '2026-11-21',
      '--eve',
      '--time',
      '18:30',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        observance: 'january-20',
        kind: 'eve',
        local: '2027-01-19T18:30:00+04:00',
        utc: '2027-01-19T14:30:00Z',
      },
      {
        observance: 'january-20',
        kind: 'moment',
        local: '2027-01-20T12:00:00+04:00',
        utc: '2027-01-20T08:00:00Z',
      },
      {
        observance: 'january-20',
        kind: 'day',
        local: '2027-01-20T18:30:00+04:00',
        utc: '2027-01-20T14:30:00Z',
      },
      {
        observance: 'khojaly',
        kind: 'eve',
        local: '2027-02-25T18:30:00+04:00',
        utc: '2027-02-25T14:30:00Z',
      },
      {
        observance: 'khojaly',
        kind: 'day',
        local: '2027-02-26T18:30:00+04:00',
        utc: '2027-02-26T14:30:00Z',
      },
      {
        observance: 'march-31',
        kind: 'eve',
        local: '2027-03-30T18:30:00+04:00',
        utc: '2027-03-30T14:30:00Z',
      },
      {
        observance: 'march-31',
        kind: 'day',
        local: '2027-03-31T18:30:00+04:00',
        utc: '2027-03-31T14:30:00Z',
      },
    ]);
  });

  it('honours --months and --no-moments', async () => {
    const { stdout } = await npmRun(
      'calendar',
      '--from',
      '2027-01-01',
      '--months',
      '1',
      '--no-moments',
      '--json',
    );
    expect(JSON.parse(stdout)).toEqual([
      {
        observance: 'january-20',
        kind: 'day',
        local: '2027-01-20T09:00:00+04:00',
        utc: '2027-01-20T05:00:00Z',
      },
    ]);
  });

  it('prints a readable table by default', async () => {
    const { stdout } = await npmRun('calendar', '--from', '2027-02-01', '--months', '2');
    expect(stdout).toContain(
      '2027-02-26 Fri 09:00  (05:00 UTC)  day     Day of the Khojaly Genocide',
    );
  });

  it.each([
    [
      ['--from', '2027-02-30'],
      /^error: --from must be a real date as YYYY-MM-DD, not "2027-02-30"/,
    ],
    [['--from', 'tomorrow'], /^error: --from must be a real date/],
    [['--time', '25:00'], /^error: --time must be a 24-hour time as HH:MM, not "25:00"/],
    [['--months', '0'], /^error: --months must be a whole number/],
    [['--weeks', '2'], /^error: Unknown option '--weeks'/],
  ])('rejects %j with one line on stderr and a non-zero exit', async (args, message) => {
    const { code, stderr } = await npmRun('calendar', ...args);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
