import { fromEpochDay, type IsoDate, toEpochDay } from './calendar-date.js';
import type { CalendarDay } from './calendar-day.js';

/** Whether a count fits the 32-bit arrays (counts are never negative). */
function fitsCount(count: number): boolean {
  return Number.isInteger(count) && count >= 0 && count <= 2_147_483_647;
}

/** `flags` bits of a night: a row is held there, and its `stopSell`. */
const HELD = 1;
const STOP_SELL = 2;

/**
 * One (hotel, room type)'s calendar rows by date, in typed arrays: 21 bytes a night (the
 * rate in 8, as rates go up to 10^12 minor units; `total`, `overbookingLimit` and
 * `reserved` in 4 each; the flags in 1), where a `CalendarDay` object takes a few hundred
 * and is one more object for the garbage collector to walk and copy. The engine's pricing
 * cache and the memory store keep their calendars here. At the seed's scale (7.3M rows)
 * rows as objects took about 250 MB of the heap (1.72 → 1.46 GB once they went), and
 * every booking stored three new row objects into old arrays, which each young collection
 * then had to trace.
 *
 * Rows are kept in blocks of `blockDays` consecutive days, numbered from 1970-01-01. A
 * block takes a slot in the arrays the first time one of its days is written, and a night
 * is found by arithmetic on its day number: a stay's nights are neighbouring slots. The
 * blocks of a room type share one set of arrays, grown by half when full. A block whose
 * last row is deleted (archived) gives its slot back for the next new block, and the
 * arrays shrink when most of them are free: memory follows the rows held, never how far
 * apart their dates are (a row dated 9999 beside 2027 is one more block).
 *
 * What is read is a new `CalendarDay` built from the columns: the caller owns it, and
 * nothing it does to it reaches what is held.
 */
export class DayColumns {
  /** Where each block is in the arrays (its slot), by day number divided by `blockDays`. */
  private readonly slots = new Map<number, number>();
  /** Slots given back by emptied blocks, reused before the arrays grow. */
  private free: number[] = [];
  private rows = 0;
  private rate: Float64Array;
  /** `total`, `overbookingLimit` and `reserved` of night `i` at `3i`, `3i + 1`, `3i + 2`. */
  private counts: Int32Array;
  private flags: Uint8Array;

  constructor(
    readonly hotelId: string,
    readonly roomTypeId: string,
    readonly blockDays: number,
  ) {
    this.rate = new Float64Array(blockDays);
    this.counts = new Int32Array(3 * blockDays);
    this.flags = new Uint8Array(blockDays);
  }

  /** Rows held. */
  get size(): number {
    return this.rows;
  }

  /** Nights held in blocks, a row or not: what the rows cost in memory. */
  get slotCount(): number {
    return this.slots.size * this.blockDays;
  }

  /** Nights the arrays have room for, held or free (for tests and diagnostics). */
  get allocatedNights(): number {
    return this.flags.length;
  }

  /** The block a day number falls in. */
  blockOf(day: number): number {
    return Math.floor(day / this.blockDays);
  }

  /** Whether the block holding `date` is held (a row of it was written). */
  holdsBlockOf(date: IsoDate): boolean {
    return this.slots.has(this.blockOf(toEpochDay(date)));
  }

  get(date: IsoDate): CalendarDay | undefined {
    const at = this.indexOf(toEpochDay(date));
    return at < 0 ? undefined : this.rowAt(at, date);
  }

  /**
   * Whether `day`'s counts fit the 32-bit arrays. The engine keeps them far below (100,000
   * rooms at most), but a count that would not fit must be refused, never stored wrapped:
   * a store checks every row of a write (`check`) before it writes any.
   */
  static canHold(day: CalendarDay): boolean {
    return fitsCount(day.total) && fitsCount(day.overbookingLimit) && fitsCount(day.reserved);
  }

  /** Throws the `RangeError` `set` would for a row whose counts do not fit. */
  static check(day: CalendarDay): void {
    if (!DayColumns.canHold(day)) {
      throw new RangeError(`Calendar counts out of range on ${day.roomTypeId}@${day.date}`);
    }
  }

  /** Writes the row of `day.date`; answers how many nights that added in blocks (0 or a block). */
  set(day: CalendarDay): number {
    DayColumns.check(day);
    const epochDay = toEpochDay(day.date);
    const block = this.blockOf(epochDay);
    let slot = this.slots.get(block);
    let added = 0;
    if (slot === undefined) {
      slot = this.free.pop() ?? this.slots.size;
      this.makeRoomFor(slot + 1);
      this.slots.set(block, slot);
      added = this.blockDays;
    }
    const at = slot * this.blockDays + (epochDay - block * this.blockDays);
    if (((this.flags[at] ?? 0) & HELD) === 0) this.rows++;
    // Rates are never negative: -1 stands for `null` (the room type's base rate).
    this.rate[at] = day.rate ?? -1;
    this.counts[3 * at] = day.total;
    this.counts[3 * at + 1] = day.overbookingLimit;
    this.counts[3 * at + 2] = day.reserved;
    this.flags[at] = HELD | (day.stopSell ? STOP_SELL : 0);
    return added;
  }

  /** Deletes the row of `date` (archived), if held. */
  delete(date: IsoDate): void {
    const epochDay = toEpochDay(date);
    const block = this.blockOf(epochDay);
    const slot = this.slots.get(block);
    if (slot === undefined) return;
    const first = slot * this.blockDays;
    const at = first + (epochDay - block * this.blockDays);
    if (((this.flags[at] ?? 0) & HELD) === 0) return;
    this.flags[at] = 0;
    this.rows--;
    // Archiving deletes whole runs of old dates: a block's slot goes with its last row.
    // Emptied slots are reused first; the arrays shrink when half of them are free.
    if (this.flags.subarray(first, first + this.blockDays).some((flags) => flags !== 0)) return;
    this.slots.delete(block);
    this.free.push(slot);
    if (this.capacity() > 2 && this.slots.size <= this.capacity() / 2) this.compact();
  }

  /** The rows dated in `[from, to)`, in date order, appended to `into`. */
  collect(from: IsoDate, to: IsoDate, into: CalendarDay[]): void {
    const end = toEpochDay(to);
    // Block by block: one lookup of a block's slot for all its nights in the range.
    for (let day = toEpochDay(from); day < end; ) {
      const block = this.blockOf(day);
      const blockEnd = Math.min(end, (block + 1) * this.blockDays);
      const slot = this.slots.get(block);
      if (slot !== undefined) {
        // Night `day` of this block is at `offset + day` in the arrays.
        const offset = (slot - block) * this.blockDays;
        for (; day < blockEnd; day++) {
          const at = offset + day;
          if (((this.flags[at] ?? 0) & HELD) !== 0) into.push(this.rowAt(at, fromEpochDay(day)));
        }
      }
      day = blockEnd;
    }
  }

  /** Every night of `[from, to)`, or `null` when any of them has no row. */
  range(from: IsoDate, to: IsoDate): CalendarDay[] | null {
    const days: CalendarDay[] = [];
    this.collect(from, to, days);
    return days.length === Math.max(0, toEpochDay(to) - toEpochDay(from)) ? days : null;
  }

  /** Every row, in date order. */
  *values(): IterableIterator<CalendarDay> {
    const blocks = [...this.slots.keys()].sort((a, b) => a - b);
    for (const block of blocks) {
      for (let day = block * this.blockDays; day < (block + 1) * this.blockDays; day++) {
        const at = this.indexOf(day);
        if (at >= 0) yield this.rowAt(at, fromEpochDay(day));
      }
    }
  }

  /** Where the row of a day number is in the arrays, or -1 when none is held. */
  private indexOf(epochDay: number): number {
    const block = this.blockOf(epochDay);
    const slot = this.slots.get(block);
    if (slot === undefined) return -1;
    const at = slot * this.blockDays + (epochDay - block * this.blockDays);
    return ((this.flags[at] ?? 0) & HELD) === 0 ? -1 : at;
  }

  private rowAt(at: number, date: IsoDate): CalendarDay {
    const rate = this.rate[at] ?? -1;
    return {
      hotelId: this.hotelId,
      roomTypeId: this.roomTypeId,
      date,
      total: this.counts[3 * at] ?? 0,
      overbookingLimit: this.counts[3 * at + 1] ?? 0,
      reserved: this.counts[3 * at + 2] ?? 0,
      stopSell: ((this.flags[at] ?? 0) & STOP_SELL) !== 0,
      rate: rate < 0 ? null : rate,
    };
  }

  /** Blocks the arrays have room for. */
  private capacity(): number {
    return this.flags.length / this.blockDays;
  }

  /**
   * Grows the arrays to hold at least `blocks` blocks, by half again (at least one block),
   * copying what they hold: a year of one room type in blocks of 32 days (12 or 13 blocks)
   * fits in 13 without waste, after six copies of at most 9 blocks.
   */
  private makeRoomFor(blocks: number): void {
    const capacity = this.capacity();
    if (blocks <= capacity) return;
    this.resize(Math.max(blocks, Math.floor(capacity * 1.5)), (slot) => slot);
  }

  /**
   * Moves the blocks held to the front of arrays half the size, once half the slots are
   * free (after archiving): a room type's arrays shrink with its rows, down to two blocks.
   * Growth is by half again, so a block added and removed at the boundary does not copy
   * the arrays each time (two blocks are never shrunk, for the same reason at one and two).
   */
  private compact(): void {
    const moved = new Map<number, number>();
    for (const slot of this.slots.values()) moved.set(slot, moved.size);
    for (const [block, slot] of this.slots) this.slots.set(block, moved.get(slot) ?? slot);
    this.free = [];
    this.resize(Math.max(1, Math.ceil(this.capacity() / 2)), (slot) => moved.get(slot));
  }

  /** New arrays of `blocks` blocks, each old slot's nights copied to `moveTo(slot)`. */
  private resize(blocks: number, moveTo: (slot: number) => number | undefined): void {
    const n = this.blockDays;
    const rate = new Float64Array(blocks * n);
    const counts = new Int32Array(3 * blocks * n);
    const flags = new Uint8Array(blocks * n);
    for (let slot = 0; slot < this.capacity(); slot++) {
      const to = moveTo(slot);
      if (to === undefined) continue;
      rate.set(this.rate.subarray(slot * n, (slot + 1) * n), to * n);
      counts.set(this.counts.subarray(3 * slot * n, 3 * (slot + 1) * n), 3 * to * n);
      flags.set(this.flags.subarray(slot * n, (slot + 1) * n), to * n);
    }
    this.rate = rate;
    this.counts = counts;
    this.flags = flags;
  }
}
