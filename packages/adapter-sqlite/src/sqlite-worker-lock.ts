import { randomUUID } from 'node:crypto';
import { DEFAULT_INTERVALS, type LockName, type WorkerLock } from '@innkeeper/core';
import { invalid } from '@innkeeper/core/store';
import Database from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite-store-config.js';
import { DEFAULT_SQLITE_TABLE_PREFIX, tablePrefixProblem } from './sqlite-table-names.js';

export interface SqliteWorkerLockOptions {
  /** The store's table prefix: the lease table is `<prefix>worker_leases`. */
  tablePrefix?: string;
  /**
   * How long a lease lasts without renewal, per job (default: three times the job's
   * default interval, so a leader renews it at every turn). A leader that dies hands its
   * job over when its lease lapses.
   */
  leaseMs?: number | ((job: LockName) => number);
  /** Who holds the leases (default: a random id per lock). */
  owner?: string;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

/**
 * One leader per worker job among the processes sharing a SQLite file: a lease row per
 * job, taken when free or expired and renewed by its holder at every turn, each in one
 * atomic statement (SQLite serializes writers, so two processes never both take it). A
 * process can die without a word, so a lease is a time limit: its job moves on when it
 * lapses.
 */
export function createSqliteWorkerLock(
  connection: { filename: string } | { database: SqliteDatabase },
  options: SqliteWorkerLockOptions = {},
): WorkerLock & { close(): void } {
  const prefix = options.tablePrefix ?? DEFAULT_SQLITE_TABLE_PREFIX;
  const problem = tablePrefixProblem(prefix);
  if (problem) throw invalid([{ path: ['tablePrefix'], message: problem }]);
  const owned = 'filename' in connection;
  const db: SqliteDatabase = owned
    ? new Database(connection.filename, { timeout: 5000 })
    : connection.database;
  const table = `${prefix}worker_leases`;
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    job TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
  const owner = options.owner ?? randomUUID();
  const now = options.now ?? Date.now;
  const leaseOf = (job: LockName) => {
    const lease = options.leaseMs;
    if (typeof lease === 'function') return lease(job);
    // An erasure holds its lock for the length of one call: ten minutes outlast any.
    return lease ?? (job === 'erase-guest' ? 600_000 : 3 * DEFAULT_INTERVALS[job]);
  };
  // Taken when nobody holds it, renewed by its holder, taken over once it lapsed.
  const take = db.prepare(`INSERT INTO ${table} (job, owner, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
    WHERE ${table}.owner = excluded.owner OR ${table}.expires_at <= ?`);
  const give = db.prepare(`DELETE FROM ${table} WHERE job = ? AND owner = ?`);

  return {
    async acquire(job) {
      const at = now();
      return take.run(job, owner, at + leaseOf(job), at).changes === 1;
    },
    async release(job) {
      give.run(job, owner);
    },
    close() {
      if (owned) db.close();
    },
  };
}
