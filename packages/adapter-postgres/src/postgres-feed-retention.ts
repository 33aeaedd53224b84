import { type FeedCursor, feedPrunedError } from '@innkeeper/core/store';
import { toCount } from './postgres-rows.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

const READ: RunOptions = { idempotent: true };

/**
 * The Postgres store's change-feed retention (migration 10): pruning, the pruned-through
 * seq readers are checked against, and the consumers' named cursors.
 *
 * Pruning takes a prefix of the feed in seq order, so nothing is ever left below the
 * pruned-through seq where no reader could reach it. It stops at the first event newer
 * than the retention or past the cursor bound, and never takes the newest event. An
 * event whose transaction is still committing cannot be in the prefix: the retention is
 * days, and cursors only pass seqs the feed has settled (`readSettledEvents`). A prune
 * holds the events table's RowExclusiveLock like a writer, so a reader waiting at a hole
 * may wait for it too: one batch, bounded by `feedWaitMs` like any wait there.
 */
export class PostgresFeedRetention {
  private readonly sql;

  constructor(
    private readonly executor: PostgresExecutor,
    s: string,
    statementPrefix: string,
  ) {
    const named = (name: string, text: string) => ({ name: `${statementPrefix}${name}`, text });
    this.sql = {
      prunedThrough: named(
        'feedPrunedThrough',
        `SELECT pruned_through FROM ${s}.feed_state WHERE id = 1`,
      ),
      // $1 before, $2 through seq (NULL: no bound), $3 limit. One statement: the delete and
      // the raised pruned-through seq commit together.
      prune: named(
        'pruneEvents',
        `WITH head AS (
           SELECT seq, at FROM ${s}.events ORDER BY seq LIMIT $3
         ), stop AS (
           SELECT least(
             (SELECT min(seq) FROM head WHERE at >= $1::timestamptz
                OR ($2::bigint IS NOT NULL AND seq > $2::bigint)),
             (SELECT max(seq) FROM ${s}.events)
           ) AS seq
         ), gone AS (
           DELETE FROM ${s}.events e USING head h, stop
           WHERE e.seq = h.seq AND (stop.seq IS NULL OR h.seq < stop.seq)
           RETURNING e.seq
         ), raised AS (
           UPDATE ${s}.feed_state
              SET pruned_through = greatest(pruned_through, (SELECT max(seq) FROM gone))
            WHERE id = 1 AND EXISTS (SELECT 1 FROM gone)
           RETURNING pruned_through
         )
         SELECT (SELECT count(*) FROM gone)::integer AS pruned,
                coalesce((SELECT pruned_through FROM raised),
                         (SELECT pruned_through FROM ${s}.feed_state WHERE id = 1)) AS pruned_through`,
      ),
      saveCursor: named(
        'saveFeedCursor',
        `INSERT INTO ${s}.feed_cursors (name, seq, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
      ),
      cursors: named(
        'listFeedCursors',
        `SELECT name, seq, ${s}.iso_instant(updated_at) AS updated_at
         FROM ${s}.feed_cursors ORDER BY name`,
      ),
      deleteCursor: named('deleteFeedCursor', `DELETE FROM ${s}.feed_cursors WHERE name = $1`),
    };
  }

  /**
   * Throws `FEED_PRUNED` when a reader at `afterSeq` is behind the pruned-through seq.
   * Called after the events were read: the seq only rises, so if it is not past `afterSeq`
   * now, no prune took anything that read should have returned.
   */
  async checkReader(afterSeq: number): Promise<void> {
    const [row] = await this.executor.statement<{ pruned_through: string }>(
      'readEvents',
      { ...this.sql.prunedThrough, values: [] },
      READ,
    );
    const prunedThrough = toCount(row?.pruned_through);
    if (afterSeq < prunedThrough) throw feedPrunedError(afterSeq, prunedThrough);
  }

  async prune(command: { before: string; throughSeq?: number; limit: number }): Promise<{
    pruned: number;
    prunedThrough: number;
  }> {
    const { before, throughSeq, limit } = command;
    // Retrying after a lost connection prunes again by the same rule: harmless.
    const [row] = await this.executor.statement<{ pruned: number; pruned_through: string }>(
      'pruneEvents',
      { ...this.sql.prune, values: [before, throughSeq ?? null, Math.max(limit, 0)] },
      { idempotent: true },
    );
    return { pruned: toCount(row?.pruned), prunedThrough: toCount(row?.pruned_through) };
  }

  async saveCursor(cursor: FeedCursor): Promise<void> {
    await this.executor.count(
      'saveFeedCursor',
      { ...this.sql.saveCursor, values: [cursor.name, cursor.seq, cursor.updatedAt] },
      { idempotent: true },
    );
  }

  async cursors(): Promise<FeedCursor[]> {
    const rows = await this.executor.statement<{ name: string; seq: string; updated_at: string }>(
      'listFeedCursors',
      { ...this.sql.cursors, values: [] },
      READ,
    );
    return rows.map((row) => ({
      name: row.name,
      seq: toCount(row.seq),
      updatedAt: row.updated_at,
    }));
  }

  async deleteCursor(name: string): Promise<boolean> {
    const deleted = await this.executor.count(
      'deleteFeedCursor',
      { ...this.sql.deleteCursor, values: [name] },
      { idempotent: true },
    );
    return deleted === 1;
  }
}
