import { z } from 'zod';
import { addDays, isoDateSchema, todayIn } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import { invalid, notFound } from '../errors.js';
import { primePlanIndex } from '../rate-card/rate-plans.js';
import { type EngineContext, parse } from './engine-context.js';
import type { PricingCache } from './pricing-cache.js';

/**
 * # Warming the pricing cache
 *
 * The pricing cache fills as bookings read their stays, so the first booking of each
 * hotel's nights after a start reads before it books: two round trips on Postgres. A
 * chain whose bookings spread over many hotels and dates misses on most of them. Warming
 * reads whole calendars ahead (every room type of a hotel over a year, say, in one
 * `readStay` per hotel), so every booking of those nights is priced without reading.
 *
 * It also works out what pricing keeps beside each hotel's rate card (the plans selling
 * each room type, their lineage, occupancy pricing and policy), work the hotel's first
 * search or booking after a start would otherwise do on its way.
 *
 * Warming changes nothing but the cache, and correctness never rests on it: a booking
 * still sends the pricing revision it was priced on and the store still refuses it when a
 * price changed since. A hotel whose prices change is dropped and refills as it books.
 */
export const warmPricingCacheInputSchema = z.strictObject({
  /** The hotels to read, in this order (default: every active hotel, in id order). */
  hotelIds: z.array(entityIdSchema).min(1).max(10_000).optional(),
  /** The first night read (default: the day before the clock's UTC date, so every hotel's "today" is in). */
  from: isoDateSchema.optional(),
  /** How many nights from `from` (default 365). */
  nights: z.number().int().min(1).max(1_000).default(365),
});
export type WarmPricingCacheInput = z.input<typeof warmPricingCacheInputSchema>;

/** What `warmPricingCache` did. */
export interface PricingCacheWarmUp {
  /** Hotels read into the cache by this call. */
  hotels: number;
  /** Calendar nights the cache holds afterwards, over all hotels. */
  nights: number;
  /**
   * Whether it stopped because the next hotel no longer fit the cache's `maxRows` (keeping
   * it would have evicted hotels it had just read): that hotel and those after it were
   * not kept.
   */
  full: boolean;
}

/** Reads at once while warming: enough to keep a pool busy, few enough to leave it room. */
const READS_IN_FLIGHT = 8;
/** Hotels listed per page when warming every active hotel. */
const LIST_PAGE = 500;

/** Reads hotels' calendars into `cache` (see above); `VALIDATION` when the cache is off. */
export async function warmPricingCache(
  context: EngineContext,
  cache: PricingCache | null,
  input: WarmPricingCacheInput,
): Promise<PricingCacheWarmUp> {
  const request = parse(warmPricingCacheInputSchema, input);
  if (!cache) {
    throw invalid([
      { path: [], message: 'The pricing cache is off (pricingCache: false): nothing to warm' },
    ]);
  }
  const from = request.from ?? addDays(todayIn('UTC', context.clock.now()), -1);
  const to = addDays(from, request.nights);
  const hotels = hotelIdsOf(context, request.hotelIds);
  let read = 0;
  let full = false;
  const readNext = async (): Promise<void> => {
    while (!full) {
      const next = await hotels.next();
      if (next.done || full) return;
      const hotelId = next.value;
      const stay = await context.store.readStay({ hotelId, from, to });
      if (!stay) {
        // Named by the caller: an error. Listed a moment ago: removed since, nothing to read.
        if (request.hotelIds) throw notFound('hotel', hotelId);
        continue;
      }
      // Kept, it would evict hotels read before it: stop here instead.
      if (cache.size + cache.nightsAdding(stay) > cache.maxRows) {
        full = true;
        return;
      }
      cache.remember(stay);
      // And what pricing keeps beside the rate card, as the hotel's first price would. (A
      // hotel without a card is priced on a new empty one each time: nothing to keep.)
      if (stay.rateCard) {
        primePlanIndex(
          stay.rateCard,
          stay.roomTypes.map((roomType) => roomType.id),
        );
      }
      read++;
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, readNext));
  return { hotels: read, nights: cache.size, full };
}

/**
 * The hotels to warm, one at a time to whichever reader asks next: the caller's, or every
 * active hotel listed page by page (a page is listed once, whichever reader runs out).
 */
function hotelIdsOf(
  context: EngineContext,
  named: string[] | undefined,
): { next(): Promise<IteratorResult<string>> } {
  if (named) {
    const ids = [...new Set(named)].values();
    return { next: async () => ids.next() };
  }
  let page: string[] = [];
  let afterId: string | undefined;
  let last = false;
  let listing: Promise<void> | null = null;
  const listPage = async () => {
    const hotels = await context.store.listHotels({
      limit: LIST_PAGE,
      active: true,
      ...(afterId === undefined ? {} : { afterId }),
    });
    page = hotels.map((hotel) => hotel.id);
    afterId = page.at(-1);
    last = hotels.length < LIST_PAGE;
  };
  return {
    async next() {
      for (;;) {
        const id = page.shift();
        if (id !== undefined) return { done: false, value: id };
        if (last) return { done: true, value: undefined };
        listing ??= listPage().finally(() => {
          listing = null;
        });
        await listing;
      }
    },
  };
}
