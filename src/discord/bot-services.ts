import type { REST } from '@discordjs/rest';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { LoadedContent } from '../content/load-content.js';
import type { DeliveryPlanner } from '../scheduler/plan-deliveries.js';
import type { Publisher } from '../scheduler/publisher.js';
import type { AlertChecker } from '../scheduler/run-alert-checks.js';
import type { DeliveryRepository } from '../storage/delivery-repository.js';
import type { GuildEventRepository } from '../storage/guild-event-repository.js';
import type { GuildSettingsRepository } from '../storage/guild-settings-repository.js';

/** What command handlers may use. Built once in main.ts and passed down; no globals. */
export interface BotServices {
  content: LoadedContent;
  settings: GuildSettingsRepository;
  deliveries: DeliveryRepository;
  /** Rewrites a server's planned posts after its settings change. */
  planner: DeliveryPlanner;
  publisher: Publisher;
  /** Discord's API, for the rare command that reads from it (setup). */
  rest: REST;
  /** The checks before each day: `/commemoration test` and setup re-check a server with them. */
  checks: AlertChecker;
  clock: Clock;
  logger: Logger;
  /** The bot's Discord scheduled events, as last synced. */
  events: GuildEventRepository;
}
