import { day, HOTEL_ID } from '../fixture.js';
import {
  hotelIdParam,
  input,
  type MethodCase,
  namesNothing,
  type PublicMethodName,
  unknownHotelOrRoomType,
} from './call-arguments-params.js';

/** The call-arguments table's entries for the catalog's lifecycle and search across hotels. */
export const catalogMethods = {
  deactivateHotel: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  reactivateHotel: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  deactivateRoomType: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, roomTypeId: 'std' }],
    unknown: unknownHotelOrRoomType,
  },
  reactivateRoomType: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, roomTypeId: 'std' }],
    unknown: unknownHotelOrRoomType,
  },
  searchHotels: {
    params: [input()],
    valid: async () => [{ country: 'PT', checkIn: day(1), checkOut: day(2), adults: 1 }],
    // An area is a filter, not a reference: one with no hotel is an empty page.
    unknown: namesNothing,
  },
} satisfies Partial<Record<PublicMethodName, MethodCase>>;
