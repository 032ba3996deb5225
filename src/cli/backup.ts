import { existsSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openDatabase } from '../storage/open-database.js';
import { runCli, UsageError } from './run-cli.js';

const USAGE = 'npm run backup -- <backup-file>   (or: node dist/cli/backup.js <backup-file>)';

/**
 * A consistent copy of the database while the bot keeps running (SQLite's online backup), so
 * that a backup never needs downtime and never catches the file half-written.
 */
runCli(USAGE, () => {
  const [target, ...extra] = process.argv.slice(2);
  if (!target || extra.length > 0) throw new UsageError('name one file to write the backup to');
  if (existsSync(target)) throw new UsageError(`${target} already exists; choose a new file name`);
  // The same DATABASE_PATH the bot uses (environment, then .env); a backup needs no token.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { DATABASE_PATH } = loadConfig({
    ...process.env,
    DISCORD_TOKEN: 'not-needed-for-a-backup',
  });
  if (!existsSync(DATABASE_PATH))
    throw new Error(`there is no database at ${DATABASE_PATH} yet (DATABASE_PATH)`);
  const db = openDatabase(DATABASE_PATH);
  db.backup(target)
    .then(({ totalPages }) => {
      db.close();
      process.stdout.write(`Backed up ${DATABASE_PATH} to ${target} (${totalPages} pages).\n`);
    })
    .catch((error: unknown) => {
      db.close();
      process.stderr.write(`error: the backup failed: ${String(error)}\n`);
      process.exitCode = 1;
    });
});
