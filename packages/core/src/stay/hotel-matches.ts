import type { CalendarDay } from '../calendar/calendar-day.js';
import type { GeoPoint } from '../catalog/catalog-profile.js';
import type { Hotel } from '../catalog/hotel.js';
import { distanceKm } from '../catalog/hotel-location.js';
import type { RoomType } from '../catalog/room-type.js';
import { invalid } from '../errors.js';
import type { RateCard } from '../rate-card/rate-card.js';
import { cheapestOfferForStay, type SearchOffer } from './search-offers.js';

/**
 * Search across hotels, the pure part: which hotels qualify, each one's cheapest offer,
 * their order and the cursor that pages through it. The engine reads; this decides.
 */

/** One hotel of a `searchHotels` page. */
export interface HotelMatch {
  hotel: Hotel;
  /** From `near`'s point, km; `null` for other areas. */
  distanceKm: number | null;
  /** The cheapest available offer for the whole stay (the requested rooms, taxes included). */
  cheapestOffer: SearchOffer;
  /** Available offers (room type × rate plan) for the stay. */
  offerCount: number;
}

/** What a hotel must have, besides a sellable offer, to be in the results. */
export interface HotelCriteria {
  near?: GeoPoint & { radiusKm: number };
  minStars?: number;
  amenities?: string[];
  currency?: string;
}

/**
 * Whether a hotel passes the criteria its own fields decide (checked before any stay is
 * read): inside `near`'s circle, stars, every amenity, currency. Returns its distance
 * from `near` (`null` without one), or `undefined` when it does not pass.
 */
export function hotelPasses(hotel: Hotel, criteria: HotelCriteria): number | null | undefined {
  if (criteria.minStars !== undefined && (hotel.starRating ?? 0) < criteria.minStars) return;
  if (criteria.currency !== undefined && hotel.currency !== criteria.currency) return;
  if (criteria.amenities?.some((tag) => !hotel.amenities.includes(tag))) return;
  if (criteria.near === undefined) return null;
  if (hotel.location === null) return;
  const distance = distanceKm(criteria.near, hotel.location);
  return distance <= criteria.near.radiusKm ? distance : undefined;
}

/**
 * The hotel's match for the stay, or `null` when no offer is available for every night
 * (sold out, stop-sell, restricted, no room type fitting the guests) or the cheapest
 * costs more than `maxTotal`.
 */
export function matchStay(
  stay: { hotel: Hotel; roomTypes: RoomType[]; rateCard: RateCard | null; days: CalendarDay[] },
  request: { checkIn: string; checkOut: string; rooms: number; adults: number; children: number },
  now: Date,
  distance: number | null,
  maxTotal?: number,
): HotelMatch | null {
  const found = cheapestOfferForStay(stay, request, now);
  if (found === null || (maxTotal !== undefined && found.cheapest.total > maxTotal)) return null;
  return {
    hotel: stay.hotel,
    distanceKm: distance,
    cheapestOffer: found.cheapest,
    offerCount: found.available,
  };
}

export type HotelSort = 'price' | 'distance' | 'stars';

/** A match's place in the order: compared element by element, the hotel id last. */
type SortKey = (string | number)[];

function sortKeyOf(match: HotelMatch, sort: HotelSort): SortKey {
  const { hotel, cheapestOffer } = match;
  switch (sort) {
    case 'price':
      // Totals only compare within a currency: hotels selling in several sort by it first.
      return [hotel.currency, cheapestOffer.total, hotel.id];
    case 'distance':
      return [match.distanceKm ?? 0, hotel.id];
    case 'stars':
      return [-(hotel.starRating ?? 0), hotel.currency, cheapestOffer.total, hotel.id];
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The shapes of each sort's key, to check a cursor handed back. */
const KEY_SHAPES: Record<HotelSort, ('string' | 'number')[]> = {
  price: ['string', 'number', 'string'],
  distance: ['number', 'string'],
  stars: ['number', 'string', 'number', 'string'],
};

/**
 * One page of the matches in `sort` order, after the cursor's position (keyset paging:
 * a hotel that moves while a caller pages may be seen twice or not at all, but a page
 * never repeats its neighbour's hotels), and the cursor of the next page.
 */
export function pageOfMatches(
  matches: HotelMatch[],
  sort: HotelSort,
  limit: number,
  cursor: string | undefined,
): { items: HotelMatch[]; nextCursor: string | null } {
  const after = cursor === undefined ? null : decodeCursor(cursor, sort);
  const keyed = matches
    .map((match) => ({ match, key: sortKeyOf(match, sort) }))
    .filter(({ key }) => after === null || compareKeys(key, after) > 0)
    .sort((a, b) => compareKeys(a.key, b.key));
  const page = keyed.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ match }) => match),
    nextCursor: keyed.length > limit && last ? encodeCursor(last.key) : null,
  };
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, sort: HotelSort): SortKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const shape = KEY_SHAPES[sort];
  if (
    !Array.isArray(key) ||
    key.length !== shape.length ||
    key.some((part, i) => typeof part !== shape[i])
  ) {
    throw invalid([
      { path: ['cursor'], message: `Not a cursor of this search (sorted by ${sort})` },
    ]);
  }
  return key as SortKey;
}
