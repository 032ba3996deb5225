import { describe, expect, it } from 'vitest';
import { chooseForumTag } from '../../src/discord/choose-forum-tag.js';

const REMEMBRANCE = { id: 't1', name: 'Remembrance', moderated: false };
const STAFF = { id: 't2', name: 'Staff', moderated: true };
const OPTIONAL = { requireTag: false, tags: [REMEMBRANCE, STAFF] };
const REQUIRED = { requireTag: true, tags: [REMEMBRANCE, STAFF] };

describe('choosing the tag of forum posts', () => {
  it.each([
    ['no name, optional tags: no tag', OPTIONAL, undefined, undefined, { kind: 'none' }],
    ['no name, a tag required: say so', REQUIRED, undefined, undefined, { kind: 'required' }],
    [
      'a name, any letter case',
      REQUIRED,
      ' remembrance ',
      undefined,
      { kind: 'tag', tag: REMEMBRANCE },
    ],
    ['a name the forum lacks', OPTIONAL, 'News', undefined, { kind: 'unknown', name: 'News' }],
    ['no name: the kept tag stays', REQUIRED, undefined, 't2', { kind: 'tag', tag: STAFF }],
    ['no name, the kept tag is gone', REQUIRED, undefined, 't9', { kind: 'required' }],
    [
      'a name replaces the kept tag',
      OPTIONAL,
      'Remembrance',
      't2',
      { kind: 'tag', tag: REMEMBRANCE },
    ],
    [
      'a tag required, and the forum has none',
      { requireTag: true, tags: [] },
      undefined,
      undefined,
      { kind: 'required' },
    ],
  ] as const)('%s', (_, forum, name, kept, expected) => {
    expect(chooseForumTag(forum, name, kept)).toEqual(expected);
  });
});
