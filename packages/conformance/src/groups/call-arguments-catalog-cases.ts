import { day, HOTEL_ID } from '../fixture.js';
import {
  hotelIdParam,
  input,
  type MethodCase,
  namesNothing,
  optionalInput,
  type PublicMethodName,
  unknownHotel,
  unknownHotelOrRoomType,
  withFields,
} from './call-arguments-params.js';

/**
 * The call-arguments table's entries for the catalog: hotels and room types, their
 * lifecycle, and search across hotels.
 */
export const catalogMethods = {
  createHotel: {
    params: [input()],
    valid: async () => [{ id: 'h2', name: 'Hotel Two', timeZone: 'Europe/Paris', currency: 'EUR' }],
    unknown: namesNothing,
  },
  updateHotel: {
    params: [input()],
    valid: async () => [{ id: HOTEL_ID, name: 'Hotel Renamed' }],
    unknown: (valid) => [{ args: withFields(valid, { id: 'nope' }), entity: 'hotel', id: 'nope' }],
  },
  getHotel: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  listHotels: {
    params: [optionalInput],
    valid: async () => [{ limit: 10 }],
    // A cursor is a position, not a reference: one past every hotel is an empty page.
    unknown: namesNothing,
  },
  createRoomType: {
    params: [input(['overbookingPercent'])],
    valid: async () => [
      {
        id: 'twin',
        hotelId: HOTEL_ID,
        name: 'Twin',
        maxAdults: 2,
        baseRate: 9_000,
        overbookingPercent: 5,
      },
    ],
    unknown: unknownHotel,
  },
  updateRoomType: {
    params: [input(['overbookingPercent'])],
    valid: async () => [
      { hotelId: HOTEL_ID, id: 'std', name: 'Standard Plus', overbookingPercent: 5 },
    ],
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { id: 'nope' }), entity: 'roomType', id: `${HOTEL_ID}/nope` },
    ],
  },
  listRoomTypes: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
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
