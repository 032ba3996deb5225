import type { LoadedContent } from '../../content/load-content.js';
import { type GuildSettings, toPostSettings } from '../../domain/guild-settings.js';
import { listPostsBetween, type ScheduledPost } from '../../domain/post-schedule.js';

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** The server's next posts, as its settings stand now. */
export function listUpcomingPosts(
  content: LoadedContent,
  settings: GuildSettings,
  now: Date,
  limit: number,
): ScheduledPost[] {
  if (!settings.channelId) return [];
  const { observances } = content;
  const from = new Date(Math.max(now.getTime(), settings.activeSince?.getTime() ?? 0));
  return listPostsBetween(
    observances,
    from,
    new Date(from.getTime() + YEAR_MS),
    toPostSettings(settings, observances),
  ).slice(0, limit);
}
