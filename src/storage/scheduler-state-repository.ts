import type { Db } from './open-database.js';

/** What the scheduler must remember across restarts: when it last looked at the clock and planned. */
export class SchedulerStateRepository {
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

  /** The instant of the last completed tick; absent on a new database. */
  findLastTickAt(): Date | undefined {
    const row = this.select.get('last_tick_at');
    return row ? new Date(Number(row.value)) : undefined;
  }

  saveLastTickAt(at: Date): void {
    this.upsert.run('last_tick_at', String(at.getTime()));
  }

  /** When every server's posts were last planned ahead; absent on a new database. */
  findPlannedAt(): Date | undefined {
    const row = this.select.get('planned_at');
    return row ? new Date(Number(row.value)) : undefined;
  }

  savePlannedAt(at: Date): void {
    this.upsert.run('planned_at', String(at.getTime()));
  }
}
