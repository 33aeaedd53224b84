import type { CalendarDay } from '@innkeeper/core';
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
  private events: KeptEvent[] = [];
  private lastSeq = 0;
  private prunedThrough = 0;
  private readonly cursors = new Map<string, FeedCursor>();

  append(event: NewEvent): void {
    const { type, at, hotelId, reservationId, days } = event;
    this.lastSeq++;
    this.events.push({ seq: this.lastSeq, type, at, hotelId, reservationId, rows: flatten(days) });
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
      .map(({ seq, type, at, hotelId, reservationId, rows }) => ({
        seq,
        type,
        at,
        hotelId,
        reservationId,
        days: unflatten(rows),
      }));
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
      (this.events[count] as KeptEvent).at < before &&
      (this.events[count] as KeptEvent).seq <= throughSeq
    ) {
      count++;
    }
    if (count > 0) {
      this.prunedThrough = Math.max(this.prunedThrough, (this.events[count - 1] as KeptEvent).seq);
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

/**
 * An event as the feed keeps it: its rows' fields in one flat array, `ROW_FIELDS` a row,
 * instead of an array of row objects. Every booking appends an event the feed keeps until it
 * is pruned, and a 3-night booking's rows were four more objects to keep (an array and three
 * rows) where this is one: about 100 bytes less a booking (1,890–1,910 against 2,000 kept in
 * all). `after` builds the rows again for the few who read them.
 */
interface KeptEvent extends Omit<InnkeeperEvent, 'days'> {
  rows: readonly RowField[];
}

type RowField = CalendarDay[keyof CalendarDay];
const ROW_FIELDS = 8;

function flatten(days: readonly CalendarDay[]): RowField[] {
  // Made at its length: pushed row by row, it grew twice on a 3-night booking and kept the
  // room it grew into beyond its length (about 50 bytes an event).
  const rows = new Array<RowField>(days.length * ROW_FIELDS);
  let at = 0;
  for (const day of days) {
    rows[at++] = day.hotelId;
    rows[at++] = day.roomTypeId;
    rows[at++] = day.date;
    rows[at++] = day.total;
    rows[at++] = day.overbookingLimit;
    rows[at++] = day.reserved;
    rows[at++] = day.stopSell;
    rows[at++] = day.rate;
  }
  return rows;
}

function unflatten(rows: readonly RowField[]): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let at = 0; at < rows.length; at += ROW_FIELDS) {
    days.push({
      hotelId: rows[at] as string,
      roomTypeId: rows[at + 1] as string,
      date: rows[at + 2] as string,
      total: rows[at + 3] as number,
      overbookingLimit: rows[at + 4] as number,
      reserved: rows[at + 5] as number,
      stopSell: rows[at + 6] as boolean,
      rate: rows[at + 7] as number | null,
    });
  }
  return days;
}
