import type { ForumInfo, ForumTag } from './check-channel-permissions.js';

/** What setup does about a forum's tags. */
export type ForumTagChoice =
  /** No tag: none asked for, and the forum does not require one. */
  | { kind: 'none' }
  | { kind: 'tag'; tag: ForumTag }
  /** The forum requires a tag and none was named (or the one kept is gone). */
  | { kind: 'required' }
  /** The name matches none of the forum's tags. */
  | { kind: 'unknown'; name: string };

/**
 * The tag each post will carry. Tags are named, as the admin reads them in the forum (Discord
 * offers no way to copy a tag's id), case and accents as typed but letter case ignored. With no
 * name, the tag kept from an earlier setup of the same forum stays while the forum still has it.
 */
export function chooseForumTag(
  forum: ForumInfo,
  name: string | undefined,
  keptTagId: string | undefined,
): ForumTagChoice {
  if (name !== undefined && name.trim() !== '') {
    const wanted = normalise(name);
    const tag = forum.tags.find((t) => normalise(t.name) === wanted);
    return tag ? { kind: 'tag', tag } : { kind: 'unknown', name: name.trim() };
  }
  const kept = forum.tags.find((t) => t.id === keptTagId);
  if (kept) return { kind: 'tag', tag: kept };
  return forum.requireTag ? { kind: 'required' } : { kind: 'none' };
}

function normalise(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase();
}
