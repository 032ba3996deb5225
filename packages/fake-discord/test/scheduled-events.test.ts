import { DiscordAPIError, PermissionFlagsBits, REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, MAX_UNFINISHED_EVENTS, startFakeDiscord } from '../src/fake-discord.js';

const GUILD = '920000000000000001';
const HOUR = 3600_000;
const NOW = Date.parse('2027-01-10T08:00:00Z');

let fake: FakeDiscord | undefined;
let wallClock = NOW;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  wallClock = NOW;
});

async function start(botPermissions: bigint = PermissionFlagsBits.CreateEvents) {
  fake = await startFakeDiscord({
    guilds: [{ id: GUILD, botPermissions }],
    wallClock: () => wallClock,
  });
  const rest = new REST({ api: fake.apiBaseUrl, retries: 0 }).setToken(fake.token);
  return { fake, rest };
}

/** A valid EXTERNAL event, two days after the fake's clock, lasting an hour. */
function externalEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'National Mourning Day',
    description: 'A day of remembrance.',
    scheduled_start_time: new Date(NOW + 48 * HOUR).toISOString(),
    scheduled_end_time: new Date(NOW + 49 * HOUR).toISOString(),
    privacy_level: 2,
    entity_type: 3,
    channel_id: null,
    entity_metadata: { location: '12:00 Baku time (UTC+4), online' },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw error;
  return error;
}

/** The `_errors` codes Discord put at one path of a 50035 answer. */
function codesAt(error: DiscordAPIError, path: string[]): string[] {
  expect(error.status).toBe(400);
  expect(error.code).toBe(50035);
  let node = (error.rawError as { errors?: unknown }).errors as Record<string, unknown>;
  for (const key of path) node = node?.[key] as Record<string, unknown>;
  return ((node?._errors as Array<{ code: string }>) ?? []).map((e) => e.code);
}

interface ApiEvent {
  id: string;
  creator_id: string;
  status: number;
  channel_id: string | null;
  entity_metadata: { location: string };
  user_count?: number;
}

describe('fake-discord: guild scheduled events (EXTERNAL)', () => {
  it('creates an external event as the bot, and lists and gets it', async () => {
    const { fake, rest } = await start();
    const created = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    expect(created).toMatchObject({
      creator_id: fake.botUserId,
      status: 1,
      channel_id: null,
      entity_type: 3,
      privacy_level: 2,
      entity_metadata: { location: '12:00 Baku time (UTC+4), online' },
    });
    expect(created.user_count).toBeUndefined();
    const listed = (await rest.get(Routes.guildScheduledEvents(GUILD), {
      query: new URLSearchParams({ with_user_count: 'true' }),
    })) as ApiEvent[];
    expect(listed.map((e) => e.id)).toEqual([created.id]);
    expect(listed[0]?.user_count).toBe(0);
    const one = (await rest.get(Routes.guildScheduledEvent(GUILD, created.id))) as ApiEvent;
    expect(one.id).toBe(created.id);
  });

  it.each([
    ['no entity_metadata', { entity_metadata: undefined }, ['entity_metadata']],
    ['an empty location', { entity_metadata: { location: '' } }, ['entity_metadata', 'location']],
    [
      'a location over 100 characters',
      { entity_metadata: { location: 'x'.repeat(101) } },
      ['entity_metadata', 'location'],
    ],
    ['no end time', { scheduled_end_time: undefined }, ['scheduled_end_time']],
    ['a channel', { channel_id: '920000000000000099' }, ['channel_id']],
    ['privacy level 1', { privacy_level: 1 }, ['privacy_level']],
    ['an empty name', { name: '' }, ['name']],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, ['name']],
    ['a description over 1000 characters', { description: 'x'.repeat(1001) }, ['description']],
    [
      'a start in the past',
      { scheduled_start_time: new Date(NOW - 60_000).toISOString() },
      ['scheduled_start_time'],
    ],
    [
      'an end before the start',
      { scheduled_end_time: new Date(NOW + 47 * HOUR).toISOString() },
      ['scheduled_end_time'],
    ],
    ['a voice event', { entity_type: 2 }, ['entity_type']],
  ])('refuses %s with 50035 at that field', async (_, overrides, path) => {
    const { fake, rest } = await start();
    const error = await failure(
      rest.post(Routes.guildScheduledEvents(GUILD), { body: externalEvent(overrides) }),
    );
    expect(codesAt(error, path).length).toBeGreaterThan(0);
    expect(fake.scheduledEvents).toHaveLength(0);
  });

  it('accepts the limits themselves: 100-character name and location, 1000-character description', async () => {
    const { rest } = await start();
    await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent({
        name: 'n'.repeat(100),
        description: 'd'.repeat(1000),
        entity_metadata: { location: 'l'.repeat(100) },
      }),
    });
  });

  it('says which error codes: past start and end before start', async () => {
    const { rest } = await start();
    const past = await failure(
      rest.post(Routes.guildScheduledEvents(GUILD), {
        body: externalEvent({ scheduled_start_time: new Date(NOW - 1).toISOString() }),
      }),
    );
    expect(codesAt(past, ['scheduled_start_time'])).toEqual([
      'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST',
    ]);
  });

  it('needs Create Events to create: Manage Events alone is not enough since February 2026', async () => {
    const { fake, rest } = await start(PermissionFlagsBits.ManageEvents);
    const error = await failure(
      rest.post(Routes.guildScheduledEvents(GUILD), { body: externalEvent() }),
    );
    expect([error.status, error.code]).toEqual([403, 50013]);
    fake.setBotPermissions(GUILD, PermissionFlagsBits.CreateEvents);
    await rest.post(Routes.guildScheduledEvents(GUILD), { body: externalEvent() });
    expect(fake.scheduledEvents).toHaveLength(1);
  });

  it('lets Create Events edit and delete the bot’s own events, but only Manage Events a member’s', async () => {
    const { fake, rest } = await start();
    const own = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    await rest.patch(Routes.guildScheduledEvent(GUILD, own.id), { body: { name: 'Renamed' } });
    const member = fake.addMemberScheduledEvent({
      guildId: GUILD,
      name: 'Book club',
      startsAt: NOW + HOUR,
      endsAt: NOW + 2 * HOUR,
    });
    const patch = await failure(
      rest.patch(Routes.guildScheduledEvent(GUILD, member.id), { body: { name: 'Mine now' } }),
    );
    expect([patch.status, patch.code]).toEqual([403, 50013]);
    const removal = await failure(rest.delete(Routes.guildScheduledEvent(GUILD, member.id)));
    expect([removal.status, removal.code]).toEqual([403, 50013]);

    fake.setBotPermissions(GUILD, PermissionFlagsBits.ManageEvents);
    await rest.patch(Routes.guildScheduledEvent(GUILD, member.id), { body: { name: 'Moved' } });
    await rest.delete(Routes.guildScheduledEvent(GUILD, own.id));
    expect(fake.scheduledEvents.find((e) => e.id === own.id)?.deletedBy).toBe('bot');
  });

  it('keeps to the status transitions and refuses to update a finished event', async () => {
    const { fake, rest } = await start();
    const first = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    const toCompleted = await failure(
      rest.patch(Routes.guildScheduledEvent(GUILD, first.id), { body: { status: 3 } }),
    );
    expect(codesAt(toCompleted, ['status'])).toHaveLength(1);
    await rest.patch(Routes.guildScheduledEvent(GUILD, first.id), { body: { status: 4 } });
    const finished = await failure(
      rest.patch(Routes.guildScheduledEvent(GUILD, first.id), { body: { name: 'again' } }),
    );
    expect([finished.status, finished.code]).toEqual([400, 180000]);

    // An external event starts and ends by itself at its times.
    const second = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    wallClock = NOW + 48 * HOUR + 60_000;
    expect(fake.scheduledEventStatus(second.id)).toBe(2);
    const moved = await failure(
      rest.patch(Routes.guildScheduledEvent(GUILD, second.id), {
        body: { scheduled_start_time: new Date(NOW + 72 * HOUR).toISOString() },
      }),
    );
    expect(codesAt(moved, ['scheduled_start_time'])).toEqual([
      'GUILD_SCHEDULED_EVENT_SCHEDULE_INVALID_START_BY_STATUS',
    ]);
    // Its other fields may still change while it runs.
    await rest.patch(Routes.guildScheduledEvent(GUILD, second.id), { body: { name: 'Now' } });
    wallClock = NOW + 50 * HOUR;
    expect(fake.scheduledEventStatus(second.id)).toBe(3);
  });

  it('checks a PATCH like a create: past start, end before start, a channel, no end', async () => {
    const { rest } = await start();
    const event = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    const path = Routes.guildScheduledEvent(GUILD, event.id);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ scheduled_start_time: new Date(NOW - 1000).toISOString() }, ['scheduled_start_time']],
      [{ scheduled_start_time: new Date(NOW + 50 * HOUR).toISOString() }, ['scheduled_end_time']],
      [{ channel_id: '920000000000000099' }, ['channel_id']],
      [{ scheduled_end_time: null }, ['scheduled_end_time']],
      [{ entity_metadata: { location: 'x'.repeat(101) } }, ['entity_metadata', 'location']],
    ];
    for (const [body, at] of cases) {
      expect(codesAt(await failure(rest.patch(path, { body })), at).length).toBeGreaterThan(0);
    }
    // Moving start and end together is fine.
    await rest.patch(path, {
      body: {
        scheduled_start_time: new Date(NOW + 50 * HOUR).toISOString(),
        scheduled_end_time: new Date(NOW + 51 * HOUR).toISOString(),
        entity_metadata: { location: '09:00 Baku time (UTC+4), online' },
      },
    });
  });

  it(`allows at most ${MAX_UNFINISHED_EVENTS} scheduled or active events; canceled ones do not count`, async () => {
    const { rest } = await start();
    const ids: string[] = [];
    for (let i = 0; i < MAX_UNFINISHED_EVENTS; i++) {
      const event = (await rest.post(Routes.guildScheduledEvents(GUILD), {
        body: externalEvent({ name: `event ${i}` }),
      })) as ApiEvent;
      ids.push(event.id);
    }
    const over = await failure(
      rest.post(Routes.guildScheduledEvents(GUILD), { body: externalEvent() }),
    );
    expect([over.status, over.code]).toEqual([400, 30038]);
    await rest.patch(Routes.guildScheduledEvent(GUILD, ids[0] ?? ''), { body: { status: 4 } });
    await rest.post(Routes.guildScheduledEvents(GUILD), { body: externalEvent() });
  }, 20_000);

  it('answers 10070 for an unknown event and for one a moderator deleted; 10004 for an unknown guild', async () => {
    const { fake, rest } = await start();
    const unknown = await failure(
      rest.get(Routes.guildScheduledEvent(GUILD, '920000000000000123')),
    );
    expect([unknown.status, unknown.code]).toEqual([404, 10070]);
    const event = (await rest.post(Routes.guildScheduledEvents(GUILD), {
      body: externalEvent(),
    })) as ApiEvent;
    fake.deleteScheduledEvent(event.id);
    expect(fake.scheduledEvents[0]?.deletedBy).toBe('moderator');
    for (const request of [
      rest.get(Routes.guildScheduledEvent(GUILD, event.id)),
      rest.patch(Routes.guildScheduledEvent(GUILD, event.id), { body: { name: 'x' } }),
      rest.delete(Routes.guildScheduledEvent(GUILD, event.id)),
    ]) {
      expect((await failure(request)).code).toBe(10070);
    }
    expect(await rest.get(Routes.guildScheduledEvents(GUILD))).toEqual([]);
    const noGuild = await failure(rest.get(Routes.guildScheduledEvents('920000000000000999')));
    expect(noGuild.code).toBe(10004);
  });
});
