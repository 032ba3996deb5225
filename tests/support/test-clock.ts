import type { Clock } from '../../src/clock.js';

/** A clock that only moves when the test says so. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): Date {
    this.current = new Date(at).getTime();
    return this.now();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
