import type pg from 'pg';
import type { SchedulerStateRepository } from '../scheduler-state-repository.js';

export class PostgresSchedulerStateRepository implements SchedulerStateRepository {
  constructor(private readonly pool: pg.Pool) {}

  findLastTickAt(): Promise<Date | undefined> {
    return this.read('last_tick_at');
  }

  saveLastTickAt(at: Date): Promise<void> {
    return this.write('last_tick_at', at);
  }

  findPlannedAt(): Promise<Date | undefined> {
    return this.read('planned_at');
  }

  savePlannedAt(at: Date): Promise<void> {
    return this.write('planned_at', at);
  }

  private async read(key: string): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM scheduler_state WHERE key = $1',
      [key],
    );
    return rows[0] ? new Date(Number(rows[0].value)) : undefined;
  }

  /** Several processes tick: the latest instant wins, never an older one. */
  private async write(key: string, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO scheduler_state (key, value) VALUES ($1, $2)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        WHERE scheduler_state.value::bigint < excluded.value::bigint`,
      [key, String(at.getTime())],
    );
  }
}
