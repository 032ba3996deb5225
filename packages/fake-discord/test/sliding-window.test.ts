import { expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter.js';

it('sliding global window: any 1,000 ms holds at most the limit, and a refusal says how long to wait', () => {
  const limiter = new RateLimiter();
  limiter.configure({ global: 50, globalWindow: 'sliding' });
  for (let i = 0; i < 50; i++) expect(limiter.takeGlobal()).toBeNull();
  const wait = limiter.takeGlobal();
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(1_000);
});
