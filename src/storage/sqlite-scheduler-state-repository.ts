import type { Db } from './open-database.js';
import type { SchedulerStateRepository } from './scheduler-state-repository.js';

export class SqliteSchedulerStateRepository implements SchedulerStateRepository {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[string], { value: string }>(
      'SELECT value FROM scheduler_state WHERE key = ?',
    );
    this.upsert = db.prepare(
      'INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  async findLastTickAt(): Promise<Date | undefined> {
    return this.read('last_tick_at');
  }

  async saveLastTickAt(at: Date): Promise<void> {
    this.upsert.run('last_tick_at', String(at.getTime()));
  }

  async findPlannedAt(): Promise<Date | undefined> {
    return this.read('planned_at');
  }

  async savePlannedAt(at: Date): Promise<void> {
    this.upsert.run('planned_at', String(at.getTime()));
  }

  private read(key: string): Date | undefined {
    const row = this.select.get(key);
    return row ? new Date(Number(row.value)) : undefined;
  }
}
