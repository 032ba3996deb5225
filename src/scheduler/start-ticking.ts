import cron from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { BAKU_ZONE } from '../domain/observance.js';

export interface Ticker {
  stop(): Promise<void>;
}

/**
 * Runs a tick at the start of every minute, Baku time. A tick that is still fanning out when the
 * next minute starts keeps going; the next tick skips what is already in flight.
 */
export function startTicking(
  scheduler: { tick(now: Date): Promise<unknown> },
  clock: Clock,
  logger: Logger,
): Ticker {
  const task = cron.schedule(
    '* * * * *',
    () => {
      scheduler.tick(clock.now()).catch((error: unknown) => {
        logger.error({ err: error }, 'tick failed; the next tick will try again');
      });
    },
    { timezone: BAKU_ZONE, name: 'delivery-tick' },
  );
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
