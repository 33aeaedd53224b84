import { z } from 'zod';
import { entityIdSchema } from '../catalog/ids.js';
import type { InnkeeperEvent } from '../port/events.js';
import type { FeedCursor } from '../port/store-arguments.js';
import { readEventsArgumentsSchema } from './call-arguments.js';
import type { EngineContext } from './engine-context.js';
import { parse } from './engine-context.js';

/** How long events are kept once every consumer has read them (default). */
export const DEFAULT_FEED_RETENTION_DAYS = 7;
/** How long a cursor that does not move holds pruning back before it is ignored (default). */
export const DEFAULT_ABANDON_CURSOR_DAYS = 30;
/** Events deleted per store call while pruning. */
const PRUNE_BATCH = 5_000;
const DAY_MS = 24 * 3600 * 1000;

/** `createInnkeeper({ changeFeed })`: how long the change feed keeps what it has. */
export const changeFeedOptionsSchema = z.strictObject({
  /** Days an event is kept at least (default 7), read by every consumer or not. */
  retentionDays: z.number().positive().default(DEFAULT_FEED_RETENTION_DAYS),
  /**
   * Days after which a cursor that has not moved stops holding pruning back (default 30):
   * a consumer gone for good must not make the feed grow forever. If it comes back, it
   * gets `FEED_PRUNED` and resyncs.
   */
  abandonCursorsAfterDays: z.number().positive().default(DEFAULT_ABANDON_CURSOR_DAYS),
});
export type ChangeFeedOptions = z.input<typeof changeFeedOptionsSchema>;

/** `saveFeedCursor(input)`: a consumer records that it has applied every event up to `seq`. */
export const saveFeedCursorInputSchema = z.strictObject({
  name: entityIdSchema,
  seq: z.number().int().min(0),
});
export type SaveFeedCursorInput = z.input<typeof saveFeedCursorInputSchema>;

/** What one `pruneEvents()` run did. */
export interface FeedPruneRun {
  /** Events deleted. */
  pruned: number;
  /** The feed's pruned-through seq afterwards: reading after a lower seq is `FEED_PRUNED`. */
  prunedThrough: number;
  /** The cursor that stopped pruning short of the retention (the lowest live one), if any. */
  heldBy: string | null;
  /** Cursors ignored because they had not moved for `abandonCursorsAfterDays`. */
  abandoned: string[];
}

/**
 * The change feed as consumers and operators use it: reading, named cursors, and
 * pruning (docs/concepts.md, the change feed). An event goes once it is older than the retention *and*
 * every live cursor is past it; a consumer that keeps its cursor current therefore never
 * misses an event, and one that fell behind what was pruned is told (`FEED_PRUNED`).
 */
export class ChangeFeed {
  private readonly retentionDays: number;
  private readonly abandonAfterDays: number;

  /** Bad options are `VALIDATION` at `createInnkeeper` (paths under `changeFeed`). */
  constructor(
    private readonly context: EngineContext,
    options: ChangeFeedOptions = {},
  ) {
    const { changeFeed } = parse(z.object({ changeFeed: changeFeedOptionsSchema }), {
      changeFeed: options,
    });
    this.retentionDays = changeFeed.retentionDays;
    this.abandonAfterDays = changeFeed.abandonCursorsAfterDays;
  }

  readEvents(afterSeq?: number, limit?: number): Promise<InnkeeperEvent[]> {
    const args = parse(readEventsArgumentsSchema, { afterSeq, limit });
    return this.context.store.readEvents(args.afterSeq, args.limit);
  }

  async saveCursor(input: SaveFeedCursorInput): Promise<FeedCursor> {
    const { name, seq } = parse(saveFeedCursorInputSchema, input);
    const cursor = { name, seq, updatedAt: this.context.clock.now().toISOString() };
    await this.context.store.saveFeedCursor(cursor);
    return cursor;
  }

  listCursors(): Promise<FeedCursor[]> {
    return this.context.store.listFeedCursors();
  }

  deleteCursor(name: string): Promise<boolean> {
    return this.context.store.deleteFeedCursor(parse(entityIdSchema, name));
  }

  async prune(): Promise<FeedPruneRun> {
    const now = this.context.clock.now();
    const before = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    const abandonedBefore = new Date(now.getTime() - this.abandonAfterDays * DAY_MS).toISOString();
    const cursors = await this.context.store.listFeedCursors();
    const live = cursors.filter((c) => c.updatedAt >= abandonedBefore);
    const lowest = live.reduce<FeedCursor | null>(
      (low, c) => (low && low.seq <= c.seq ? low : c),
      null,
    );
    const run: FeedPruneRun = {
      pruned: 0,
      prunedThrough: 0,
      heldBy: null,
      abandoned: cursors.filter((c) => c.updatedAt < abandonedBefore).map((c) => c.name),
    };
    for (;;) {
      const batch = await this.context.store.pruneEvents({
        before,
        ...(lowest ? { throughSeq: lowest.seq } : {}),
        limit: PRUNE_BATCH,
      });
      run.pruned += batch.pruned;
      run.prunedThrough = batch.prunedThrough;
      if (batch.pruned < PRUNE_BATCH) break;
    }
    // Held back when the next event is old enough to go but the lowest cursor is not past it.
    if (lowest && run.prunedThrough >= lowest.seq) {
      const [next] = await this.context.store.readEvents(run.prunedThrough, 1);
      if (next && next.at < before) run.heldBy = lowest.name;
    }
    return run;
  }
}
