import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-token-for-tests_only';

it('applies the documented defaults', () => {
  expect(loadConfig({ DISCORD_TOKEN: TOKEN })).toEqual({
    DISCORD_TOKEN: TOKEN,
    DATABASE_PATH: './var/bot.db',
    LOG_LEVEL: 'info',
    HEALTH_HOST: '127.0.0.1',
    DISCORD_API_BASE_URL: 'https://discord.com/api',
    DISCORD_GLOBAL_RPS: 50,
  });
});

it('reads a global rate limit Discord granted, and refuses one that is not a whole number', () => {
  expect(loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GLOBAL_RPS: '1200' }).DISCORD_GLOBAL_RPS).toBe(
    1200,
  );
  expect(() => loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GLOBAL_RPS: '12.5' })).toThrow(
    /^DISCORD_GLOBAL_RPS must be a whole number\. Remove DISCORD_GLOBAL_RPS/,
  );
});

it('reads every variable', () => {
  const config = loadConfig({
    DISCORD_TOKEN: TOKEN,
    DATABASE_PATH: '/data/bot.db',
    LOG_LEVEL: 'debug',
    HEALTH_PORT: '8080',
    DISCORD_API_BASE_URL: 'http://127.0.0.1:3000/api/',
    DISCORD_GUILD_ID: '123456789012345678',
  });
  expect(config).toMatchObject({
    HEALTH_PORT: 8080,
    DISCORD_API_BASE_URL: 'http://127.0.0.1:3000/api',
    DISCORD_GUILD_ID: '123456789012345678',
  });
});

it.each([
  [{}, /^DISCORD_TOKEN is missing\. Copy \.env\.example to \.env and set DISCORD_TOKEN/],
  [{ DISCORD_TOKEN: '  ' }, /^DISCORD_TOKEN is empty\./],
  [
    { DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'loud' },
    /^LOG_LEVEL .*Set LOG_LEVEL to one of fatal, error/,
  ],
  [
    { DISCORD_TOKEN: TOKEN, HEALTH_PORT: 'eighty' },
    /^HEALTH_PORT .*Set HEALTH_PORT to a port number/,
  ],
  [{ DISCORD_TOKEN: TOKEN, HEALTH_PORT: '70000' }, /^HEALTH_PORT /],
  [
    { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE_URL: 'discord.com' },
    /^DISCORD_API_BASE_URL must be an http\(s\) URL/,
  ],
  [
    { DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'my-server' },
    /^DISCORD_GUILD_ID must be a server id/,
  ],
])('refuses %j with one line saying what to do', (env, message) => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
});

it('never repeats a bad value back, since it may be a secret', () => {
  expect(() => loadConfig({ DISCORD_TOKEN: 'has spaces in it' })).toThrow(
    /^DISCORD_TOKEN does not look like a bot token\./,
  );
  try {
    loadConfig({ DISCORD_TOKEN: 'has spaces in it' });
  } catch (error) {
    expect((error as Error).message).not.toContain('has spaces');
  }
});
