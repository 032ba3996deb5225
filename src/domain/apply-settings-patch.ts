import type { GuildSettings, GuildSettingsPatch } from './guild-settings.js';

/** The settings after an admin's change: every store applies a change through this one function. */
export function applySettingsPatch(
  current: GuildSettings,
  patch: GuildSettingsPatch,
  now: Date,
): GuildSettings {
  const next: GuildSettings = { ...current, version: current.version + 1, updatedAt: now };
  if (patch.postTime) next.postTime = patch.postTime;
  if (patch.disabledObservances)
    next.disabledObservances = [...new Set(patch.disabledObservances)].sort();
  if (patch.eveReminder !== undefined) next.eveReminder = patch.eveReminder;
  if (patch.momentPosts !== undefined) next.momentPosts = patch.momentPosts;
  if (patch.silent !== undefined) next.silent = patch.silent;
  if (patch.publish !== undefined) next.publish = patch.publish;
  if (patch.events !== undefined) next.events = patch.events;
  if (patch.thread !== undefined) next.thread = patch.thread;
  applyOptional(next, 'language', patch.language);
  applyOptional(next, 'roleId', patch.roleId);
  applyOptional(next, 'channelId', patch.channelId);
  applyOptional(next, 'alertsChannelId', patch.alertsChannelId);
  applyOptional(next, 'forumTagId', patch.forumTagId);
  // A tag belongs to its forum: another channel does not have it.
  if (
    patch.forumTagId === undefined &&
    patch.channelId !== undefined &&
    patch.channelId !== current.channelId
  )
    delete next.forumTagId;
  if (patch.channelKind === null) delete next.channelKind;
  else if (patch.channelKind) next.channelKind = patch.channelKind;
  // A new channel without its kind: the old kind would be a guess.
  else if (patch.channelId !== undefined && patch.channelId !== current.channelId)
    delete next.channelKind;
  // Posting starts when a channel is first set (or set again after a stop); changing from one
  // channel to another does not, so a delivery that failed in the old channel is still owed.
  if (patch.channelId && !current.channelId) next.activeSince = now;
  if (!next.channelId) delete next.activeSince;
  return next;
}

function applyOptional(
  settings: GuildSettings,
  key: 'channelId' | 'language' | 'roleId' | 'alertsChannelId' | 'forumTagId',
  value: string | null | undefined,
): void {
  if (value === undefined) return;
  if (value === null) delete settings[key];
  else settings[key] = value;
}
