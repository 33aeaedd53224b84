import type { Hotel } from './hotel.js';
import type { RoomType } from './room-type.js';

/**
 * The descriptive part of a hotel: what a store may keep as one document beside the
 * columns it filters and locks on (the SQL stores keep it in a `profile` JSON column;
 * `active` and `hotelSearchKeys` are columns of their own).
 */
export type HotelProfile = Pick<
  Hotel,
  | 'address'
  | 'location'
  | 'starRating'
  | 'description'
  | 'amenities'
  | 'images'
  | 'contact'
  | 'policies'
>;

export function hotelProfileOf(hotel: Hotel): HotelProfile {
  const { address, location, starRating, description, amenities, images, contact, policies } =
    hotel;
  return { address, location, starRating, description, amenities, images, contact, policies };
}

/** The descriptive part of a room type (`active` and `displayOrder` are columns). */
export type RoomTypeProfile = Pick<
  RoomType,
  'description' | 'sizeSqm' | 'beds' | 'amenities' | 'images'
>;

export function roomTypeProfileOf(roomType: RoomType): RoomTypeProfile {
  const { description, sizeSqm, beds, amenities, images } = roomType;
  return { description, sizeSqm, beds, amenities, images };
}

/**
 * A hotel's profile with nothing in it: what `createHotel` stores when given none, and what
 * a store reads for a row written before hotels had profiles.
 */
export const EMPTY_HOTEL_PROFILE: Readonly<HotelProfile> = Object.freeze({
  address: null,
  location: null,
  starRating: null,
  description: Object.freeze({}),
  amenities: Object.freeze([]) as unknown as string[],
  images: Object.freeze([]) as unknown as HotelProfile['images'],
  contact: null,
  policies: Object.freeze({}),
});

/** A room type's profile with nothing in it (see `EMPTY_HOTEL_PROFILE`). */
export const EMPTY_ROOM_TYPE_PROFILE: Readonly<RoomTypeProfile> = Object.freeze({
  description: Object.freeze({}),
  sizeSqm: null,
  beds: Object.freeze([]) as unknown as RoomTypeProfile['beds'],
  amenities: Object.freeze([]) as unknown as string[],
  images: Object.freeze([]) as unknown as RoomTypeProfile['images'],
});
