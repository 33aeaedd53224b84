import {
  type CatalogEventType,
  type FeedCursor,
  feedPrunedError,
  type InnkeeperEvent,
  type NewEvent,
} from '@innkeeper/core/store';

/**
 * The memory store's change feed: the events in seq order, what was pruned, and the
 * consumers' named cursors. Synchronous, like `MemoryTables`: the store appends inside
 * the same synchronous section as the change the event describes.
 */
export class MemoryChangeFeed {
  /** Ascending by seq; pruning removes from the front. */
  private events: InnkeeperEvent[] = [];
  private lastSeq = 0;
  private prunedThrough = 0;
  private readonly cursors = new Map<string, FeedCursor>();

  append(event: NewEvent): void {
    const { type, at, hotelId, reservationId, days } = event;
    this.lastSeq++;
    this.events.push({ seq: this.lastSeq, type, at, hotelId, reservationId, days });
  }

  /** A catalog write's event: no reservation, no days (see `CatalogEventType`). */
  appendCatalog(type: CatalogEventType, at: string, hotelId: string): void {
    this.append({ type, at, hotelId, reservationId: null, days: [] });
  }

  /** Copies of the events with `seq > afterSeq`, at most `limit`; `FEED_PRUNED` when behind. */
  after(afterSeq: number, limit: number): InnkeeperEvent[] {
    if (afterSeq < this.prunedThrough) throw feedPrunedError(afterSeq, this.prunedThrough);
    // Seqs are contiguous from the oldest kept one, so the first wanted is found by offset.
    const oldest = this.events[0]?.seq ?? this.lastSeq + 1;
    const first = Math.max(0, Math.floor(afterSeq) - oldest + 1);
    return this.events
      .slice(first, first + Math.max(limit, 0))
      .map((e) => ({ ...e, days: e.days.map((d) => ({ ...d })) }));
  }

  /** `pruneEvents`: the oldest matching events up to `limit`, never the newest one. */
  prune(command: { before: string; throughSeq?: number; limit: number }): {
    pruned: number;
    prunedThrough: number;
  } {
    const { before, throughSeq = Number.POSITIVE_INFINITY, limit } = command;
    let count = 0;
    while (
      count < Math.max(limit, 0) &&
      count < this.events.length - 1 &&
      (this.events[count] as InnkeeperEvent).at < before &&
      (this.events[count] as InnkeeperEvent).seq <= throughSeq
    ) {
      count++;
    }
    if (count > 0) {
      this.prunedThrough = Math.max(
        this.prunedThrough,
        (this.events[count - 1] as InnkeeperEvent).seq,
      );
      this.events = this.events.slice(count);
    }
    return { pruned: count, prunedThrough: this.prunedThrough };
  }

  saveCursor(cursor: FeedCursor): void {
    this.cursors.set(cursor.name, { ...cursor });
  }

  listCursors(): FeedCursor[] {
    return [...this.cursors.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => ({ ...c }));
  }

  deleteCursor(name: string): boolean {
    return this.cursors.delete(name);
  }

  /** Events held (for tests and diagnostics). */
  get size(): number {
    return this.events.length;
  }
}
