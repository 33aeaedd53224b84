import { fromEpochDay, type IsoDate, toEpochDay } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';

/** Nights per block: a block is allocated whole, the first time one of its nights is read. */
export const BLOCK_NIGHTS = 32;
/** The block a night (an epoch day) falls in: blocks are numbered from the epoch. */
export function blockOf(epochDay: number): number {
  return Math.floor(epochDay / BLOCK_NIGHTS);
}

/** `flags` bits of a night: read at all, and its `stopSell`. */
const READ = 1;
const STOP_SELL = 2;

/**
 * One room type's calendar rows as the pricing cache keeps them: in typed arrays, 21 bytes
 * a night (the rate in 8 bytes, as rates go up to 10^12 minor units; `total`,
 * `overbookingLimit` and `reserved` in 4 bytes each; the flags in 1), where a
 * `CalendarDay` object and its map entry take a few hundred. A cache holding every hotel's
 * year of rates (7.3M rows, 7.7M nights in blocks, at the seed's scale) then takes about
 * 220 MB, about 30 bytes a night in all, in buffers the garbage collector never walks.
 *
 * Nights are kept in blocks of 32, allocated as reads reach them, so stays read here and
 * there over a year cost only their blocks; a night of a block that was never read is
 * known as such (`null`). A room type's blocks share one set of arrays, in the order they
 * were first read, grown by half when full. A buffer per block (the first version) took
 * 36 bytes a night against 28 now, and four heap objects per block (the buffer, its three
 * views) that every full collection marks: 1M of them for a warmed seed-scale chain.
 */
export class CachedNights {
  /** Where each block is in the arrays, by epoch day divided by `BLOCK_NIGHTS`. */
  private readonly slots = new Map<number, number>();
  private rate = new Float64Array(BLOCK_NIGHTS);
  /** `total`, `overbookingLimit` and `reserved` of night `i` at `3i`, `3i + 1`, `3i + 2`. */
  private counts = new Int32Array(3 * BLOCK_NIGHTS);
  private flags = new Uint8Array(BLOCK_NIGHTS);

  constructor(
    readonly hotelId: string,
    readonly roomTypeId: string,
  ) {}

  /** Nights held, read or not: every night of every block (what the budget counts). */
  get size(): number {
    return this.slots.size * BLOCK_NIGHTS;
  }

  /** Whether the block holding `date` is held (a row of it was read). */
  holdsBlockOf(date: IsoDate): boolean {
    return this.slots.has(blockOf(toEpochDay(date)));
  }

  /** Keeps a row read for this room type; answers how many nights were added (a block, or 0). */
  set(day: CalendarDay): number {
    const epochDay = toEpochDay(day.date);
    const block = blockOf(epochDay);
    let slot = this.slots.get(block);
    let added = 0;
    if (slot === undefined) {
      slot = this.slots.size;
      this.makeRoomFor(slot + 1);
      this.slots.set(block, slot);
      added = BLOCK_NIGHTS;
    }
    const at = slot * BLOCK_NIGHTS + (epochDay - block * BLOCK_NIGHTS);
    this.rate[at] = day.rate ?? -1;
    this.counts[3 * at] = day.total;
    this.counts[3 * at + 1] = day.overbookingLimit;
    this.counts[3 * at + 2] = day.reserved;
    this.flags[at] = READ | (day.stopSell ? STOP_SELL : 0);
    return added;
  }

  /** Every night of `[from, to)` as read, or `null` when any of them never was. */
  range(from: IsoDate, to: IsoDate): CalendarDay[] | null {
    const start = toEpochDay(from);
    const end = toEpochDay(to);
    const days: CalendarDay[] = [];
    for (let epochDay = start; epochDay < end; epochDay++) {
      const day = this.at(epochDay, epochDay === start ? from : fromEpochDay(epochDay));
      if (!day) return null;
      days.push(day);
    }
    return days;
  }

  private at(epochDay: number, date: IsoDate): CalendarDay | null {
    const block = blockOf(epochDay);
    const slot = this.slots.get(block);
    if (slot === undefined) return null;
    const at = slot * BLOCK_NIGHTS + (epochDay - block * BLOCK_NIGHTS);
    const flags = this.flags[at] ?? 0;
    if ((flags & READ) === 0) return null;
    const rate = this.rate[at] ?? -1;
    return {
      hotelId: this.hotelId,
      roomTypeId: this.roomTypeId,
      date,
      total: this.counts[3 * at] ?? 0,
      overbookingLimit: this.counts[3 * at + 1] ?? 0,
      reserved: this.counts[3 * at + 2] ?? 0,
      stopSell: (flags & STOP_SELL) !== 0,
      // Rates are never negative: -1 stands for `null` (the room type's base rate).
      rate: rate < 0 ? null : rate,
    };
  }

  /**
   * Grows the arrays to hold at least `blocks` blocks, by half again (at least one block),
   * copying what they hold: a year of one room type (12 or 13 blocks) fits in 13 without
   * waste, after six copies of at most 9 blocks.
   */
  private makeRoomFor(blocks: number): void {
    const capacity = this.flags.length / BLOCK_NIGHTS;
    if (blocks <= capacity) return;
    const nights = Math.max(blocks, Math.floor(capacity * 1.5)) * BLOCK_NIGHTS;
    const rate = new Float64Array(nights);
    const counts = new Int32Array(3 * nights);
    const flags = new Uint8Array(nights);
    rate.set(this.rate);
    counts.set(this.counts);
    flags.set(this.flags);
    this.rate = rate;
    this.counts = counts;
    this.flags = flags;
  }
}
