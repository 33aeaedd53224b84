import type { InnkeeperEvent } from '@innkeeper/core';
import { type FeedCursor, feedPrunedError } from '@innkeeper/core/store';
import { type EventRow, eventFromRow } from './sqlite-rows.js';
import type { Query } from './sqlite-statements.js';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * The SQLite store's change feed beyond appending (which each command does in its own
 * transaction): reading with the pruned check, pruning, and the consumers' cursors
 * (migration 8).
 *
 * `seq` is the events table's rowid, which SQLite hands out as one more than the largest
 * in the table: pruning therefore never deletes the newest event, or the next append
 * could reuse a seq a reader has already passed.
 */
export class SqliteChangeFeed {
  private readonly st;

  constructor(db: SqliteDatabase, t: SqliteTableNames) {
    const q = <Row = never>(sql: string) => db.prepare(sql) as unknown as Query<Row>;
    this.st = {
      read: q<EventRow>(`SELECT * FROM ${t.events} WHERE seq > ? ORDER BY seq LIMIT ?`),
      prunedThrough: q<{ pruned_through: number }>(
        `SELECT pruned_through FROM ${t.feedState} WHERE id = 1`,
      ),
      // The oldest events in seq order, up to the limit: pruning takes a prefix of them.
      head: q<{ seq: number; at: string }>(`SELECT seq, at FROM ${t.events} ORDER BY seq LIMIT ?`),
      newest: q<{ seq: number | null }>(`SELECT max(seq) AS seq FROM ${t.events}`),
      deleteThrough: q(`DELETE FROM ${t.events} WHERE seq <= ?`),
      raise: q(`UPDATE ${t.feedState} SET pruned_through = max(pruned_through, ?) WHERE id = 1`),
      saveCursor: q(`INSERT INTO ${t.feedCursors} (name, seq, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`),
      cursors: q<{ name: string; seq: number; updated_at: string }>(
        `SELECT name, seq, updated_at FROM ${t.feedCursors} ORDER BY name`,
      ),
      deleteCursor: q(`DELETE FROM ${t.feedCursors} WHERE name = ?`),
    };
  }

  /**
   * Events after `afterSeq`, then the pruned-through seq: it only rises, so if it is not
   * past `afterSeq` after the read, no prune took anything the read should have returned.
   */
  read(afterSeq: number, limit: number): InnkeeperEvent[] {
    const events = this.st.read.all(afterSeq, limit).map(eventFromRow);
    const prunedThrough = this.prunedThrough();
    if (afterSeq < prunedThrough) throw feedPrunedError(afterSeq, prunedThrough);
    return events;
  }

  /** `pruneEvents`, inside the store's write transaction. */
  pruneInside(command: { before: string; throughSeq?: number; limit: number }): {
    pruned: number;
    prunedThrough: number;
  } {
    const { before, throughSeq = Number.POSITIVE_INFINITY, limit } = command;
    const newest = this.st.newest.get()?.seq ?? 0;
    let last = 0;
    let pruned = 0;
    // A prefix in seq order: an event out of `at` order stops the prune rather than
    // being left behind below the pruned-through seq, where nobody could read it.
    for (const { seq, at } of this.st.head.all(Math.max(limit, 0))) {
      if (seq >= newest || seq > throughSeq || at >= before) break;
      last = seq;
      pruned++;
    }
    if (pruned > 0) {
      this.st.deleteThrough.run(last);
      this.st.raise.run(last);
    }
    return { pruned, prunedThrough: this.prunedThrough() };
  }

  saveCursor(cursor: FeedCursor): void {
    this.st.saveCursor.run(cursor.name, cursor.seq, cursor.updatedAt);
  }

  cursors(): FeedCursor[] {
    return this.st.cursors
      .all()
      .map((row) => ({ name: row.name, seq: row.seq, updatedAt: row.updated_at }));
  }

  deleteCursor(name: string): boolean {
    return this.st.deleteCursor.run(name).changes === 1;
  }

  private prunedThrough(): number {
    return this.st.prunedThrough.get()?.pruned_through ?? 0;
  }
}
