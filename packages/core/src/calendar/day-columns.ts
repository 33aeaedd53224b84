import { fromEpochDay, type IsoDate, toEpochDay } from './calendar-date.js';
import type { CalendarDay } from './calendar-day.js';

/** Whether a count fits the 32-bit arrays (counts are never negative). */
function fitsCount(count: number): boolean {
  return Number.isInteger(count) && count >= 0 && count <= 2_147_483_647;
}

/** Whether a rate fits its two 32-bit fields exactly: any safe integer, as the schema allows. */
function fitsRate(rate: number | null): boolean {
  return rate === null || (Number.isSafeInteger(rate) && rate >= 0);
}

/** `flags` bits of a night: a row is held there, and its `stopSell`. */
const HELD = 1;
const STOP_SELL = 2;

/**
 * A night's fields, side by side in one `Int32Array`. The rate takes two fields (rates
 * are integers up to 2^53, beyond 32 bits): `RATE_HIGH` is `-1` for `null` (the room
 * type's base rate).
 */
const FIELDS = 6;
const RATE_HIGH = 0;
const RATE_LOW = 1;
const TOTAL = 2;
const OVERBOOKING_LIMIT = 3;
const RESERVED = 4;
const FLAGS = 5;
const TWO_TO_32 = 2 ** 32;

/**
 * One hotel's calendar rows, every room type's, by date, in one typed array: 24 bytes a
 * night of a room type (six 32-bit fields: the rate in two; `total`, `overbookingLimit`,
 * `reserved` and the flags in one each), where a `CalendarDay` object takes a few hundred
 * and is one more object for the garbage collector to walk and copy. The engine's pricing
 * cache and the memory store keep their calendars here. At the seed's scale (7.3M rows)
 * rows as objects took about 250 MB of the heap (1.72 → 1.46 GB once they went), and
 * every booking stored three new row objects into old arrays, which each young collection
 * then had to trace.
 *
 * Rows are kept in blocks of `blockDays` consecutive days, numbered from 1970-01-01. A
 * block takes a slot in the array the first time one of its days is written, and a night
 * is found by arithmetic on its day number. Inside a block the nights go date by date and,
 * within a date, room type by room type (a column each, in the order they were first
 * written), every night's fields together. So a stay's nights over all the hotel's room
 * types, what a search reads, are one run of memory: at the seed's scale the hotel searched
 * is out of the CPU's caches, and one run (one lookup of its block, one array) is a few
 * cache lines and a page or two, where an array per room type (or per field) was as many
 * lookups, arrays and pages again. A new room type widens every block (the array is laid
 * out again); a room type whose last row goes takes its column with it.
 *
 * The blocks share one array, grown by half when full. A block whose last row is deleted
 * (archived) gives its slot back for the next new block, and the array shrinks when half of
 * them are free: memory follows the blocks and room types held, never how far apart their
 * dates are (a row dated 9999 beside 2027 is one more block).
 *
 * What is read is a new `CalendarDay` built from the array: the caller owns it, and nothing
 * it does to it reaches what is held.
 */
export class DayColumns {
  /** Where each block is in the array (its slot), by day number divided by `blockDays`. */
  private readonly slots = new Map<number, number>();
  /** Slots given back by emptied blocks, reused before the array grows. */
  private free: number[] = [];
  /** Room type id → its column. */
  private readonly columns = new Map<string, number>();
  /** Each column's room type id and rows held. */
  private columnIds: string[] = [];
  private columnRows: number[] = [];
  private rows = 0;
  /** The fields of night `d` of slot `s`, column `c` at `FIELDS * ((s * blockDays + d) * width + c)`. */
  private nights = new Int32Array(0);

  constructor(
    readonly hotelId: string,
    readonly blockDays: number,
  ) {}

  /** Rows held, over all room types. */
  get size(): number {
    return this.rows;
  }

  /** Rows held of one room type. */
  sizeOf(roomTypeId: string): number {
    const column = this.columns.get(roomTypeId);
    return column === undefined ? 0 : (this.columnRows[column] ?? 0);
  }

  /**
   * The room types holding rows, in the order they were first written. The array handed out
   * is never changed afterwards (a column added or dropped makes a new one), so a caller may
   * delete rows while it walks it.
   */
  roomTypeIds(): readonly string[] {
    return this.columnIds;
  }

  /**
   * Nights (a room type on a date) held in blocks, a row or not, over every column: what the
   * rows cost in memory.
   */
  get slotCount(): number {
    return this.slots.size * this.blockDays * this.width;
  }

  /** Nights (a room type on a date) the array has room for, held or free (diagnostics). */
  get allocatedNights(): number {
    return this.nights.length / FIELDS;
  }

  /** The block a day number falls in. */
  blockOf(day: number): number {
    return Math.floor(day / this.blockDays);
  }

  /**
   * The nights `set` would add to `slotCount` writing `days` (rows of this hotel): the
   * blocks new to it, over every column, and the room types new to it, over every block.
   */
  nightsAdding(days: readonly CalendarDay[]): number {
    const blocks = new Set<number>();
    const roomTypes = new Set<string>();
    for (const day of days) {
      const block = this.blockOf(toEpochDay(day.date));
      if (!this.slots.has(block)) blocks.add(block);
      if (!this.columns.has(day.roomTypeId)) roomTypes.add(day.roomTypeId);
    }
    const after = (this.slots.size + blocks.size) * this.blockDays * (this.width + roomTypes.size);
    return after - this.slotCount;
  }

  get(roomTypeId: string, date: IsoDate): CalendarDay | undefined {
    const column = this.columns.get(roomTypeId);
    if (column === undefined) return undefined;
    const at = this.indexOf(toEpochDay(date), column);
    return at < 0 ? undefined : this.rowAt(at, roomTypeId, date);
  }

  /**
   * Whether `day`'s counts and rate fit the 32-bit fields. The engine keeps counts far below
   * (100,000 rooms at most) and rates to safe integers, but a value that would not fit must
   * be refused, never stored wrapped: a store checks every row of a write (`check`) before
   * it writes any.
   */
  static canHold(day: CalendarDay): boolean {
    return (
      fitsCount(day.total) &&
      fitsCount(day.overbookingLimit) &&
      fitsCount(day.reserved) &&
      fitsRate(day.rate)
    );
  }

  /** Throws the `RangeError` `set` would for a row whose values do not fit. */
  static check(day: CalendarDay): void {
    if (!DayColumns.canHold(day)) {
      throw new RangeError(`Calendar row out of range on ${day.roomTypeId}@${day.date}`);
    }
  }

  /** Writes the row of `day.roomTypeId` on `day.date`; answers how many nights that added to `slotCount`. */
  set(day: CalendarDay): number {
    DayColumns.check(day);
    const before = this.slotCount;
    // The date first: a malformed one throws before a column is added for it.
    const epochDay = toEpochDay(day.date);
    const column = this.columns.get(day.roomTypeId) ?? this.addColumn(day.roomTypeId);
    const block = this.blockOf(epochDay);
    let slot = this.slots.get(block);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.slots.size;
      this.makeRoomFor(slot + 1);
      this.slots.set(block, slot);
    }
    const at = this.fieldsAt(slot, epochDay - block * this.blockDays, column);
    const nights = this.nights;
    if (((nights[at + FLAGS] ?? 0) & HELD) === 0) {
      this.rows++;
      this.columnRows[column] = (this.columnRows[column] ?? 0) + 1;
    }
    // Rates are never negative: a high part of -1 stands for `null` (the base rate).
    const rate = day.rate;
    nights[at + RATE_HIGH] = rate === null ? -1 : Math.floor(rate / TWO_TO_32);
    nights[at + RATE_LOW] = rate === null ? 0 : rate % TWO_TO_32;
    nights[at + TOTAL] = day.total;
    nights[at + OVERBOOKING_LIMIT] = day.overbookingLimit;
    nights[at + RESERVED] = day.reserved;
    nights[at + FLAGS] = HELD | (day.stopSell ? STOP_SELL : 0);
    return this.slotCount - before;
  }

  /** Deletes the row of `roomTypeId` on `date` (archived), if held. */
  delete(roomTypeId: string, date: IsoDate): void {
    const column = this.columns.get(roomTypeId);
    if (column === undefined) return;
    const epochDay = toEpochDay(date);
    const block = this.blockOf(epochDay);
    const slot = this.slots.get(block);
    if (slot === undefined) return;
    const at = this.fieldsAt(slot, epochDay - block * this.blockDays, column);
    if (((this.nights[at + FLAGS] ?? 0) & HELD) === 0) return;
    this.nights[at + FLAGS] = 0;
    this.rows--;
    const left = (this.columnRows[column] ?? 0) - 1;
    this.columnRows[column] = left;
    // The hotel's last row takes everything with it; a room type's last row its column; a
    // block's last row in any column its slot (archiving deletes whole runs of old dates).
    // Emptied slots are reused first; the array shrinks when half of them are free.
    if (this.rows === 0) {
      this.clear();
      return;
    }
    if (left === 0) this.dropColumn(column);
    if (this.blockHolds(slot)) return;
    this.slots.delete(block);
    this.free.push(slot);
    if (this.capacity() > 2 && this.slots.size <= this.capacity() / 2) this.compact();
  }

  /** `roomTypeId`'s rows dated in `[from, to)`, in date order, appended to `into`. */
  collect(roomTypeId: string, from: IsoDate, to: IsoDate, into: CalendarDay[]): void {
    const column = this.columns.get(roomTypeId);
    if (column === undefined) return;
    const end = toEpochDay(to);
    const step = FIELDS * this.width;
    // Block by block: one lookup of a block's slot for all its nights in the range.
    for (let day = toEpochDay(from); day < end; ) {
      const block = this.blockOf(day);
      const blockEnd = Math.min(end, (block + 1) * this.blockDays);
      const slot = this.slots.get(block);
      if (slot !== undefined) {
        for (
          let at = this.fieldsAt(slot, day - block * this.blockDays, column);
          day < blockEnd;
          day++
        ) {
          if (((this.nights[at + FLAGS] ?? 0) & HELD) !== 0) {
            into.push(this.rowAt(at, roomTypeId, fromEpochDay(day)));
          }
          at += step;
        }
      }
      day = blockEnd;
    }
  }

  /** Every night of `roomTypeId` in `[from, to)`, or `null` when any of them has no row. */
  range(roomTypeId: string, from: IsoDate, to: IsoDate): CalendarDay[] | null {
    const days: CalendarDay[] = [];
    this.collect(roomTypeId, from, to, days);
    return days.length === Math.max(0, toEpochDay(to) - toEpochDay(from)) ? days : null;
  }

  /**
   * Every row of `roomTypeId`, in date order. Its column is looked up for every night, so
   * rows deleted between two of them (another room type's column dropped) never mislead it.
   */
  *values(roomTypeId: string): IterableIterator<CalendarDay> {
    const blocks = [...this.slots.keys()].sort((a, b) => a - b);
    for (const block of blocks) {
      for (let day = block * this.blockDays; day < (block + 1) * this.blockDays; day++) {
        const column = this.columns.get(roomTypeId);
        if (column === undefined) return;
        const at = this.indexOf(day, column);
        if (at >= 0) yield this.rowAt(at, roomTypeId, fromEpochDay(day));
      }
    }
  }

  /** Back to a new instance's state: no blocks, no columns, no array. */
  private clear(): void {
    this.slots.clear();
    this.free = [];
    this.columns.clear();
    this.columnIds = [];
    this.columnRows = [];
    this.nights = new Int32Array(0);
  }

  /** Room types per night: how many columns each night has. */
  private get width(): number {
    return this.columnIds.length;
  }

  /** Where the fields of night `day` of slot `slot`, column `column` start in the array. */
  private fieldsAt(slot: number, day: number, column: number): number {
    return FIELDS * ((slot * this.blockDays + day) * this.width + column);
  }

  /** Where the fields of a day number's row in `column` start, or -1 when none is held. */
  private indexOf(epochDay: number, column: number): number {
    const block = this.blockOf(epochDay);
    const slot = this.slots.get(block);
    if (slot === undefined) return -1;
    const at = this.fieldsAt(slot, epochDay - block * this.blockDays, column);
    return ((this.nights[at + FLAGS] ?? 0) & HELD) === 0 ? -1 : at;
  }

  /** The row whose fields start at `at`. */
  private rowAt(at: number, roomTypeId: string, date: IsoDate): CalendarDay {
    const nights = this.nights;
    const rateHigh = nights[at + RATE_HIGH] ?? -1;
    // The low part was stored as a 32-bit integer: `>>> 0` reads it back unsigned.
    const rate = rateHigh < 0 ? null : rateHigh * TWO_TO_32 + ((nights[at + RATE_LOW] ?? 0) >>> 0);
    return {
      hotelId: this.hotelId,
      roomTypeId,
      date,
      total: nights[at + TOTAL] ?? 0,
      overbookingLimit: nights[at + OVERBOOKING_LIMIT] ?? 0,
      reserved: nights[at + RESERVED] ?? 0,
      stopSell: ((nights[at + FLAGS] ?? 0) & STOP_SELL) !== 0,
      rate,
    };
  }

  /** Whether any night of any column in slot `slot` holds a row. */
  private blockHolds(slot: number): boolean {
    const first = slot * this.blockDays * this.width;
    const end = first + this.blockDays * this.width;
    for (let cell = first; cell < end; cell++) {
      if (((this.nights[FIELDS * cell + FLAGS] ?? 0) & HELD) !== 0) return true;
    }
    return false;
  }

  /** Blocks the array has room for. */
  private capacity(): number {
    return this.width === 0 ? 0 : this.nights.length / (FIELDS * this.blockDays * this.width);
  }

  /** A column for a room type first written: every block widens by one night's fields. */
  private addColumn(roomTypeId: string): number {
    const column = this.width;
    const blocks = this.capacity();
    this.columns.set(roomTypeId, column);
    this.columnIds = [...this.columnIds, roomTypeId];
    this.columnRows = [...this.columnRows, 0];
    // Before the first column there is no array to lay out again: it is made at one block.
    this.relayout(
      Math.max(blocks, 1),
      column,
      (slot) => slot,
      (c) => c,
    );
    return column;
  }

  /** A room type's last row went: its column goes, the later ones move one down. */
  private dropColumn(column: number): void {
    const before = this.width;
    const blocks = this.capacity();
    const roomTypeId = this.columnIds[column] as string;
    this.columns.delete(roomTypeId);
    this.columnIds = this.columnIds.filter((_, c) => c !== column);
    this.columnRows = this.columnRows.filter((_, c) => c !== column);
    for (const [id, c] of this.columns) if (c > column) this.columns.set(id, c - 1);
    this.relayout(
      blocks,
      before,
      (slot) => slot,
      (c) => (c === column ? undefined : c > column ? c - 1 : c),
    );
  }

  /**
   * Grows the array to hold at least `blocks` blocks, by half again (at least one block),
   * copying what it holds: a year of one hotel in blocks of 32 days (12 or 13 blocks)
   * fits in 13 without waste, after six copies of at most 9 blocks.
   */
  private makeRoomFor(blocks: number): void {
    const capacity = this.capacity();
    if (blocks <= capacity) return;
    const grown = Math.max(blocks, Math.floor(capacity * 1.5));
    this.relayout(
      grown,
      this.width,
      (slot) => slot,
      (c) => c,
    );
  }

  /**
   * Moves the blocks held to the front of an array half the size, once half the slots are
   * free (after archiving): the array shrinks with its rows, down to two blocks. Growth is
   * by half again, so a block added and removed at the boundary does not copy the array
   * each time (two blocks are never shrunk, for the same reason at one and two).
   */
  private compact(): void {
    const moved = new Map<number, number>();
    for (const slot of this.slots.values()) moved.set(slot, moved.size);
    for (const [block, slot] of this.slots) this.slots.set(block, moved.get(slot) ?? slot);
    this.free = [];
    const blocks = Math.max(1, Math.ceil(this.capacity() / 2));
    this.relayout(
      blocks,
      this.width,
      (slot) => moved.get(slot),
      (c) => c,
    );
  }

  /**
   * A new array of `blocks` blocks at today's width, laid out from the one held (made at
   * `oldWidth` columns): each old slot's nights go to `moveSlot(slot)`, each old column's
   * to `moveColumn(column)` (`undefined`: dropped).
   */
  private relayout(
    blocks: number,
    oldWidth: number,
    moveSlot: (slot: number) => number | undefined,
    moveColumn: (column: number) => number | undefined,
  ): void {
    const n = this.blockDays;
    const width = this.width;
    const old = this.nights;
    const nights = new Int32Array(FIELDS * blocks * n * width);
    const oldBlocks = oldWidth === 0 ? 0 : old.length / (FIELDS * n * oldWidth);
    const sameColumns = oldWidth === width;
    for (let slot = 0; slot < oldBlocks; slot++) {
      const to = moveSlot(slot);
      if (to === undefined) continue;
      const perBlock = FIELDS * n * oldWidth;
      if (sameColumns) {
        // The usual case (growing, compacting): a block is one run, copied whole.
        nights.set(old.subarray(slot * perBlock, (slot + 1) * perBlock), to * perBlock);
        continue;
      }
      for (let day = 0; day < n; day++) {
        for (let column = 0; column < oldWidth; column++) {
          const toColumn = moveColumn(column);
          if (toColumn === undefined) continue;
          const from = FIELDS * ((slot * n + day) * oldWidth + column);
          const into = FIELDS * ((to * n + day) * width + toColumn);
          for (let field = 0; field < FIELDS; field++)
            nights[into + field] = old[from + field] ?? 0;
        }
      }
    }
    this.nights = nights;
  }
}
