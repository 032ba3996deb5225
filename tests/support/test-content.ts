import { fileURLToPath } from 'node:url';
import { type LoadedContent, loadContent } from '../../src/content/load-content.js';
import type { PostSettings } from '../../src/domain/post-schedule.js';

let cached: LoadedContent | undefined;
let cachedFixture: LoadedContent | undefined;

/** The real content from data/: for the tests that hold it to its rules. */
export function getContent(): LoadedContent {
  cached ??= loadContent();
  return cached;
}

/** A frozen copy of data/ (tests/fixtures/data/), for tests of behaviour rather than of content. */
export const FIXTURE_DATA_DIR = fileURLToPath(new URL('../fixtures/data/', import.meta.url));

export function getFixtureContent(): LoadedContent {
  cachedFixture ??= loadContent(FIXTURE_DATA_DIR);
  return cachedFixture;
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
