import { describe, expect, it } from 'vitest';
import type { Content } from '../../src/domain/content.js';
import {
  FORUM_TITLE_LIMIT,
  formatForumPostTitle,
  formatForumTestTitle,
} from '../../src/domain/forum-post-title.js';
import type { PostKind } from '../../src/domain/observance.js';
import { getContent } from '../support/test-content.js';

const content = getContent();

describe('forum post titles', () => {
  it.each([
    ['khojaly', 'day', 'en', 'Day of the Khojaly Genocide 2027'],
    ['khojaly', 'eve', 'en', 'Tomorrow: Day of the Khojaly Genocide 2027'],
    [
      'january-20',
      'moment',
      'en',
      'National Mourning Day 2027: One minute of silence, 12:00 Baku time',
    ],
    ['khojaly', 'day', 'az', 'Xocalı soyqırımı günü, 2027'],
    ['khojaly', 'day', 'ru', 'День Ходжалинского геноцида, 2027'],
    ['khojaly', 'day', 'tr', 'Hocalı Soykırımı Günü 2027'],
  ] as const)('%s %s in %s: %s', (observanceId, kind, locale, expected) => {
    expect(formatForumPostTitle(content, { observanceId, kind, locale, year: 2027 })).toBe(
      expected,
    );
  });

  it('gives every delivery of a year its own title, within Discord’s 100 characters', () => {
    for (const locale of content.locales) {
      const titles = content.observances.flatMap((o) =>
        (['eve', 'day', 'moment'] as PostKind[])
          .filter((kind) => kind !== 'moment' || o.moments.length > 0)
          .flatMap((kind) =>
            (kind === 'moment' ? o.moments.map((m) => m.id) : [undefined]).map((momentId) =>
              formatForumPostTitle(content, {
                observanceId: o.id,
                kind,
                locale,
                year: 2027,
                ...(momentId ? { momentId } : {}),
              }),
            ),
          ),
      );
      expect(new Set(titles).size).toBe(titles.length);
      for (const title of titles) expect(title.length).toBeLessThanOrEqual(FORUM_TITLE_LIMIT);
    }
    expect(formatForumTestTitle(content, 'en')).toBe('Test message');
  });

  it('shortens a title over 100 characters at a character, with an ellipsis', () => {
    const long = structuredClone(content) as Content & { observances: unknown };
    const observance = long.observances.find((o) => o.id === 'khojaly');
    if (!observance?.text.en) throw new Error('no khojaly');
    (observance.text.en as { name: string }).name = 'Ə'.repeat(120);
    const title = formatForumPostTitle(long, {
      observanceId: 'khojaly',
      kind: 'day',
      locale: 'en',
      year: 2027,
    });
    expect(title.length).toBe(FORUM_TITLE_LIMIT);
    expect(title.endsWith('Ə…')).toBe(true);
  });
});
