import type { InnkeeperEvent } from '@innkeeper/core';
import type { Queries } from './postgres-queries.js';
import { type EventRow, toCount, toEvent } from './postgres-rows.js';
import type { PostgresExecutor } from './postgres-transaction.js';

/**
 * Reading the change feed without ever skipping an event.
 *
 * `seq` comes from a sequence, drawn by each command's event insert once the command
 * holds all its row locks, so seq order is an order in which the commands could have
 * run one after another. But sequence values are handed out before commit, not in
 * commit order: while the command that drew seq 41 is still committing, the one that
 * drew 42 may already be visible. A reader that returned 42 and moved its cursor past
 * it would never see 41.
 *
 * The rule: return events only up to the first hole in the sequence. A run of seqs
 * with no hole is final (every number in it is committed, and no later commit can land
 * inside it). At a hole, the drawer of the missing seq is either still running or
 * rolled back: the reader looks up the transactions that hold the lock every event
 * insert takes (RowExclusiveLock on the events table, taken before the seq is drawn),
 * waits for them to end (at most `feedWaitMs`), and then everything up to the last seq
 * it saw is final; holes that remain were rolled back and are skipped for good. If the
 * wait times out, it returns the part before the hole, which is always safe.
 *
 * Unlike a snapshot-xmin rule (`txid < pg_snapshot_xmin(...)`), this never waits for
 * transactions that cannot hold a seq (another schema's, another database's, a long
 * report), and a writer reads its own event as soon as it has committed. Holes are
 * rare: a seq is drawn by the last statement of a command, so only a transaction that
 * fails in its final insert or its COMMIT leaves one.
 */
export async function readSettledEvents(
  executor: PostgresExecutor,
  queries: Queries,
  eventsTable: string,
  afterSeq: number,
  limit: number,
  feedWaitMs: number,
): Promise<InnkeeperEvent[]> {
  const after = Math.max(Math.floor(afterSeq), 0);
  const read = { idempotent: true };
  const first = await executor.statement<EventRow>(
    'readEvents',
    { ...queries.readEvents, values: [after, limit] },
    read,
  );
  const settled = contiguousPrefix(first, after);
  if (settled === first.length) return first.map(toEvent);

  const [{ writers }] = (await executor.statement<{ writers: string[] }>(
    'readEvents',
    { ...queries.eventWriters, values: [eventsTable] },
    read,
  )) as [{ writers: string[] }];
  if (!(await waitUntilEnded(executor, queries, writers, feedWaitMs))) {
    return first.slice(0, settled).map(toEvent);
  }
  const lastSeen = toCount(first[first.length - 1]?.seq);
  const final = await executor.statement<EventRow>(
    'readEvents',
    { ...queries.readEventsUpTo, values: [after, limit, lastSeen] },
    read,
  );
  return final.map(toEvent);
}

/** How many rows, from the start, carry after + 1, after + 2, ... with no hole. */
function contiguousPrefix(rows: EventRow[], after: number): number {
  let expected = after + 1;
  for (let i = 0; i < rows.length; i++) {
    if (toCount(rows[i]?.seq) !== expected) return i;
    expected++;
  }
  return rows.length;
}

async function waitUntilEnded(
  executor: PostgresExecutor,
  queries: Queries,
  writers: string[],
  feedWaitMs: number,
): Promise<boolean> {
  if (writers.length === 0) return true;
  const deadline = Date.now() + feedWaitMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    const [row] = await executor.statement<{ running: number }>(
      'readEvents',
      { ...queries.runningOf, values: [writers] },
      { idempotent: true },
    );
    if (toCount(row?.running) === 0) return true;
    if (Date.now() + pause > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
