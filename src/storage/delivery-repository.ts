import type { DeliveryKey, DeliveryRecord } from '../domain/delivery-record.js';

/** A post that a server will be owed: written as a `planned` row ahead of its time. */
export interface PlannedDelivery extends DeliveryKey {
  scheduledAt: Date;
  closesAt: Date;
  nonce: string;
}

/** The row as the caller read it: a write goes through only if the row has not moved since. */
export type ExpectedRow = Pick<DeliveryRecord, 'status' | 'attempts'>;

/** A sent post's follow-ups as the caller read them (`saveFollowUps` compares their state and time). */
export type ExpectedFollowUps = Pick<DeliveryRecord, 'publish' | 'thread'>;

/**
 * The dispatcher's fencing epoch. A write carrying it goes through only while it is still the
 * newest epoch, so a dispatcher that was paused and replaced cannot record over its successor.
 */
export interface DispatcherFence {
  epoch: number;
}

/** One server's plan, written at once: what a settings change withdrew or moved, and new rows. */
export interface GuildPlanWrite {
  guildId: string;
  /** Planned rows to drop, each only if still as read. */
  remove: readonly DeliveryRecord[];
  /** Rows to move, each only if still as read. */
  save: ReadonlyArray<{ next: DeliveryRecord; expected: ExpectedRow }>;
  /** New planned rows; rows that already exist (in any state) are kept. */
  insert: readonly PlannedDelivery[];
  /** The settings version the rows now follow; absent for a server without settings. */
  settingsVersion?: number;
}

/**
 * The deliveries table: the queue of due work and the record of every post. It stores and loads;
 * every decision about states is the lifecycle module's (`src/domain/delivery-lifecycle.ts`).
 * Implemented for SQLite (`sqlite-delivery-repository.ts`) and Postgres (`postgres/`); one
 * contract test suite runs against both.
 */
export interface DeliveryRepository {
  find(key: DeliveryKey): Promise<DeliveryRecord | undefined>;
  /** Writes planned rows at once; rows that already exist (in any state) are kept. */
  insertPlanned(rows: readonly PlannedDelivery[], now: Date): Promise<number>;
  /**
   * Stores the lifecycle's next record, only if the row is still as the caller read it (same
   * status and attempts): of two processes claiming one delivery, exactly one wins. With a fence,
   * only while the fence's epoch is still the newest.
   */
  save(next: DeliveryRecord, expected: ExpectedRow, fence?: DispatcherFence): Promise<boolean>;
  /** Drops a row that was only planned, if it is still as the caller read it. */
  remove(key: DeliveryKey, expected: ExpectedRow): Promise<boolean>;
  /**
   * Writes the plans of a batch of servers in one transaction (a commit per server would dominate
   * the cost); returns how many rows were inserted.
   */
  writePlans(plans: readonly GuildPlanWrite[], now: Date): Promise<number>;
  /** Deliveries whose next attempt has come while their window is open, oldest first. */
  listDue(now: Date, limit: number): Promise<DeliveryRecord[]>;
  /** The keys alone of every due delivery: a fan-out to 10,000 servers queues 10,000 of them. */
  listDueKeys(now: Date): Promise<DeliveryKey[]>;
  /** Every delivery whose window has closed while it waited, settled in one statement. */
  closeWindows(now: Date): Promise<number>;
  /**
   * Claims that can no longer be in flight become in doubt, due at once: those of an earlier
   * process or dispatcher (any age), and this process's own past the lease (an error escaped).
   */
  expireClaims(bootId: string, now: Date): Promise<number>;
  /** A server's deliveries that are not final: what a settings change may affect. */
  listUnsettledForGuild(guildId: string): Promise<DeliveryRecord[]>;
  /** A server's next planned posts, in time order. */
  listPlanned(guildId: string, now: Date, limit: number): Promise<DeliveryRecord[]>;
  /** A server's deliveries that have been attempted or settled, the latest change first. */
  listForGuild(guildId: string, limit: number): Promise<DeliveryRecord[]>;
  countByStatus(): Promise<Record<string, number>>;
  /**
   * Sent posts with a follow-up step (publishing, the thread) due at `now`, those sent first
   * first (see `src/domain/post-follow-ups.ts`).
   */
  listDueFollowUps(now: Date, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Stores a sent post's follow-ups and nothing else, only if they are still as the caller read
   * them (each step's state and next attempt): of two processes, one records. With a fence, only
   * while its epoch is still the newest.
   */
  saveFollowUps(
    next: DeliveryRecord,
    expected: ExpectedFollowUps,
    fence?: DispatcherFence,
  ): Promise<boolean>;
  /** Servers whose settings changed since their rows were planned (or that were never planned). */
  listGuildsToPlan(): Promise<string[]>;
}
