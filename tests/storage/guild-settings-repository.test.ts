import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuildSettingsRepository } from '../../src/storage/guild-settings-repository.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

const t0 = new Date('2027-01-01T00:00:00Z');
const t1 = new Date('2027-01-02T00:00:00Z');

describe.each(STORES)('server settings in $name', (kind) => {
  let opened: OpenedStore;
  let repo: GuildSettingsRepository;
  beforeEach(async () => {
    opened = await kind.open();
    repo = opened.store.settings;
  });
  afterEach(() => opened.close());

  it('starts from the documented defaults', async () => {
    const settings = await repo.update('g1', {}, t0);
    expect(settings).toEqual({
      guildId: 'g1',
      postTime: { hour: 9, minute: 0 },
      disabledObservances: [],
      eveReminder: false,
      momentPosts: true,
      silent: false,
      publish: true,
      events: false,
      thread: false,
      version: 1,
      updatedAt: t0,
    });
    expect(await repo.find('g1')).toEqual(settings);
    expect(await repo.find('g2')).toBeUndefined();
    expect(await repo.listConfigured()).toEqual([]);
  });

  it('stores every setting, bumps the version on each change, and clears with null', async () => {
    await repo.update(
      'g1',
      {
        channelId: 'c1',
        channelKind: 'announcement',
        postTime: { hour: 18, minute: 30 },
        language: 'az',
        roleId: 'r1',
      },
      t0,
    );
    const changed = await repo.update(
      'g1',
      {
        eveReminder: true,
        momentPosts: false,
        silent: true,
        disabledObservances: ['khojaly'],
        publish: false,
        events: true,
        thread: true,
        alertsChannelId: 'c2',
      },
      t1,
    );
    expect(changed).toMatchObject({
      channelId: 'c1',
      channelKind: 'announcement',
      postTime: { hour: 18, minute: 30 },
      language: 'az',
      roleId: 'r1',
      eveReminder: true,
      momentPosts: false,
      silent: true,
      disabledObservances: ['khojaly'],
      publish: false,
      events: true,
      thread: true,
      alertsChannelId: 'c2',
      version: 2,
    });
    expect(await repo.find('g1')).toEqual(changed);
    const cleared = await repo.update(
      'g1',
      { roleId: null, language: null, alertsChannelId: null },
      t1,
    );
    expect(cleared.roleId).toBeUndefined();
    expect(cleared.alertsChannelId).toBeUndefined();
    expect(cleared.channelKind).toBe('announcement');
    // Another channel without its kind: the old kind is not carried over as a guess.
    const moved = await repo.update('g1', { channelId: 'c9' }, t1);
    expect(moved.channelKind).toBeUndefined();
    expect((await repo.find('g1'))?.channelKind).toBeUndefined();
    expect(cleared.language).toBeUndefined();
    expect(cleared.version).toBe(3);
  });

  it('keeps a forum’s tag with its forum: kept while the channel stays, dropped when it changes', async () => {
    const set = await repo.update(
      'g1',
      { channelId: 'f1', channelKind: 'forum', forumTagId: 't1' },
      t0,
    );
    expect(set).toMatchObject({ channelKind: 'forum', forumTagId: 't1' });
    expect(await repo.find('g1')).toEqual(set);
    expect(
      (await repo.update('g1', { channelId: 'f1', postTime: { hour: 8, minute: 0 } }, t1))
        .forumTagId,
    ).toBe('t1');
    expect((await repo.update('g1', { forumTagId: null }, t1)).forumTagId).toBeUndefined();
    await repo.update('g1', { forumTagId: 't1' }, t1);
    const moved = await repo.update('g1', { channelId: 'f2', channelKind: 'forum' }, t1);
    expect(moved.forumTagId).toBeUndefined();
    expect((await repo.find('g1'))?.forumTagId).toBeUndefined();
  });

  it('starts posting when a channel is first set, not when it is moved, and stops when it is removed', async () => {
    expect((await repo.update('g1', { channelId: 'c1' }, t0)).activeSince).toEqual(t0);
    expect((await repo.update('g1', { channelId: 'c2' }, t1)).activeSince).toEqual(t0);
    expect((await repo.listConfigured()).map((g) => g.channelId)).toEqual(['c2']);
    const stopped = await repo.update('g1', { channelId: null }, t1);
    expect(stopped.activeSince).toBeUndefined();
    expect(await repo.listConfigured()).toEqual([]);
    expect((await repo.update('g1', { channelId: 'c3' }, t1)).activeSince).toEqual(t1);
  });

  it('changes made at once by two processes both land, one after the other', async () => {
    const other = await opened.openAnother('boot-b');
    await Promise.all([
      repo.update('g1', { eveReminder: true }, t0),
      other.settings.update('g1', { silent: true }, t0),
    ]);
    expect(await repo.find('g1')).toMatchObject({ eveReminder: true, silent: true, version: 2 });
  });
});

describe.each(STORES)('scheduler state in $name', (kind) => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await kind.open();
  });
  afterEach(() => opened.close());

  it('remembers the last tick and the last full plan', async () => {
    const { state } = opened.store;
    expect(await state.findLastTickAt()).toBeUndefined();
    await state.saveLastTickAt(t0);
    await state.savePlannedAt(t1);
    expect(await state.findLastTickAt()).toEqual(t0);
    expect(await state.findPlannedAt()).toEqual(t1);
  });
});
