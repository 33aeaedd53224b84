import { daysBetween, todayIn } from '../calendar/calendar-date.js';
import type { Hotel } from '../catalog/hotel.js';
import { boxAround, cityKey, type HotelFilter } from '../catalog/hotel-location.js';
import { invalid } from '../errors.js';
import type { AvailabilityView, StaysQuery } from '../port/store.js';
import type { HotelListQuery } from '../port/store-arguments.js';
import { type HotelMatch, hotelPasses, matchStay, pageOfMatches } from '../stay/hotel-matches.js';
import { type EngineContext, parse } from './engine-context.js';
import {
  type SearchHotelsInput,
  type SearchHotelsRequest,
  searchHotelsInputSchema,
} from './hotel-search-requests.js';

/** The most hotels one search weighs: an area holding more is refused, to be narrowed. */
export const MAX_SEARCH_CANDIDATES = 10_000;
/** Hotels read from the store per `listHotels` page. */
const CANDIDATE_PAGE = 1000;
/** Hotels per `readStays` call, and how many such calls a search keeps in flight. */
const STAYS_PER_READ = 64;
const READS_IN_FLIGHT = 4;

/** A hotel of the area that passed the filters its own fields decide, before pricing. */
interface Candidate {
  hotel: Hotel;
  distance: number | null;
}

/** One page of `searchHotels`. */
export interface HotelSearchResult {
  checkIn: string;
  checkOut: string;
  nights: number;
  items: HotelMatch[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
  /** Hotels with a sellable offer over all pages. */
  total: number;
}

/**
 * Search across hotels: the active hotels of an area (the store's indexes), filtered by
 * their own fields, then each priced for the stay from the availability source (the
 * Redis cache when configured) with the same rules as `search`, and the qualifying ones
 * ordered and paged. Booking never reads what this read: it decides on the store.
 */
export class HotelSearch {
  constructor(private readonly context: EngineContext) {}

  async search(input: SearchHotelsInput): Promise<HotelSearchResult> {
    const request = parse(searchHotelsInputSchema, input);
    const nights = daysBetween(request.checkIn, request.checkOut);
    if (nights > this.context.limits.maxStayNights) {
      throw invalid([
        {
          path: ['checkOut'],
          message: `Stay of ${nights} nights exceeds the maximum of ${this.context.limits.maxStayNights}`,
        },
      ]);
    }
    const now = this.context.clock.now();
    const candidates: Candidate[] = [];
    for (const hotel of await this.hotelsIn(request)) {
      const distance = hotelPasses(hotel, request);
      // A hotel where the check-in date is already past (its time zone) has nothing to sell.
      if (distance !== undefined && request.checkIn >= todayIn(hotel.timeZone, now)) {
        candidates.push({ hotel, distance });
      }
    }
    const matches: HotelMatch[] = [];
    const price = (stays: AvailabilityView[], part: Candidate[]) => {
      const distances = new Map(part.map(({ hotel, distance }) => [hotel.id, distance]));
      for (const stay of stays) {
        const distance = distances.get(stay.hotel.id) ?? null;
        const match = matchStay(stay, request, now, distance, request.maxTotal);
        if (match) matches.push(match);
      }
    };
    // The stays are read in parts, several in flight at once: a database works on the
    // next parts (on its other cores and connections) while this prices the first.
    const parts: Candidate[][] = [];
    for (let i = 0; i < candidates.length; i += STAYS_PER_READ) {
      parts.push(candidates.slice(i, i + STAYS_PER_READ));
    }
    let nextPart = 0;
    const reader = async () => {
      for (let part = parts[nextPart++]; part !== undefined; part = parts[nextPart++]) {
        const hotelIds = part.map(({ hotel }) => hotel.id);
        price(
          await this.readStays({ hotelIds, from: request.checkIn, to: request.checkOut }),
          part,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, parts.length) }, reader));
    const page = pageOfMatches(matches, request.sort, request.limit, request.cursor);
    return {
      checkIn: request.checkIn,
      checkOut: request.checkOut,
      nights,
      ...page,
      total: matches.length,
    };
  }

  /** The active hotels of the request's area, from the store's indexes, in id order. */
  private async hotelsIn(request: SearchHotelsRequest): Promise<Hotel[]> {
    const filter = areaFilter(request);
    const hotels: Hotel[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await this.listHotels({
        ...filter,
        limit: CANDIDATE_PAGE,
        ...(afterId === undefined ? {} : { afterId }),
      });
      hotels.push(...page);
      if (hotels.length > MAX_SEARCH_CANDIDATES) {
        throw invalid([
          {
            path: ['city'],
            message: `The area holds more than ${MAX_SEARCH_CANDIDATES} hotels: narrow it`,
          },
        ]);
      }
      if (page.length < CANDIDATE_PAGE) return hotels;
      afterId = page[page.length - 1]?.id;
    }
  }

  /** The availability source's list when it keeps one (the Redis cache), else the store's. */
  private listHotels(query: HotelListQuery): Promise<Hotel[]> {
    const source = this.context.availability;
    return source.listHotels ? source.listHotels(query) : this.context.store.listHotels(query);
  }

  /** Stays of many hotels: one call when the source reads many at once, else one per hotel. */
  private async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    const source = this.context.availability;
    if (source.readStays) return source.readStays(query);
    const stays = await Promise.all(
      query.hotelIds.map((hotelId) => source.readStay({ hotelId, from: query.from, to: query.to })),
    );
    return stays.filter((stay) => stay !== null);
  }
}

/** The store filter of the request's area (always active hotels only). */
function areaFilter(request: SearchHotelsRequest): HotelFilter {
  const filter: HotelFilter = { active: true };
  if (request.city !== undefined) filter.cityKey = cityKey(request.city);
  if (request.country !== undefined) filter.country = request.country;
  if (request.near !== undefined) filter.box = boxAround(request.near, request.near.radiusKm);
  if (request.boundingBox !== undefined) filter.box = request.boundingBox;
  return filter;
}
