import type { Innkeeper, Room } from '@innkeeper/core';
import { bookingRequest, HOTEL_ID } from './fixture.js';

/** Rooms `101`, `102`, ... of a type on the fixture's hotel (ids `r101`, ...). */
export async function addRooms(
  inn: Innkeeper,
  numbers: string[],
  roomTypeId = 'std',
): Promise<Room[]> {
  const made: Room[] = [];
  for (const number of numbers) {
    made.push(await inn.createRoom({ hotelId: HOTEL_ID, id: `r${number}`, number, roomTypeId }));
  }
  return made;
}

/** A confirmed stay of `rooms` std rooms. */
export function stay(inn: Innkeeper, checkIn: string, checkOut: string, rooms = 1) {
  return inn.book(
    bookingRequest({ checkIn, checkOut, lines: [{ roomTypeId: 'std', rooms, adults: 2 }] }),
  );
}

/** Who holds a room on each night of `[from, to)` (`null`: free). */
export async function holders(inn: Innkeeper, roomId: string, from: string, to: string) {
  const nights = await inn.getRoomCalendar({ hotelId: HOTEL_ID, roomId, from, to });
  return nights.map((n) => n.reservationId);
}
