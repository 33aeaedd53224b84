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
 * 32 consecutive nights of one room type, in one buffer: the rate (8 bytes: rates go up
 * to 10^12 minor units), `total`, `overbookingLimit` and `reserved` (4 bytes each) and
 * the flags (1 byte), 21 bytes a night.
 */
class NightBlock {
  readonly rate: Float64Array;
  /** `total`, `overbookingLimit` and `reserved` of night `i` at `3i`, `3i + 1`, `3i + 2`. */
  readonly counts: Int32Array;
  readonly flags: Uint8Array;

  constructor() {
    const buffer = new ArrayBuffer(21 * BLOCK_NIGHTS);
    this.rate = new Float64Array(buffer, 0, BLOCK_NIGHTS);
    this.counts = new Int32Array(buffer, 8 * BLOCK_NIGHTS, 3 * BLOCK_NIGHTS);
    this.flags = new Uint8Array(buffer, 20 * BLOCK_NIGHTS, BLOCK_NIGHTS);
  }
}

/**
 * One room type's calendar rows as the pricing cache keeps them: in typed arrays, about
 * 21 bytes a night, where a `CalendarDay` object and its map entry take a few hundred. A
 * cache holding every hotel's year of rates (7.3M rows at the seed's scale) then takes
 * about 150 MB, in buffers the garbage collector never walks. Nights are kept in blocks
 * of 32 allocated as reads reach them, so stays read here and there over a year cost only
 * their blocks; a night of a block that was never read is known as such (`null`).
 */
export class CachedNights {
  /** By epoch day divided by `BLOCK_NIGHTS`. */
  private readonly blocks = new Map<number, NightBlock>();

  constructor(
    readonly hotelId: string,
    readonly roomTypeId: string,
  ) {}

  /** Nights held, read or not: every night of every block (what the budget counts). */
  get size(): number {
    return this.blocks.size * BLOCK_NIGHTS;
  }

  /** Whether the block holding `date` is held (a row of it was read). */
  holdsBlockOf(date: IsoDate): boolean {
    return this.blocks.has(blockOf(toEpochDay(date)));
  }

  /** Keeps a row read for this room type; answers how many nights were added (a block, or 0). */
  set(day: CalendarDay): number {
    const epochDay = toEpochDay(day.date);
    const index = blockOf(epochDay);
    let block = this.blocks.get(index);
    let added = 0;
    if (!block) {
      block = new NightBlock();
      this.blocks.set(index, block);
      added = BLOCK_NIGHTS;
    }
    const at = epochDay - index * BLOCK_NIGHTS;
    block.rate[at] = day.rate ?? -1;
    block.counts[3 * at] = day.total;
    block.counts[3 * at + 1] = day.overbookingLimit;
    block.counts[3 * at + 2] = day.reserved;
    block.flags[at] = READ | (day.stopSell ? STOP_SELL : 0);
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
    const index = blockOf(epochDay);
    const block = this.blocks.get(index);
    if (!block) return null;
    const at = epochDay - index * BLOCK_NIGHTS;
    const flags = block.flags[at] ?? 0;
    if ((flags & READ) === 0) return null;
    const rate = block.rate[at] ?? -1;
    return {
      hotelId: this.hotelId,
      roomTypeId: this.roomTypeId,
      date,
      total: block.counts[3 * at] ?? 0,
      overbookingLimit: block.counts[3 * at + 1] ?? 0,
      reserved: block.counts[3 * at + 2] ?? 0,
      stopSell: (flags & STOP_SELL) !== 0,
      // Rates are never negative: -1 stands for `null` (the room type's base rate).
      rate: rate < 0 ? null : rate,
    };
  }
}
