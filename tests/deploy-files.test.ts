import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../src/config.js';

// No Docker engine runs where the tests run, so these check what can be checked without one:
// that the files say what they must, and refer to files that exist. The production build itself
// is started with plain node in tests/e2e/bot-process.test.ts.
const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

describe('.env.example', () => {
  it('lists every variable the bot reads, with a comment', () => {
    const example = read('.env.example');
    for (const key of CONFIG_KEYS) expect(example).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds in one stage and runs in another, as a non-root user, with the database on a volume', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/DATABASE_PATH=\/data\/bot\.db/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node", .*"dist\/main\.js"\]$/m);
  });

  it('copies only files that exist', () => {
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of (sources ?? '').split(' '))
        expect(existsSync(`${root}/${source}`), source).toBe(true);
    }
  });
});

describe('the Node runtime settings (deploy/node-runtime.json)', () => {
  const runtime = JSON.parse(read('deploy/node-runtime.json')) as {
    nodeFlags: string[];
    env: Record<string, string>;
  };
  const flags = runtime.nodeFlags.join(' ');
  const env = Object.entries(runtime.env);

  it('are the same in npm start, the Dockerfile and the systemd unit', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts
      .start;
    expect(start).toBe(`${env.map(([k, v]) => `${k}=${v}`).join(' ')} node ${flags} dist/main.js`);
    expect(read('Dockerfile')).toContain(
      `CMD ["node", ${runtime.nodeFlags.map((f) => `"${f}"`).join(', ')}, "dist/main.js"]`,
    );
    expect(read('deploy/remembrance-bot.service')).toContain(
      `ExecStart=/usr/bin/node ${flags} dist/main.js`,
    );
    for (const [key, value] of env) {
      expect(read('Dockerfile')).toContain(`${key}=${value}`);
      expect(read('deploy/remembrance-bot.service')).toContain(`Environment=${key}=${value}`);
    }
  });
});

describe('docker-compose.yml and the systemd unit', () => {
  it('keep the database on a volume and restart the bot', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toMatch(/env_file: \.env/);
    expect(compose).toMatch(/- bot-data:\/data/);
    expect(compose).toMatch(/restart: unless-stopped/);
  });

  it('run the built bot with node directly, so SIGTERM reaches it', () => {
    const unit = read('deploy/remembrance-bot.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node .*dist\/main\.js$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it('start the entry point that the build produces', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: 'src' });
    expect(existsSync(`${root}/src/main.ts`)).toBe(true);
  });
});
