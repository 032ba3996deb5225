import { afterAll, beforeAll, describe, expect } from 'vitest';

/**
 * The host's zone must never matter: the bot's owner may run it on a server in UTC or on a laptop
 * in California. Kiritimati (UTC+14) puts the host's calendar a day ahead of Baku's.
 */
export const HOST_TIME_ZONES = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'] as const;

export function describeInEachHostTimeZone(name: string, body: (zone: string) => void): void {
  describe.each(HOST_TIME_ZONES)(`${name} (host TZ=%s)`, (zone) => {
    const previous = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = zone;
      // Node re-reads TZ when it is assigned; prove that it did, or the test would prove nothing.
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
    });
    afterAll(() => {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    });
    body(zone);
  });
}
