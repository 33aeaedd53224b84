import { z } from 'zod';
import type { CalendarDay } from '../calendar/calendar-day.js';
import { DayColumns } from '../calendar/day-columns.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import type { StayQuery, StayView } from '../port/store.js';
import type { RateCard } from '../rate-card/rate-card.js';
import { parse } from './engine-context.js';

/**
 * # Pricing from a cache
 *
 * A booking is priced from the hotel, its room types, its rate card and the calendar's
 * rates for the stay's nights. Those change rarely next to how often a busy hotel sells,
 * so `book` and `hold` keep what `readStay` returned and price the next booking of those
 * nights from it, without reading: one call of the store instead of two. The nights are
 * kept compactly, in typed arrays (`DayColumns`), so the cache can hold every hotel's calendar, which
 * `warmPricingCache` reads ahead at start-up for bookings spread over many hotels.
 *
 * Correctness does not rest on the cache being fresh. Every view carries the hotel's
 * pricing revision, which the store moves on in the same atomic step as any write a price
 * is computed from; the booking sends the revision it was priced on, and the store books
 * only if it is still current (else `repriced`, nothing written). So a booking never
 * commits at a price that is no longer in force; a stale cache costs one more read.
 *
 * Only what prices depend on is relied upon: a cached row's `total` and `reserved` are
 * old news, so the early capacity check is skipped for cached plans (the store checks
 * capacity atomically either way) and any refusal decided from the cache is decided again
 * on a fresh read before the caller hears it.
 */
export const pricingCacheOptionsSchema = z.union([
  z.literal(false),
  z.strictObject({
    /**
     * Calendar nights kept (a room type on a date), over all hotels (default 1,000,000:
     * about 30 MB). A hotel's are kept in blocks of 32 dates, each holding every room type
     * read at that hotel: a 3-night stay of the first room type read holds 32 or 64 nights,
     * and a room type read afterwards adds 32 to every block held. Beyond it the hotels
     * least recently booked are dropped first. A cache meant to hold every
     * hotel's calendar (`warmPricingCache`) needs them all: 7.3M at the seed's scale.
     */
    maxRows: z.number().int().min(1).max(100_000_000).default(1_000_000),
  }),
]);
export type PricingCacheOptions = z.input<typeof pricingCacheOptionsSchema>;

/**
 * Nights per block of a hotel's calendar in the cache: a block is held whole, every room
 * type read, the first time one of its nights is read, so stays read here and there over a
 * year cost only their blocks.
 */
export const BLOCK_NIGHTS = 32;

/** What the cache holds of one hotel, all read at one pricing revision. */
interface CachedHotel {
  pricingRevision: number;
  hotel: Hotel;
  rateCard: RateCard | null;
  roomTypes: Map<string, RoomType>;
  /** Rows read, every room type's. */
  nights: DayColumns;
  /** When it was last looked up or read (`PricingCache.uses`): eviction drops the oldest first. */
  lastUsed: number;
}

export class PricingCache {
  /**
   * By hotel id. Recency is a counter on each entry, not the map's order: moving a key to
   * the end (`delete`, then `set`) on every lookup leaves the deleted slot in its hash
   * bucket's chain until the map is rehashed, so a hotel booked over and over walked
   * thousands of dead slots per lookup (15 µs at 5,000 hotels, against 1 µs at 500).
   */
  private readonly hotels = new Map<string, CachedHotel>();
  private rows = 0;
  /** Lookups and reads so far: the clock of `CachedHotel.lastUsed`. */
  private uses = 0;
  readonly maxRows: number;

  constructor(options: { maxRows: number }) {
    this.maxRows = options.maxRows;
  }

  /** Parses the engine's `pricingCache` option: `null` when the cache is off. */
  static from(options: PricingCacheOptions | undefined): PricingCache | null {
    const parsed = parse(pricingCacheOptionsSchema, options ?? {});
    return parsed === false ? null : new PricingCache(parsed);
  }

  /**
   * The stay as `readStay` would return it for `query` (room types required), built from
   * what is held; `null` unless every room type and every night's row was read.
   */
  lookup(query: Required<StayQuery>): StayView | null {
    const entry = this.hotels.get(query.hotelId);
    if (!entry) return null;
    const roomTypes: RoomType[] = [];
    const days: CalendarDay[] = [];
    const roomTypeIds =
      query.roomTypeIds.length === 1 ? query.roomTypeIds : [...query.roomTypeIds].sort();
    for (const roomTypeId of roomTypeIds) {
      const roomType = entry.roomTypes.get(roomTypeId);
      const nights = entry.nights.range(roomTypeId, query.from, query.to);
      if (!roomType || !nights) return null;
      roomTypes.push(roomType);
      for (const day of nights) days.push(day);
    }
    entry.lastUsed = ++this.uses;
    const { hotel, rateCard, pricingRevision } = entry;
    return { hotel, roomTypes, rateCard, days, pricingRevision };
  }

  /** Keeps what a read returned, added to what was read at the same revision. */
  remember(view: StayView): void {
    const hotelId = view.hotel.id;
    // A row the cache's 32-bit counts cannot hold is not kept: that hotel is priced from
    // fresh reads (only a store written outside the engine's limits has one).
    if (!view.days.every(DayColumns.canHold)) {
      this.forget(hotelId);
      return;
    }
    let entry = this.hotels.get(hotelId);
    if (entry && entry.pricingRevision !== view.pricingRevision) {
      this.forget(hotelId);
      entry = undefined;
    }
    if (!entry) {
      entry = {
        pricingRevision: view.pricingRevision,
        hotel: view.hotel,
        rateCard: view.rateCard,
        roomTypes: new Map(),
        nights: new DayColumns(hotelId, BLOCK_NIGHTS),
        lastUsed: 0,
      };
      this.hotels.set(hotelId, entry);
    }
    entry.lastUsed = ++this.uses;
    for (const roomType of view.roomTypes) entry.roomTypes.set(roomType.id, roomType);
    for (const day of view.days) {
      const added = entry.nights.set(day);
      this.rows += added;
    }
    this.evict(hotelId);
  }

  /** The nights `remember(view)` would add to what is held (it may then evict others). */
  nightsAdding(view: StayView): number {
    const entry = this.hotels.get(view.hotel.id);
    // A hotel read at another revision is dropped and read again from nothing.
    const held =
      entry?.pricingRevision === view.pricingRevision
        ? entry.nights
        : new DayColumns(view.hotel.id, BLOCK_NIGHTS);
    return held.nightsAdding(view.days);
  }

  /** Drops a hotel (its prices changed since it was read). */
  forget(hotelId: string): void {
    const entry = this.hotels.get(hotelId);
    if (!entry) return;
    // What it held is its calendar's nights in blocks, every one `set` added.
    this.rows -= entry.nights.slotCount;
    this.hotels.delete(hotelId);
  }

  /** Nights held, over all hotels. */
  get size(): number {
    return this.rows;
  }

  /**
   * Over the budget, drops the least recently used hotels (never `keep`) down to nine
   * tenths of it: a cache that misses on every booking (stays spread over many hotels)
   * then evicts in batches, not a hotel per booking.
   */
  private evict(keep: string): void {
    if (this.rows <= this.maxRows) return;
    const target = Math.floor(this.maxRows * 0.9);
    const oldestFirst = [...this.hotels].sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [hotelId] of oldestFirst) {
      if (this.rows <= target) return;
      if (hotelId !== keep) this.forget(hotelId);
    }
  }
}
