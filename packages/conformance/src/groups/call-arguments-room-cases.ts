import { day, type Fixture, HOTEL_ID } from '../fixture.js';
import {
  booked,
  hotelIdParam,
  input,
  type MethodCase,
  type PublicMethodName,
  unknownHotel,
  unknownHotelOrRoomType,
  unknownReservation,
  withFields,
} from './call-arguments-params.js';

/** The call-arguments table's entries for the physical rooms' methods. */

/** A `std` room numbered `number` (id `r<number>`). */
async function room({ inn }: Fixture, number: string): Promise<string> {
  return (await inn.createRoom({ hotelId: HOTEL_ID, id: `r${number}`, number, roomTypeId: 'std' }))
    .id;
}

/** A stay of day 1 with room 900 assigned. */
async function assigned(fix: Fixture): Promise<{ reservationId: string; roomId: string }> {
  const reservationId = await booked(fix);
  const roomId = await room(fix, '900');
  await fix.inn.assignRoom({ reservationId, roomId });
  return { reservationId, roomId };
}

export const roomMethods = {
  createRoom: {
    params: [input(['floor', 'building'])],
    valid: async () => [
      { hotelId: HOTEL_ID, id: 'r900', number: '900', roomTypeId: 'std', floor: '9' },
    ],
    unknown: unknownHotelOrRoomType,
  },
  updateRoom: {
    params: [input(['floor', 'building'])],
    valid: async (fix) => [{ hotelId: HOTEL_ID, id: await room(fix, '900'), number: '901' }],
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { id: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
      {
        args: withFields(valid, { roomTypeId: 'nope' }),
        entity: 'roomType',
        id: `${HOTEL_ID}/nope`,
      },
    ],
  },
  takeRoomOutOfOrder: {
    params: [input()],
    valid: async (fix) => [
      {
        hotelId: HOTEL_ID,
        roomId: await room(fix, '900'),
        from: day(1),
        to: day(3),
        reason: 'Leaking tap',
      },
    ],
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { roomId: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
    ],
  },
  returnRoomToService: {
    params: [input()],
    valid: async (fix) => {
      const roomId = await room(fix, '900');
      const spell = { from: day(1), to: day(3), reason: 'Leaking tap' };
      await fix.inn.takeRoomOutOfOrder({ hotelId: HOTEL_ID, roomId, ...spell });
      return [{ hotelId: HOTEL_ID, roomId, from: day(2) }];
    },
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { roomId: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
    ],
  },
  listRooms: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  assignRoom: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await booked(fix), roomId: await room(fix, '900') }],
    unknown: (valid) => [
      ...unknownReservation(valid),
      { args: withFields(valid, { roomId: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
    ],
  },
  unassignRoom: {
    params: [input()],
    valid: async (fix) => [await assigned(fix)],
    unknown: unknownReservation,
  },
  moveRoom: {
    params: [input()],
    valid: async (fix) => {
      const { reservationId, roomId } = await assigned(fix);
      return [{ reservationId, fromRoomId: roomId, toRoomId: await room(fix, '901') }];
    },
    unknown: (valid) => [
      ...unknownReservation(valid),
      { args: withFields(valid, { toRoomId: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
    ],
  },
  assignRooms: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, date: day(1) }],
    unknown: unknownHotel,
  },
  listFreeRooms: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, from: day(1), to: day(3), roomTypeId: 'std' }],
    unknown: unknownHotel,
  },
  getRoomCalendar: {
    params: [input()],
    valid: async (fix) => [
      { hotelId: HOTEL_ID, roomId: await room(fix, '900'), from: day(1), to: day(3) },
    ],
    unknown: (valid) => [
      ...unknownHotel(valid),
      { args: withFields(valid, { roomId: 'nope' }), entity: 'room', id: `${HOTEL_ID}/nope` },
    ],
  },
} satisfies Partial<Record<PublicMethodName, MethodCase>>;
