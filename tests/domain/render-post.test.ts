import { describe, expect, it } from 'vitest';
import { checkEmbedLimits, SUPPRESS_NOTIFICATIONS } from '../../src/domain/message-payload.js';
import type { PostKind } from '../../src/domain/observance.js';
import { renderPost, renderTestPost } from '../../src/domain/render-post.js';
import { getContent } from '../support/test-content.js';

const content = getContent();

const cases = content.observances.flatMap((observance) =>
  (['eve', 'day', 'moment'] as PostKind[])
    .filter((kind) => kind !== 'moment' || observance.moments.length > 0)
    .flatMap((kind) => content.locales.map((locale) => [observance.id, kind, locale] as const)),
);

describe('every observance × kind × locale', () => {
  it('covers all three observances in all four languages', () => {
    expect(cases.length).toBe(3 * 2 * 4 + 4);
  });

  it.each(cases)(
    '%s %s in %s stays within Discord limits and pings nobody',
    (observanceId, kind, locale) => {
      for (const year of [2027, 2100]) {
        const payload = renderPost(content, { observanceId, kind, locale, year });
        expect(checkEmbedLimits(payload)).toEqual([]);
        expect(payload.allowed_mentions).toEqual({ parse: [] });
        expect(payload.content).toBeUndefined();
        expect(payload.flags).toBeUndefined();
        const [embed] = payload.embeds;
        expect(embed?.footer.text).toMatch(/\+04:00/);
        // Every bracketed number points at a listed source, and every listed source is cited.
        const cited = new Set(
          [...(embed?.description ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])),
        );
        const listed = (embed?.fields ?? []).flatMap((field) => field.value.split('\n'));
        expect(listed.length).toBeGreaterThan(0);
        expect([...cited].sort()).toEqual(listed.map((_, i) => i + 1));
      }
    },
  );
});

describe('renderPost', () => {
  it('puts the anniversary, summary, facts, sources and closing line in the day post', () => {
    const [embed] = renderPost(content, {
      observanceId: 'january-20',
      kind: 'day',
      locale: 'en',
      year: 2027,
    }).embeds;
    expect(embed?.title).toBe('National Mourning Day');
    expect(embed?.description).toContain('Today, 20 January 2027, marks the 37th anniversary');
    expect(embed?.description).toContain('**Key facts**');
    expect(embed?.description).toContain('131 people were killed');
    expect(embed?.description).toMatch(
      /\*We honour the memory of the victims of 20 January 1990\.\*$/,
    );
    expect(embed?.fields[0]?.name).toBe('Sources');
    expect(embed?.fields[0]?.value).toContain(
      '(https://docslib.org/doc/3810567/blood-memory) · official account',
    );
  });

  it('writes the anniversary in Azerbaijani with the right suffix', () => {
    const [embed] = renderPost(content, {
      observanceId: 'january-20',
      kind: 'day',
      locale: 'az',
      year: 2026,
    }).embeds;
    expect(embed?.description).toContain(
      'Bu gün, 20 yanvar 2026-cı il — 1990-cı il 20 Yanvar faciəsinin 36-cı ildönümü.',
    );
  });

  it("gives both the official figure and Memorial's findings for Khojaly, each with its source", () => {
    const [embed] = renderPost(content, {
      observanceId: 'khojaly',
      kind: 'day',
      locale: 'en',
      year: 2027,
    }).embeds;
    expect(embed?.title).toBe('Day of the Khojaly Genocide');
    expect(embed?.description).toMatch(/613 civilians were killed.*\[\d\]/);
    expect(embed?.description).toMatch(/about 200 bodies.*\[\d\]/);
    expect(embed?.fields.map((f) => f.value).join('\n')).toMatch(
      /Memorial Human Rights Center.*human-rights report/,
    );
  });

  it('announces tomorrow and its moment in the eve post', () => {
    const [embed] = renderPost(content, {
      observanceId: 'january-20',
      kind: 'eve',
      locale: 'en',
      year: 2027,
    }).embeds;
    expect(embed?.title).toBe('Tomorrow: National Mourning Day');
    expect(embed?.description).toContain(
      'Tomorrow, 20 January 2027: National Mourning Day, the 37th anniversary',
    );
    expect(embed?.description).toContain('• 12:00 Baku time: One minute of silence');
  });

  it('renders the minute of silence as a moment post', () => {
    const [embed] = renderPost(content, {
      observanceId: 'january-20',
      kind: 'moment',
      locale: 'az',
      year: 2027,
    }).embeds;
    expect(embed?.title).toBe('Bir dəqiqəlik sükut · Bakı vaxtı ilə 12:00');
  });

  it('refuses a moment post for an observance without moments, saying why', () => {
    expect(() =>
      renderPost(content, { observanceId: 'khojaly', kind: 'moment', locale: 'en', year: 2027 }),
    ).toThrow('has no moments');
  });

  it('mentions exactly the opted-in role, and nobody else', () => {
    const payload = renderPost(
      content,
      { observanceId: 'khojaly', kind: 'day', locale: 'en', year: 2027 },
      { roleId: '123456789012345678' },
    );
    expect(payload.content).toBe('<@&123456789012345678>');
    expect(payload.allowed_mentions).toEqual({ parse: [], roles: ['123456789012345678'] });
  });

  it('sends silent posts with the suppress-notifications flag', () => {
    const payload = renderPost(
      content,
      { observanceId: 'khojaly', kind: 'day', locale: 'en', year: 2027 },
      { silent: true },
    );
    expect(payload.flags).toBe(SUPPRESS_NOTIFICATIONS);
  });

  it('says when a post is late, and when it was due', () => {
    const payload = renderPost(
      content,
      { observanceId: 'march-31', kind: 'day', locale: 'en', year: 2027 },
      { lateFor: new Date('2027-03-31T05:00:00Z') },
    );
    expect(payload.embeds[0]?.description).toMatch(
      /^\*This post was due at 09:00 Baku time and is sent late\.\*/,
    );
  });

  it('rejects unknown observances and languages with the known values', () => {
    expect(() =>
      renderPost(content, { observanceId: 'nope', kind: 'day', locale: 'en', year: 2027 }),
    ).toThrow('Known observances: january-20, khojaly, march-31');
    expect(() =>
      renderPost(content, { observanceId: 'khojaly', kind: 'day', locale: 'xx', year: 2027 }),
    ).toThrow('Available: en, az');
  });

  it('labels the test message and never pings with it', () => {
    const payload = renderTestPost(content, 'en', new Date('2027-01-01T00:00:00Z'), {
      silent: true,
    });
    expect(payload.embeds[0]?.title).toBe('Test message');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.flags).toBe(SUPPRESS_NOTIFICATIONS);
  });
});
