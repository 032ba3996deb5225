import { type LoadedContent, loadContent } from '../../src/content/load-content.js';
import type { PostSettings } from '../../src/domain/post-schedule.js';

let cached: LoadedContent | undefined;

/** The real content from data/: tests exercise what the bot will actually post. */
export function getContent(): LoadedContent {
  cached ??= loadContent();
  return cached;
}

export function makeSettings(overrides: Partial<PostSettings> = {}): PostSettings {
  return {
    postTime: { hour: 9, minute: 0 },
    eveReminder: false,
    momentPosts: true,
    enabledObservances: new Set(['january-20', 'khojaly', 'march-31']),
    ...overrides,
  };
}
