import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// No Docker engine runs where the tests run: this checks what the file says. The processes it
// describes (two bots, one Postgres) run in tests/reliability/two-processes-on-postgres.test.ts.
const root = fileURLToPath(new URL('..', import.meta.url));
const compose = readFileSync(`${root}/docker-compose.postgres.yml`, 'utf8');

it('runs Postgres and two bot services, each connecting its own shard of the same count', () => {
  expect(compose).toMatch(/^ {2}postgres:\n {4}image: postgres:/m);
  expect(compose).toMatch(/- postgres-data:\/var\/lib\/postgresql\/data/);
  const bots = [...compose.matchAll(/^ {2}(bot-\d):\n((?: {4}.*\n|\n)*)/gm)];
  expect(bots.map((b) => b[1])).toEqual(['bot-1', 'bot-2']);
  const shards = bots.map((b) => /SHARD_IDS: "(\d+)"/.exec(b[2] ?? '')?.[1]);
  expect(shards).toEqual(['0', '1']);
  for (const [, , body] of bots) {
    expect(body).toMatch(/<<: \*bot/);
    expect(body).toMatch(/SHARD_COUNT: "2"/);
    expect(body).toMatch(/DATABASE_URL: postgres:\/\/bot:\$\{POSTGRES_PASSWORD\}@postgres:5432\//);
  }
  expect(compose).toMatch(/condition: service_healthy/);
});
