import { ApplicationCommandType } from 'discord-api-types/v10';
import { isRecord, ok, type RestResult } from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';
import {
  type ApplicationSettings,
  findCommandIssues,
  findCommandListIssues,
} from './validation/command-rules.js';
import { invalidFormBody } from './validation/form-errors.js';

export interface CommandsView {
  /** Commands as Discord stored them (with id, application_id, version), in registration order. */
  readonly global: readonly unknown[];
  readonly guild: ReadonlyMap<string, readonly unknown[]>;
}

export type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

export class CommandRegistry implements CommandsView {
  global: StoredCommand[] = [];
  readonly guild = new Map<string, StoredCommand[]>();
  readonly #ids: SnowflakeFactory;
  readonly #applicationId: string;
  readonly #app: ApplicationSettings;

  constructor(ids: SnowflakeFactory, applicationId: string, app: ApplicationSettings) {
    this.#ids = ids;
    this.#applicationId = applicationId;
    this.#app = app;
  }

  /** The global chat-input command of that name, if one is registered. */
  findGlobal(name: string): StoredCommand | undefined {
    return this.global.find((c) => c.name === name && c.type === ApplicationCommandType.ChatInput);
  }

  /** The guild's own chat-input command of that name, if one is registered there. */
  findInGuild(name: string, guildId: string): StoredCommand | undefined {
    return this.guild
      .get(guildId)
      ?.find((c) => c.name === name && c.type === ApplicationCommandType.ChatInput);
  }

  /** Lets injected interactions carry the id the bot registered, as Discord's do. */
  idFor(name: string, guildId: string): string | undefined {
    const match = (c: StoredCommand) => c.name === name;
    return (this.guild.get(guildId)?.find(match) ?? this.global.find(match))?.id;
  }

  /** The guild's command of that name, else the global one. */
  find(name: string, guildId: string): unknown {
    const match = (c: StoredCommand) => c.name === name;
    return this.guild.get(guildId)?.find(match) ?? this.global.find(match);
  }

  list(guildId: string | null): RestResult {
    return ok(guildId === null ? this.global : (this.guild.get(guildId) ?? []));
  }

  /**
   * Bulk overwrite. Discord keeps a command's id when a command of the same name and type is
   * overwritten, so re-registering on every start does not churn ids.
   */
  overwrite(guildId: string | null, body: unknown): RestResult {
    const issues = findCommandListIssues(body, this.#app);
    if (issues.length > 0 || !Array.isArray(body)) return invalidFormBody(issues);
    const previous = guildId === null ? this.global : (this.guild.get(guildId) ?? []);
    const next = body.map((raw: unknown) => this.#store(raw, guildId, previous));
    if (guildId === null) this.global = next;
    else this.guild.set(guildId, next);
    return ok(next);
  }

  create(guildId: string | null, body: unknown): RestResult {
    const list = guildId === null ? this.global : (this.guild.get(guildId) ?? []);
    const issues = findCommandIssues(body, this.#app);
    if (issues.length > 0) return invalidFormBody(issues);
    const stored = this.#store(body, guildId, list);
    const existing = list.findIndex((c) => c.id === stored.id);
    if (existing >= 0) list.splice(existing, 1, stored);
    else list.push(stored);
    if (guildId !== null) this.guild.set(guildId, list);
    return ok(stored, existing >= 0 ? 200 : 201);
  }

  #store(raw: unknown, guildId: string | null, previous: readonly StoredCommand[]): StoredCommand {
    // Validated already: a record with a string name.
    const command = isRecord(raw) ? raw : {};
    const name = typeof command.name === 'string' ? command.name : '';
    const type = typeof command.type === 'number' ? command.type : ApplicationCommandType.ChatInput;
    const same = previous.find((c) => c.name === name && c.type === type);
    return {
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...command,
      // Discord answers `contexts: null` when none were given, and fills in the installation
      // contexts the application supports (discord-api-docs issues 6744 and 7396).
      contexts: Array.isArray(command.contexts) ? command.contexts : null,
      integration_types: Array.isArray(command.integration_types)
        ? command.integration_types
        : [...this.#app.installationContexts],
      id: same?.id ?? this.#ids.next(),
      application_id: this.#applicationId,
      version: this.#ids.next(),
      type,
      name,
      ...(guildId === null ? {} : { guild_id: guildId }),
    };
  }
}
