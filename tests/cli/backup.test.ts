import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/open-database.js';
import { SqliteGuildSettingsRepository } from '../../src/storage/sqlite-guild-settings-repository.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('copies the live database to a new file that restores every setting', async () => {
  dir = mkdtempSync(join(tmpdir(), 'backup-'));
  const live = join(dir, 'bot.db');
  const db = openDatabase(live);
  new SqliteGuildSettingsRepository(db).updateNow(
    '123456789012345678',
    { channelId: '223456789012345678' },
    new Date(),
  );
  // The bot keeps the database open while the backup runs.
  const { stdout } = await run('npm', ['run', 'backup', '--', join(dir, 'copy.db')], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: live },
  });
  db.close();
  expect(stdout).toMatch(/^Backed up .*bot\.db to .*copy\.db \(\d+ pages\)\.\n$/);
  const restored = new SqliteGuildSettingsRepository(openDatabase(join(dir, 'copy.db')));
  expect((await restored.find('123456789012345678'))?.channelId).toBe('223456789012345678');
});

it('refuses to overwrite a file, in one line', async () => {
  dir = mkdtempSync(join(tmpdir(), 'backup-'));
  const live = join(dir, 'bot.db');
  openDatabase(live).close();
  const failed = await run('npm', ['run', 'backup', '--', live], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: live },
  }).catch((error: { code: number; stderr: string }) => error);
  expect((failed as { code: number }).code).toBe(1);
  expect((failed as { stderr: string }).stderr).toMatch(
    /^error: .*already exists; choose a new file name/,
  );
});
