import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/domain/alert-problem.js';
import type {
  AlertClaim,
  AlertRepository,
  PlannedCheck,
} from '../../src/storage/alert-repository.js';
import { type OpenedStore, STORES } from '../support/stores-under-test.js';

const at = (iso: string) => new Date(iso);
const t0 = at('2027-02-10T00:00:00Z');

function check(guildId: string, leadDays: 7 | 1, dueAt: string, closesAt: string): PlannedCheck {
  return {
    guildId,
    observanceId: 'khojaly',
    year: 2027,
    leadDays,
    dueAt: at(dueAt),
    closesAt: at(closesAt),
  };
}

const seven = (guildId: string) =>
  check(guildId, 7, '2027-02-19T05:00:00Z', '2027-02-25T05:00:00Z');
const one = (guildId: string) => check(guildId, 1, '2027-02-25T05:00:00Z', '2027-02-26T05:00:00Z');

describe.each(STORES)('checks before each day and their alerts in $name', (kind) => {
  let opened: OpenedStore;
  let alerts: AlertRepository;
  beforeEach(async () => {
    opened = await kind.open();
    alerts = opened.store.alerts;
    // The shared fixture empties the tables it knows; these are this feature's.
    for (const table of ['alert_checks', 'alert_check_plans', 'alert_results', 'alerts_sent'])
      await opened.exec(`DELETE FROM ${table}`);
  });
  afterEach(() => opened.close());

  it('is a queue: due checks by server, made once, missed when their window closes', async () => {
    await alerts.writeCheckPlans(
      [
        { guildId: 'g1', checks: [seven('g1'), one('g1')], settingsVersion: 1 },
        { guildId: 'g2', checks: [seven('g2')], settingsVersion: 1 },
      ],
      t0,
    );
    expect(await alerts.listDueGuilds(at('2027-02-19T04:59:59Z'))).toEqual([]);
    const due = at('2027-02-19T05:00:00Z');
    expect(await alerts.listDueGuilds(due)).toEqual(['g1', 'g2']);
    expect(await alerts.findNextCheck('g1', due)).toEqual(seven('g1'));

    expect(await alerts.markChecked('g1', due)).toBe(1);
    expect(await alerts.listDueGuilds(due)).toEqual(['g2']);
    expect(await alerts.findNextCheck('g1', due)).toEqual(one('g1'));

    // g2 was never checked (the bot was down) and its window closed.
    const later = at('2027-02-25T05:00:00Z');
    expect(await alerts.closeWindows(later)).toBe(1);
    expect(await alerts.listDueGuilds(later)).toEqual(['g1']);
    // Planning again keeps the checks already made or missed.
    await alerts.writeCheckPlans([{ guildId: 'g2', checks: [seven('g2')] }], later);
    expect(await alerts.listDueGuilds(later)).toEqual(['g1']);
  });

  it('replaces a server’s checks not yet made when its settings change', async () => {
    await alerts.writeCheckPlans([{ guildId: 'g1', checks: [seven('g1')] }], t0);
    expect(await alerts.listGuildsToPlan()).toEqual([]);
    await opened.store.settings.update('g1', { channelId: 'c1' }, t0);
    expect(await alerts.listGuildsToPlan()).toEqual(['g1']);
    const moved = check('g1', 7, '2027-02-19T14:00:00Z', '2027-02-25T14:00:00Z');
    await alerts.writeCheckPlans([{ guildId: 'g1', checks: [moved], settingsVersion: 1 }], t0);
    expect(await alerts.listGuildsToPlan()).toEqual([]);
    expect(await alerts.findNextCheck('g1', t0)).toEqual(moved);
    // A server that stopped posting has none.
    await alerts.writeCheckPlans([{ guildId: 'g1', checks: [] }], t0);
    expect(await alerts.findNextCheck('g1', t0)).toBeUndefined();
  });

  it('puts a check off while its window stays open, and remembers the last full plan', async () => {
    await alerts.writeCheckPlans([{ guildId: 'g1', checks: [seven('g1')] }], t0);
    const due = at('2027-02-19T05:00:00Z');
    const retryAt = at('2027-02-19T05:05:00Z');
    expect(await alerts.postpone('g1', due, retryAt)).toBe(1);
    expect(await alerts.listDueGuilds(due)).toEqual([]);
    expect(await alerts.listDueGuilds(retryAt)).toEqual(['g1']);
    // Not past its window: that check stays where it is, and closes.
    expect(await alerts.postpone('g1', retryAt, at('2027-03-01T00:00:00Z'))).toBe(0);

    expect(await alerts.findPlannedAt()).toBeUndefined();
    await alerts.savePlannedAt(t0);
    expect(await alerts.findPlannedAt()).toEqual(t0);
  });

  it('keeps each server’s last result, problems and alert, until the next check replaces it', async () => {
    const result: CheckResult = {
      guildId: 'g1',
      checkedAt: t0,
      problems: [
        { kind: 'channel-permissions', channelId: 'c1', missing: ['sendMessages'] },
        { kind: 'server-permissions', missing: ['createEvents'] },
      ],
      alert: {
        at: t0,
        via: 'community',
        channelId: 'c9',
        alertsChannelIssue: { kind: 'missing', permissions: ['sendMessages'] },
      },
    };
    expect(await alerts.findResult('g1')).toBeUndefined();
    await alerts.saveResult(result);
    expect(await alerts.findResult('g1')).toEqual(result);
    const fixed: CheckResult = {
      guildId: 'g1',
      checkedAt: at('2027-02-11T00:00:00Z'),
      problems: [],
    };
    await alerts.saveResult(fixed);
    expect(await alerts.findResult('g1')).toEqual(fixed);
  });

  it('claims each problem once per Baku day, across processes; a release lets a later check try again', async () => {
    const claim: AlertClaim = {
      guildId: 'g1',
      bakuDate: '2027-02-19',
      keys: ['channel:c1:sendMessages', 'server:createEvents'],
      nonce: 'n1',
    };
    expect(await alerts.claimAlert(claim, t0)).toEqual(claim.keys);
    // A restart, or another process: nothing left to claim for the same problems that day.
    const other = await opened.openAnother('boot-b');
    expect(await other.alerts.claimAlert({ ...claim, nonce: 'n2' }, t0)).toEqual([]);
    // A new problem the same day is claimed on its own; the next day, all are new again.
    expect(
      await alerts.claimAlert(
        { ...claim, keys: [...claim.keys, 'channel-gone:c1'], nonce: 'n3' },
        t0,
      ),
    ).toEqual(['channel-gone:c1']);
    expect(await alerts.claimAlert({ ...claim, bakuDate: '2027-02-25' }, t0)).toEqual(claim.keys);

    await alerts.recordAlertSent(claim, 'c7', 'm1');
    await alerts.releaseAlert(claim);
    expect(await alerts.claimAlert({ ...claim, nonce: 'n4' }, t0)).toEqual([]);
    const failed = { ...claim, keys: ['channel-gone:c1'], nonce: 'n3' };
    await alerts.releaseAlert(failed);
    expect(await alerts.claimAlert({ ...failed, nonce: 'n5' }, t0)).toEqual(['channel-gone:c1']);
  });

  if (kind.name === 'Postgres') {
    it('lets only the newest dispatcher claim an alert (its fencing epoch)', async () => {
      await opened.exec('UPDATE dispatcher_lease SET epoch = 2 WHERE id = 1');
      const claim: AlertClaim = {
        guildId: 'g1',
        bakuDate: '2027-02-19',
        keys: ['server:createEvents'],
        nonce: 'n1',
      };
      expect(await alerts.claimAlert(claim, t0, { epoch: 1 })).toEqual([]);
      expect(await alerts.claimAlert(claim, t0, { epoch: 2 })).toEqual(claim.keys);
    });
  }
});
