import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { applyMigrations, openDatabase } from '../../src/storage/open-database.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('creates the file and its folder, in WAL mode, with every migration recorded', () => {
  dir = mkdtempSync(join(tmpdir(), 'db-'));
  const path = join(dir, 'nested', 'var', 'bot.db');
  const db = openDatabase(path);
  expect(existsSync(path)).toBe(true);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(
    MIGRATIONS.map((m) => m.version),
  );
  db.close();
});

it('applies each migration once, across restarts', () => {
  dir = mkdtempSync(join(tmpdir(), 'db-'));
  const path = join(dir, 'bot.db');
  openDatabase(path).close();
  const db = openDatabase(path);
  expect(applyMigrations(db, MIGRATIONS)).toEqual([]);
  const next = [
    ...MIGRATIONS,
    { version: 99, name: 'test', sql: 'CREATE TABLE extra (id INTEGER)' },
  ];
  expect(applyMigrations(db, next)).toEqual([99]);
  db.close();
});

it('refuses a database written by a newer version, saying what to do', () => {
  const db = openDatabase(':memory:');
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
    999,
    'future',
    0,
  );
  expect(() => applyMigrations(db, MIGRATIONS)).toThrow(
    /newer version of the bot.*Upgrade the bot, or restore a backup/,
  );
});
