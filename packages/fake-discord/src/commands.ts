import { ApplicationCommandType } from 'discord-api-types/v10';
import { errors, isRecord, ok, type RestResult } from './rest-types.js';
import type { SnowflakeFactory } from './snowflake.js';

export interface CommandsView {
  /** Commands as Discord stored them (with id, application_id, version), in registration order. */
  readonly global: readonly unknown[];
  readonly guild: ReadonlyMap<string, readonly unknown[]>;
}

type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

export class CommandRegistry implements CommandsView {
  global: StoredCommand[] = [];
  readonly guild = new Map<string, StoredCommand[]>();
  readonly #ids: SnowflakeFactory;
  readonly #applicationId: string;

  constructor(ids: SnowflakeFactory, applicationId: string) {
    this.#ids = ids;
    this.#applicationId = applicationId;
  }

  /** Lets injected interactions carry the id the bot registered, as Discord's do. */
  idFor(name: string, guildId: string): string | undefined {
    const match = (c: StoredCommand) => c.name === name;
    return (this.guild.get(guildId)?.find(match) ?? this.global.find(match))?.id;
  }

  list(guildId: string | null): RestResult {
    return ok(guildId === null ? this.global : (this.guild.get(guildId) ?? []));
  }

  /**
   * Bulk overwrite. Discord keeps a command's id when a command of the same name and type is
   * overwritten, so re-registering on every start does not churn ids.
   */
  overwrite(guildId: string | null, body: unknown): RestResult {
    if (!Array.isArray(body))
      return errors.invalidFormBody({ _: 'Expected an array of commands.' });
    const previous = guildId === null ? this.global : (this.guild.get(guildId) ?? []);
    const next: StoredCommand[] = [];
    const fieldErrors: Record<string, string> = {};
    body.forEach((raw: unknown, index) => {
      const stored = this.#store(raw, guildId, previous);
      if (typeof stored === 'string') fieldErrors[String(index)] = stored;
      else next.push(stored);
    });
    if (Object.keys(fieldErrors).length > 0) return errors.invalidFormBody(fieldErrors);
    if (guildId === null) this.global = next;
    else this.guild.set(guildId, next);
    return ok(next);
  }

  create(guildId: string | null, body: unknown): RestResult {
    const list = guildId === null ? this.global : (this.guild.get(guildId) ?? []);
    const stored = this.#store(body, guildId, list);
    if (typeof stored === 'string') return errors.invalidFormBody({ name: stored });
    const existing = list.findIndex((c) => c.id === stored.id);
    if (existing >= 0) list.splice(existing, 1, stored);
    else list.push(stored);
    if (guildId !== null) this.guild.set(guildId, list);
    return ok(stored, existing >= 0 ? 200 : 201);
  }

  #store(
    raw: unknown,
    guildId: string | null,
    previous: readonly StoredCommand[],
  ): StoredCommand | string {
    if (!isRecord(raw) || typeof raw.name !== 'string') return 'Command name is required.';
    // Discord's rule for chat-input names: lowercase, 1-32 chars, no spaces.
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    if (type === ApplicationCommandType.ChatInput && !/^[-_\p{L}\p{N}]{1,32}$/u.test(raw.name)) {
      return `Invalid command name "${raw.name}".`;
    }
    if (type === ApplicationCommandType.ChatInput && raw.name !== raw.name.toLowerCase()) {
      return `Command name "${raw.name}" must be lowercase.`;
    }
    const same = previous.find((c) => c.name === raw.name && c.type === type);
    return {
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...raw,
      id: same?.id ?? this.#ids.next(),
      application_id: this.#applicationId,
      version: this.#ids.next(),
      type,
      name: raw.name,
      ...(guildId === null ? {} : { guild_id: guildId }),
    };
  }
}
