/** What the scheduler must remember across restarts: when it last looked at the clock and planned. */
export interface SchedulerStateRepository {
  /** The instant of the last completed tick; absent on a new database. */
  findLastTickAt(): Promise<Date | undefined>;
  saveLastTickAt(at: Date): Promise<void>;
  /** When every server's posts were last planned ahead; absent on a new database. */
  findPlannedAt(): Promise<Date | undefined>;
  savePlannedAt(at: Date): Promise<void>;
}
