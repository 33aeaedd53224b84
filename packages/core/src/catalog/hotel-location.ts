import type { GeoPoint } from './catalog-profile.js';
import type { Hotel } from './hotel.js';

/**
 * Where a hotel is, in the forms the stores index and search filters on. Every store
 * derives its search columns from a hotel through these functions, so "the hotels of
 * Lisbon" or "within 5 km" mean the same on each.
 */

/** A latitude/longitude box. `west > east` when it crosses the antimeridian. */
export interface GeoBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

/**
 * The form of a city name a search matches on: Unicode-compatibility folded, accents
 * removed, lower case, single spaces. `São Paulo`, `SAO PAULO` and ` sao  paulo` are one
 * city; `Lisbon` and `Lisboa` are not (that is a gazetteer's job, not a string rule).
 */
export function cityKey(city: string): string {
  return city.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** The columns a store indexes for `listHotels`' filters, derived from the hotel. */
export interface HotelSearchKeys {
  cityKey: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

export function hotelSearchKeys(hotel: Hotel): HotelSearchKeys {
  return {
    cityKey: hotel.address ? cityKey(hotel.address.city) : null,
    country: hotel.address?.country ?? null,
    lat: hotel.location?.lat ?? null,
    lon: hotel.location?.lon ?? null,
  };
}

/** Mean Earth radius (IUGG), km: the sphere every distance here is measured on. */
const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Great-circle distance in km (haversine): within 0.5% of the ellipsoid's, plenty for "near". */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.lat - a.lat) * RADIANS;
  const dLon = (b.lon - a.lon) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The smallest latitude/longitude box holding every point within `radiusKm` of `center`:
 * what a store's plain indexes can search; the exact circle is cut from it afterwards
 * (`distanceKm`). Near a pole the box takes every longitude; across the antimeridian its
 * `west` is greater than its `east`.
 */
export function boxAround(center: GeoPoint, radiusKm: number): GeoBox {
  const dLat = radiusKm / EARTH_RADIUS_KM / RADIANS;
  const south = Math.max(center.lat - dLat, -90);
  const north = Math.min(center.lat + dLat, 90);
  if (south === -90 || north === 90) return { south, west: -180, north, east: 180 };
  // The widest longitude span of the circle, at the latitude where it is tangent to a
  // meridian (Chamberlain's formula; see Matuschek, "Finding Points Within a Distance").
  const angular = radiusKm / EARTH_RADIUS_KM;
  const ratio = Math.sin(angular) / Math.cos(center.lat * RADIANS);
  if (ratio >= 1) return { south, west: -180, north, east: 180 };
  const dLon = Math.asin(ratio) / RADIANS;
  return {
    south,
    west: wrapLongitude(center.lon - dLon),
    north,
    east: wrapLongitude(center.lon + dLon),
  };
}

function wrapLongitude(lon: number): number {
  if (lon < -180) return lon + 360;
  if (lon > 180) return lon - 360;
  return lon;
}

/** Whether the point is inside the box (edges included, the antimeridian handled). */
export function isInBox(point: GeoPoint, box: GeoBox): boolean {
  if (point.lat < box.south || point.lat > box.north) return false;
  return box.west <= box.east
    ? point.lon >= box.west && point.lon <= box.east
    : point.lon >= box.west || point.lon <= box.east;
}

/** The filters of `InnkeeperStore.listHotels` beyond paging (see there). */
export interface HotelFilter {
  active?: boolean;
  cityKey?: string;
  country?: string;
  box?: GeoBox;
}

/**
 * The filter a store's `listHotels` should lead with, from its most selective index: the
 * city (a few hundred hotels), the country, the box; `null` when none is given (the
 * primary key). The SQL stores keep one statement per answer.
 */
export function leadingHotelFilter(filter: HotelFilter): 'city' | 'country' | 'box' | null {
  if (filter.cityKey !== undefined) return 'city';
  if (filter.country !== undefined) return 'country';
  if (filter.box !== undefined) return 'box';
  return null;
}

/** Whether a hotel passes `listHotels`' filters: the rule each store's query implements. */
export function matchesHotelFilter(hotel: Hotel, filter: HotelFilter): boolean {
  return keysMatchFilter(hotel.active, hotelSearchKeys(hotel), filter);
}

/** `matchesHotelFilter` on a hotel's `active` flag and its search keys, kept beside it. */
export function keysMatchFilter(
  active: boolean,
  keys: HotelSearchKeys,
  filter: HotelFilter,
): boolean {
  if (filter.active !== undefined && active !== filter.active) return false;
  if (filter.cityKey !== undefined && keys.cityKey !== filter.cityKey) return false;
  if (filter.country !== undefined && keys.country !== filter.country) return false;
  if (filter.box !== undefined) {
    if (keys.lat === null || keys.lon === null) return false;
    if (!isInBox({ lat: keys.lat, lon: keys.lon }, filter.box)) return false;
  }
  return true;
}
