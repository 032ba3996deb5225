import { expect, it } from 'vitest';
import { listSecrets, loadConfig } from '../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-token-for-tests_only';

it('with none of DATABASE_URL, SHARD_COUNT and SHARD_IDS set, nothing about them is configured', () => {
  const config = loadConfig({ DISCORD_TOKEN: TOKEN });
  expect(config.DATABASE_URL).toBeUndefined();
  expect(config.SHARD_COUNT).toBeUndefined();
  expect(config.SHARD_IDS).toBeUndefined();
});

it('reads the Postgres URL and the shards of this process', () => {
  const config = loadConfig({
    DISCORD_TOKEN: TOKEN,
    DATABASE_URL: 'postgres://bot:s3cret@db.example:5432/remembrance',
    SHARD_COUNT: '4',
    SHARD_IDS: '3, 1,1',
  });
  expect(config).toMatchObject({
    DATABASE_URL: 'postgres://bot:s3cret@db.example:5432/remembrance',
    SHARD_COUNT: 4,
    SHARD_IDS: [1, 3],
  });
  expect(listSecrets(config)).toEqual([TOKEN, 's3cret', 's3cret']);
});

it.each([
  [
    { DATABASE_URL: 'mysql://db/bot' },
    /^DATABASE_URL must be a postgres:\/\/ URL\. Set DATABASE_URL/,
  ],
  [{ SHARD_COUNT: '0' }, /^SHARD_COUNT must be at least 1\. Set SHARD_COUNT/],
  [{ SHARD_IDS: '0,1' }, /^SHARD_IDS needs SHARD_COUNT\. Set SHARD_IDS/],
  [
    { SHARD_COUNT: '2', SHARD_IDS: '0,2' },
    /^SHARD_IDS has shard 2, but shards are numbered 0 to 1/,
  ],
  [
    { SHARD_COUNT: '2', SHARD_IDS: 'first' },
    /^SHARD_IDS must be shard numbers separated by commas/,
  ],
])('refuses %o in one line that says what to do', (env, message) => {
  expect(() => loadConfig({ DISCORD_TOKEN: TOKEN, ...env })).toThrow(message);
});
