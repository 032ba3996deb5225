import { beforeEach, expect, it } from 'vitest';
import { GuildSettingsRepository } from '../../src/storage/guild-settings-repository.js';
import { openDatabase } from '../../src/storage/open-database.js';

let repo: GuildSettingsRepository;
const t0 = new Date('2027-01-01T00:00:00Z');
const t1 = new Date('2027-01-02T00:00:00Z');

beforeEach(() => {
  repo = new GuildSettingsRepository(openDatabase(':memory:'));
});

it('starts from the documented defaults', () => {
  const settings = repo.update('g1', {}, t0);
  expect(settings).toEqual({
    guildId: 'g1',
    postTime: { hour: 9, minute: 0 },
    disabledObservances: [],
    eveReminder: false,
    momentPosts: true,
    silent: false,
    version: 1,
    updatedAt: t0,
  });
  expect(repo.find('g1')).toEqual(settings);
  expect(repo.listConfigured()).toEqual([]);
});

it('stores every setting, bumps the version on each change, and clears with null', () => {
  repo.update(
    'g1',
    { channelId: 'c1', postTime: { hour: 18, minute: 30 }, language: 'az', roleId: 'r1' },
    t0,
  );
  const changed = repo.update(
    'g1',
    { eveReminder: true, momentPosts: false, silent: true, disabledObservances: ['khojaly'] },
    t1,
  );
  expect(changed).toMatchObject({
    channelId: 'c1',
    postTime: { hour: 18, minute: 30 },
    language: 'az',
    roleId: 'r1',
    eveReminder: true,
    momentPosts: false,
    silent: true,
    disabledObservances: ['khojaly'],
    version: 2,
  });
  expect(repo.find('g1')).toEqual(changed);
  const cleared = repo.update('g1', { roleId: null, language: null }, t1);
  expect(cleared.roleId).toBeUndefined();
  expect(cleared.language).toBeUndefined();
  expect(cleared.version).toBe(3);
});

it('starts posting when a channel is first set, not when it is moved, and stops when it is removed', () => {
  expect(repo.update('g1', { channelId: 'c1' }, t0).activeSince).toEqual(t0);
  expect(repo.update('g1', { channelId: 'c2' }, t1).activeSince).toEqual(t0);
  expect(repo.listConfigured().map((g) => g.channelId)).toEqual(['c2']);
  const stopped = repo.update('g1', { channelId: null }, t1);
  expect(stopped.activeSince).toBeUndefined();
  expect(repo.listConfigured()).toEqual([]);
  expect(repo.update('g1', { channelId: 'c3' }, t1).activeSince).toEqual(t1);
});
