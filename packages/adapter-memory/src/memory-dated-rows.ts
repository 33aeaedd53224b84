import { type CalendarDay, type IsoDate, toEpochDay } from '@innkeeper/core';

/** Days per block: two blocks cover any stay of up to 65 nights. */
const BLOCK_DAYS = 64;

/** The block a day number falls in; its slot there is `day - block * BLOCK_DAYS`. */
function blockOf(day: number): number {
  return Math.floor(day / BLOCK_DAYS);
}

/**
 * One (hotel, room type)'s calendar rows, by date: blocks of 64 consecutive days, each an
 * array with a slot per day, found by block number (days since 1970-01-01, divided by 64).
 * A night is read by arithmetic on its day number and a stay's nights are neighbouring
 * slots, instead of a `Map` of date strings: at the seed's scale (7.3M rows) that `Map`
 * made a search's read of 28 nights several cache misses per night, most of a search's
 * time in this store. Memory grows with the rows held (a block is dropped when its last
 * row goes), never with how far apart their dates are: a row dated 9999 beside 2027 costs
 * one more block.
 */
export class DatedRows {
  /** Block number → its 64 slots (at least one not empty). */
  private readonly blocks = new Map<number, (CalendarDay | undefined)[]>();
  private count = 0;

  /** Rows held. */
  get size(): number {
    return this.count;
  }

  /** Slots allocated, empty or not: what the rows cost beyond themselves. */
  get slotCount(): number {
    return this.blocks.size * BLOCK_DAYS;
  }

  get(date: IsoDate): CalendarDay | undefined {
    const day = toEpochDay(date);
    const block = blockOf(day);
    return this.blocks.get(block)?.[day - block * BLOCK_DAYS];
  }

  set(row: CalendarDay): void {
    const day = toEpochDay(row.date);
    const block = blockOf(day);
    let slots = this.blocks.get(block);
    if (!slots) {
      slots = new Array<CalendarDay | undefined>(BLOCK_DAYS).fill(undefined);
      this.blocks.set(block, slots);
    }
    const i = day - block * BLOCK_DAYS;
    if (slots[i] === undefined) this.count++;
    slots[i] = row;
  }

  delete(date: IsoDate): void {
    const day = toEpochDay(date);
    const block = blockOf(day);
    const slots = this.blocks.get(block);
    const i = day - block * BLOCK_DAYS;
    if (slots?.[i] === undefined) return;
    slots[i] = undefined;
    this.count--;
    // Archiving deletes whole runs of old dates: their blocks go with their last row.
    if (slots.every((slot) => slot === undefined)) this.blocks.delete(block);
  }

  /** The rows dated in `[from, to)`, in date order, appended to `into`. */
  collect(from: IsoDate, to: IsoDate, into: CalendarDay[]): void {
    const end = toEpochDay(to);
    let block = Number.NaN;
    let slots: (CalendarDay | undefined)[] | undefined;
    for (let day = toEpochDay(from); day < end; day++) {
      const at = blockOf(day);
      if (at !== block) {
        block = at;
        slots = this.blocks.get(block);
      }
      const row = slots?.[day - block * BLOCK_DAYS];
      if (row) into.push(row);
    }
  }

  /** Every row, in date order. */
  *values(): IterableIterator<CalendarDay> {
    const order = [...this.blocks.keys()].sort((a, b) => a - b);
    for (const block of order) {
      for (const row of this.blocks.get(block) ?? []) if (row) yield row;
    }
  }
}
