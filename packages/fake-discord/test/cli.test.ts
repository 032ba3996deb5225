import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `packages/fake-discord/src/cli/${script}`, ...args],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  if (!child.stdout) throw new Error('no stdout');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  return line;
}

interface Started {
  api: string;
  token: string;
  applicationId: string;
  guilds: { id: string; channels: { id: string; type: number; name: string }[] }[];
}

describe('npm run fake-discord', () => {
  it('prints one JSON line with what a bot needs, serves the API, and exits 0 on SIGTERM', async () => {
    const child = run('start-fake-discord.ts', ['--guilds', '2', '--token', 'try-me']);
    const started = JSON.parse(await firstLine(child)) as Started;
    expect(started.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(started.token).toBe('try-me');
    expect(started.guilds).toHaveLength(2);
    expect(started.guilds[0]?.channels[0]).toMatchObject({ type: 0, name: 'general' });

    const me = await fetch(`${started.api}/v10/users/@me`, {
      headers: { Authorization: 'Bot try-me' },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(started.applicationId);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a bad flag with one line on stderr and exit code 1', async () => {
    const child = run('start-fake-discord.ts', ['--guilds', 'many']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--guilds must be a whole number');
  });

  it('the inject command reports that no bot is connected, in one line', async () => {
    const fake = run('start-fake-discord.ts', []);
    const started = JSON.parse(await firstLine(fake)) as Started;
    const inject = run('inject-interaction.ts', ['/observance', 'list'], {
      DISCORD_API_BASE_URL: started.api,
    });
    let stderr = '';
    inject.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(inject, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('no live gateway session');
  });

  it('the inject command types in the bot’s DM with --dm, where the command was registered for it', async () => {
    const fake = run('start-fake-discord.ts', []);
    const started = JSON.parse(await firstLine(fake)) as Started;
    const register = (contexts: number[]) =>
      fetch(`${started.api}/v10/applications/${started.applicationId}/commands`, {
        method: 'PUT',
        headers: { Authorization: `Bot ${started.token}`, 'Content-Type': 'application/json' },
        // The command-line fake supports user installs, as the README asks of a real application.
        body: JSON.stringify([
          { name: 'observance', description: 'd', integration_types: [0, 1], contexts },
        ]),
      });
    const inject = async (...args: string[]) => {
      const child = run('inject-interaction.ts', args, { DISCORD_API_BASE_URL: started.api });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(child, 'exit');
      return { code, stderr };
    };

    expect((await register([0])).status).toBe(200);
    const refused = await inject('--dm', '/observance next');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Discord would not deliver /observance in a bot-dm');

    expect((await register([0, 1, 2])).status).toBe(200);
    const delivered = await inject('--dm', '/observance next');
    // Past Discord's checks, the DM goes to shard 0, where no bot is listening here.
    expect(delivered.stderr).toContain('no live gateway session owns shard 0');

    const both = await inject('--dm', '--group-dm', '/observance next');
    expect(both.stderr).toContain('choose one of --dm and --group-dm');
  });
});
