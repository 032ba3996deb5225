import { progress } from './progress.js';

type Cleanup = () => void;

/**
 * Everything the benchmark must undo however it ends (child processes, temporary folders). The
 * steps are synchronous so that they also run from the 'exit' event, after a crash or a signal.
 */
const cleanups = new Set<Cleanup>();

/** Registers a step; the returned function runs it early (once) and forgets it. */
export function onCleanup(step: Cleanup): () => void {
  cleanups.add(step);
  return () => {
    if (cleanups.delete(step)) step();
  };
}

export function runCleanups(): void {
  for (const step of [...cleanups].reverse()) {
    cleanups.delete(step);
    try {
      step();
    } catch (error) {
      process.stderr.write(`cleanup step failed: ${String(error)}\n`);
    }
  }
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

export function installCleanupHandlers(): void {
  process.on('exit', runCleanups);
  for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
    process.once(signal, () => {
      progress(`${signal} received: killing the bot and removing temporary files`);
      runCleanups();
      process.exit(128 + number);
    });
  }
}
