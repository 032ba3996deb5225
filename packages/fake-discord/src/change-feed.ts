import { clearRealInterval, clearRealTimeout, setRealInterval, setRealTimeout } from './clock.js';

/** How often waitFor re-checks even without a change: predicates may read discord.js client state. */
const POLL_MS = 10;

/** Lets tests wait for "something happened" without sleeping for guessed durations. */
export class ChangeFeed {
  readonly #listeners = new Set<() => void>();

  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  waitFor(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let done: boolean;
        try {
          done = predicate();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (done) {
          finish();
          resolve();
        }
      };
      const finish = (): void => {
        this.#listeners.delete(check);
        clearRealInterval(poll);
        clearRealTimeout(timer);
      };
      const poll = setRealInterval(check, POLL_MS);
      const timer = setRealTimeout(() => {
        finish();
        reject(
          new Error(
            `fake-discord: waitFor timed out after ${timeoutMs} ms\n` +
              `  predicate: ${predicate.toString()}\n${describe()}`,
          ),
        );
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }
}
