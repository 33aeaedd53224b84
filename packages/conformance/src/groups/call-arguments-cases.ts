import { bookingRequest, day, type Fixture, HOTEL_ID, TODAY } from '../fixture.js';
import { catalogMethods } from './call-arguments-catalog-cases.js';
import {
  booked,
  hotelIdParam,
  input,
  type MethodCase,
  namesNothing,
  optionalInput,
  type PublicMethodName,
  reservationIdParam,
  unknownHotel,
  unknownHotelOrRoomType,
  unknownLineRoomType,
  unknownReservation,
  unknownReservationArgument,
  withFields,
} from './call-arguments-params.js';
import { roomMethods } from './call-arguments-room-cases.js';

export type {
  MethodCase,
  NotFoundEntity,
  Param,
  PublicMethodName,
} from './call-arguments-params.js';

/**
 * The table the call-arguments group runs: every public method of the engine, its
 * parameters, arguments valid on the fixture, and the well-formed ids that name nothing.
 */

const range = { hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(3) };
const stay = { hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(2) };
const rev0 = { hotelId: HOTEL_ID, expectedRevision: 0 };

/** A confirmed stay of two nights from TODAY, the fixture's clock on its arrival date. */
async function arrivingToday(fix: Fixture): Promise<string> {
  return booked(fix, { checkIn: TODAY, checkOut: day(2) });
}

/** A stay of two nights from TODAY whose guest has checked in. */
async function inHouse(fix: Fixture): Promise<string> {
  const reservationId = await arrivingToday(fix);
  await fix.inn.checkIn({ reservationId });
  return reservationId;
}

/** A cancelled stay moved into the fixture's archive by hand (no clock moved): its id. */
async function archived(fix: Fixture): Promise<string> {
  const id = await booked(fix);
  const r = await fix.inn.cancel({ reservationId: id });
  const at = fix.clock.now().toISOString();
  const file = await fix.archive.write({
    kind: 'reservations',
    hotelId: HOTEL_ID,
    month: r.checkOut.slice(0, 7),
    records: [r],
    writtenAt: at,
  });
  await fix.store.removeArchived({
    hotelId: HOTEL_ID,
    file: file.path,
    archivedAt: at,
    reservations: [{ id, version: r.version }],
  });
  return id;
}

/**
 * Every public method of `Innkeeper`, keyed by name. The `satisfies` makes a method
 * added to the engine without an entry here a compile error, so none goes unchecked.
 */
export const methods = {
  ...catalogMethods,
  ...roomMethods,
  getRateCard: {
    params: [hotelIdParam],
    valid: async () => [HOTEL_ID],
    unknown: () => [{ args: ['nope'], entity: 'hotel', id: 'nope' }],
  },
  setRateCard: {
    params: [input()],
    valid: async () => [
      {
        ...rev0,
        checkInTime: '14:00',
        ratePlans: [],
        restrictions: [],
        taxes: [],
        cancellationPolicies: [],
      },
    ],
    unknown: unknownHotel,
  },
  upsertRatePlan: {
    params: [input()],
    valid: async () => [{ ...rev0, ratePlan: { id: 'flex', name: 'Flexible' } }],
    unknown: unknownHotel,
  },
  removeRatePlan: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'flex' }],
    unknown: unknownHotel,
  },
  upsertRestriction: {
    params: [input()],
    valid: async () => [
      { ...rev0, restriction: { id: 'min2', from: day(1), to: day(9), minStay: 2 } },
    ],
    unknown: unknownHotel,
  },
  removeRestriction: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'min2' }],
    unknown: unknownHotel,
  },
  setTaxes: {
    params: [input()],
    valid: async () => [{ ...rev0, taxes: [] }],
    unknown: unknownHotel,
  },
  upsertCancellationPolicy: {
    params: [input()],
    valid: async () => [{ ...rev0, policy: { id: 'free', name: 'Free cancellation' } }],
    unknown: unknownHotel,
  },
  removeCancellationPolicy: {
    params: [input()],
    valid: async () => [{ ...rev0, id: 'free' }],
    unknown: unknownHotel,
  },
  setCheckInTime: {
    params: [input()],
    valid: async () => [{ ...rev0, checkInTime: '14:00' }],
    unknown: unknownHotel,
  },
  setInventory: {
    params: [input()],
    valid: async () => [{ ...range, total: 8 }],
    unknown: unknownHotelOrRoomType,
  },
  takeOutOfOrder: {
    params: [input()],
    valid: async () => [{ ...range, rooms: 1, allowOverbooked: false }],
    unknown: unknownHotelOrRoomType,
  },
  returnToService: {
    params: [input()],
    valid: async () => [{ ...range, rooms: 1 }],
    unknown: unknownHotelOrRoomType,
  },
  setStopSell: {
    params: [input()],
    valid: async () => [{ ...range, stopSell: true }],
    unknown: unknownHotelOrRoomType,
  },
  setRates: {
    params: [input(['amount'])],
    valid: async () => [
      { ...range, amount: 12_000, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    ],
    unknown: unknownHotelOrRoomType,
  },
  getCalendar: {
    params: [input()],
    valid: async () => [range],
    unknown: unknownHotelOrRoomType,
  },
  search: {
    params: [input()],
    valid: async () => [{ ...stay, rooms: 1, adults: 2, children: 0, roomTypeIds: ['std'] }],
    unknown: (valid) => [
      ...unknownHotel(valid),
      {
        args: withFields(valid, { roomTypeIds: ['nope'] }),
        entity: 'roomType',
        id: `${HOTEL_ID}/nope`,
      },
    ],
  },
  quote: {
    params: [input()],
    valid: async () => [{ ...stay, lines: [{ roomTypeId: 'std', adults: 2 }] }],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  book: {
    params: [input()],
    valid: async () => [bookingRequest({ expectedTotal: 10_000 })],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  hold: {
    params: [input()],
    valid: async () => [{ ...bookingRequest(), ttlSeconds: 600 }],
    unknown: (valid) => [...unknownHotel(valid), ...unknownLineRoomType(valid)],
  },
  warmPricingCache: {
    params: [optionalInput],
    valid: async () => [{ hotelIds: [HOTEL_ID], from: day(0), nights: 30 }],
    unknown: (valid) => [
      { args: withFields(valid, { hotelIds: ['nope'] }), entity: 'hotel' as const, id: 'nope' },
    ],
  },
  confirm: {
    params: [input()],
    valid: async ({ inn }) => [
      { reservationId: (await inn.hold({ ...bookingRequest(), ttlSeconds: 600 })).id },
    ],
    unknown: unknownReservation,
  },
  cancel: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await booked(fix), reason: 'Plans changed' }],
    unknown: unknownReservation,
  },
  markNoShow: {
    params: [input()],
    valid: async (fix) => {
      const reservationId = await booked(fix, { checkIn: TODAY, checkOut: day(1) });
      // Past check-in time (15:00 in Paris) on TODAY: the guest did not come.
      fix.clock.set(`${day(1)}T06:00:00.000Z`);
      return [{ reservationId }];
    },
    unknown: unknownReservation,
  },
  checkIn: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await arrivingToday(fix) }],
    unknown: unknownReservation,
  },
  checkOut: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await inHouse(fix) }],
    unknown: unknownReservation,
  },
  undoCheckIn: {
    params: [input()],
    valid: async (fix) => [{ reservationId: await inHouse(fix), reason: 'Wrong guest' }],
    unknown: unknownReservation,
  },
  undoCheckOut: {
    params: [input()],
    valid: async (fix) => {
      const reservationId = await inHouse(fix);
      await fix.inn.checkOut({ reservationId });
      return [{ reservationId, reason: 'Still in the room', by: 'night manager' }];
    },
    unknown: unknownReservation,
  },
  updateGuest: {
    params: [input(['phone'])],
    valid: async (fix) => [
      {
        reservationId: await booked(fix),
        name: 'Ana Lima',
        email: 'ana.lima@example.com',
        phone: '+351 912 345 678',
        expectedVersion: 1,
        reason: 'Typo at booking',
        by: 'front desk',
      },
    ],
    unknown: unknownReservation,
  },
  updateReservationDetails: {
    params: [
      input([
        'notes',
        'specialRequests',
        'arrivalTime',
        'channel',
        'externalRef',
        'lineGuests',
        'roomFeatures',
      ]),
    ],
    valid: async (fix) => [
      {
        reservationId: await booked(fix),
        notes: 'VIP',
        specialRequests: 'Quiet room',
        arrivalTime: '22:30',
        channel: 'phone',
        externalRef: 'CRM-1',
        lineGuests: [['Ana Lima']],
        expectedVersion: 1,
        reason: 'Guest called',
        by: 'reservations',
      },
    ],
    unknown: unknownReservation,
  },
  listArrivals: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, limit: 10 }],
    unknown: unknownHotel,
  },
  listDepartures: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, limit: 10 }],
    unknown: unknownHotel,
  },
  listInHouse: {
    params: [input()],
    valid: async () => [{ hotelId: HOTEL_ID, limit: 10 }],
    unknown: unknownHotel,
  },
  recoverPendingPayments: {
    params: [optionalInput],
    valid: async () => [{ olderThanSeconds: 0, limit: 10 }],
    unknown: namesNothing,
  },
  modify: {
    params: [input()],
    valid: async (fix) => [
      {
        reservationId: await booked(fix),
        checkOut: day(3),
        lines: [{ roomTypeId: 'std', adults: 2 }],
        expectedVersion: 1,
        reason: 'One more night',
      },
    ],
    unknown: (valid) => [...unknownReservation(valid), ...unknownLineRoomType(valid)],
  },
  expireHolds: {
    params: [optionalInput],
    valid: async () => [{ now: new Date(`${day(1)}T00:00:00.000Z`), limit: 10 }],
    unknown: namesNothing,
  },
  archive: {
    params: [optionalInput],
    // Yesterday (UTC) is the latest cut-off allowed.
    valid: async () => [{ before: day(-1) }],
    unknown: unknownHotel,
  },
  getArchivedReservation: {
    params: [reservationIdParam],
    valid: async (fix) => [await archived(fix)],
    unknown: unknownReservationArgument,
  },
  listArchivedReservations: {
    params: [input()],
    valid: async () => [{ guestEmail: 'ada@example.com' }],
    // A filter: a guest or hotel with nothing archived has an empty page.
    unknown: namesNothing,
  },
  eraseGuest: {
    params: [input()],
    valid: async () => [{ email: 'ada@example.com' }],
    // A guest with nothing stored has nothing to erase (an empty report).
    unknown: namesNothing,
  },
  getReservation: {
    params: [reservationIdParam],
    valid: async (fix) => [await booked(fix)],
    unknown: unknownReservationArgument,
  },
  getReservationHistory: {
    params: [reservationIdParam],
    valid: async (fix) => [await booked(fix)],
    unknown: unknownReservationArgument,
  },
  listReservations: {
    params: [input()],
    valid: async (fix) => {
      await booked(fix);
      return [{ hotelId: HOTEL_ID, from: day(1), to: day(5), status: ['confirmed'], limit: 5 }];
    },
    // A filter: a hotel that does not exist has no reservations (checked below).
    unknown: namesNothing,
  },
  audit: {
    params: [optionalInput],
    valid: async () => [{ hotelId: HOTEL_ID }],
    // A filter: a hotel that does not exist has nothing to report (checked below).
    unknown: namesNothing,
  },
  reconcilePayments: {
    params: [input()],
    valid: async () => [
      {
        hotelId: HOTEL_ID,
        movements: [{ kind: 'charge', reservationId: 'r1', amount: 100, idempotencyKey: 'k1' }],
      },
    ],
    unknown: unknownHotel,
  },
  readEvents: {
    params: [
      { kind: 'integer', name: 'afterSeq', min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
      { kind: 'integer', name: 'limit', min: 1, max: 10_000, optional: true },
    ],
    valid: async () => [0, 10],
    unknown: namesNothing,
  },
  saveFeedCursor: {
    params: [input()],
    valid: async () => [{ name: 'reports', seq: 0 }],
    // A cursor is created by saving it: there is nothing to be unknown.
    unknown: namesNothing,
  },
  listFeedCursors: { params: [], valid: async () => [], unknown: namesNothing },
  deleteFeedCursor: {
    params: [{ kind: 'entityId', name: 'name' }],
    valid: async () => ['reports'],
    // Forgetting a cursor that was never saved answers false.
    unknown: namesNothing,
  },
  pruneEvents: { params: [], valid: async () => [], unknown: namesNothing },
  close: {
    // Takes nothing, so nothing can be malformed; calling it would end the test's store.
    params: [],
    valid: async () => [],
    unknown: namesNothing,
  },
} satisfies Record<PublicMethodName, MethodCase>;
