// The real bot, built (dist/), in its own process, with one difference from `npm start`: its
// clock is set by the test over IPC, and it ticks when told to, so a test can put it at any
// Baku time and kill it at any point; and it reads tests/fixtures/data/. Everything else is the
// production code path.

import { loadConfig } from '../../dist/config.js';
import { loadContent } from '../../dist/content/load-content.js';
import { createLogger } from '../../dist/logger.js';
import { startBot } from '../../dist/main.js';

let now = Date.parse(process.env.TEST_CLOCK_START ?? new Date().toISOString());
const clock = { now: () => new Date(now) };
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, [config.DISCORD_TOKEN]);
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

// The test content (tests/fixtures/data/), so that rewording data/ never breaks these tests.
const content = loadContent(new URL('../fixtures/data/', import.meta.url).pathname);
const bot = await startBot({ config, logger, clock, content, tickEveryMinute: false });
await bot.ready;
process.send?.({ type: 'ready' });
bot.caughtUp.then(() => process.send?.({ type: 'caught-up' }));

process.on('message', (message) => {
  if (message.type === 'set-clock') {
    now = Date.parse(message.at);
    process.send?.({ type: 'clock-set', id: message.id });
  }
  if (message.type === 'tick') {
    now = Date.parse(message.at);
    bot.tick(new Date(now)).then(
      (summary) => process.send?.({ type: 'ticked', id: message.id, summary }),
      (error) => process.send?.({ type: 'tick-failed', id: message.id, error: String(error) }),
    );
  }
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    bot.stop().then(() => process.exit(0));
  });
}
