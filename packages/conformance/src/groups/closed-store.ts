import assert from 'node:assert/strict';
import { emptyRateCard, type InnkeeperStore, type Reservation } from '@innkeeper/core';
import type { Decision } from '@innkeeper/core/store';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** Every method of the port but `close()` itself. */
export type PortMethodName = Exclude<
  {
    [K in keyof InnkeeperStore]: InnkeeperStore[K] extends (...args: never[]) => unknown
      ? K
      : never;
  }[keyof InnkeeperStore],
  'close'
>;

const AT = `${TODAY}T12:00:00.000Z`;

/**
 * One well-formed call of every port method, each of which would succeed (or answer an
 * outcome) on an open store. Keyed by method name and checked by `satisfies`, so a method
 * added to the port without an entry here does not compile.
 */
export const portCallArguments = {
  saveHotel: ({ hotel }) => [{ ...hotel, id: 'h2' }, 'create'],
  getHotel: () => [HOTEL_ID],
  listHotels: () => [{ limit: 10 }],
  saveRoomType: ({ std }) => [{ ...std, name: 'Renamed' }, 'update'],
  listRoomTypes: () => [HOTEL_ID],
  saveRoom: ({ hotel }) => [
    {
      hotelId: hotel.id,
      id: 'r1',
      number: '1',
      roomTypeId: 'std',
      floor: null,
      building: null,
      features: [],
      active: true,
      housekeeping: 'clean',
      createdAt: AT,
      updatedAt: AT,
    },
    'create',
    { assignedFrom: day(1) },
  ],
  listRooms: () => [HOTEL_ID],
  listRoomNights: () => [{ hotelId: HOTEL_ID, from: day(1), to: day(2) }],
  getRateCard: () => [HOTEL_ID],
  putRateCard: () => [{ ...emptyRateCard(HOTEL_ID), revision: 1, updatedAt: AT }, 0],
  updateCalendar: () => [
    {
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      dates: [day(1)],
      overbookingPercent: 10,
      allowOverbooked: false,
      stopSell: true,
    },
    AT,
  ],
  readStay: () => [{ hotelId: HOTEL_ID, from: day(1), to: day(2) }],
  readStays: () => [{ hotelIds: [HOTEL_ID], from: day(1), to: day(2) }],
  applyBooking: (_, r) => [{ reservation: { ...r, id: 'r2', idempotencyKey: 'k2' }, deltas: [] }],
  changeReservation: (_, r) => [r.id, refuseToDecide],
  expireHolds: () => [{ now: AT, limit: 10 }],
  getReservation: (_, r) => [r.id],
  findReservationByKey: (_, r) => [HOTEL_ID, r.idempotencyKey],
  listReservations: () => [{ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 10 }],
  listPendingPayments: () => [{ updatedBefore: AT, limit: 10 }],
  listArchivable: () => [{ hotelId: HOTEL_ID, before: day(1), limit: 10 }],
  listCalendarBefore: () => [{ hotelId: HOTEL_ID, before: day(1), limit: 10 }],
  removeArchived: (_, r) => [
    {
      hotelId: HOTEL_ID,
      file: 'f',
      archivedAt: AT,
      reservations: [{ id: r.id, version: r.version }],
    },
  ],
  findArchived: (_, r) => [{ by: 'ids', reservationIds: [r.id] }],
  getArchiveHorizon: () => [HOTEL_ID],
  forgetArchivedKeys: () => [{ archivedBy: AT, limit: 10 }],
  eraseArchivedEntries: (_, r) => [[r.id]],
  audit: () => [{}],
  readEvents: () => [0, 10],
  pruneEvents: () => [{ before: AT, limit: 10 }],
  saveFeedCursor: () => [{ name: 'relay', seq: 0, updatedAt: AT }],
  listFeedCursors: () => [],
  deleteFeedCursor: () => ['relay'],
} satisfies Record<PortMethodName, (fix: Fixture, held: Reservation) => unknown[]>;
const calls = portCallArguments;

/** A decider a closed store must never reach: it throws if called. */
function refuseToDecide(current: Reservation): Decision {
  throw new Error(`changeReservation() on a closed store called its decider on ${current.id}`);
}

/** `close()`: afterwards the store is unusable, every call fails instead of answering. */
export const closedStoreGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test("a closed store refuses every port call with the core's storeClosedError: STORAGE naming the call in details.operation; none answers", async (fix) => {
    const { inn, store } = fix;
    const held = await inn.hold(bookingRequest());
    await store.close();
    for (const [method, args] of Object.entries(calls)) {
      const call = (store[method as PortMethodName] as (...a: unknown[]) => Promise<unknown>).bind(
        store,
      );
      const error = await rejectsWithCode(call(...args(fix, held)), 'STORAGE').catch(
        (failure: unknown) => {
          throw new Error(`${method}() on a closed store: ${String(failure)}`);
        },
      );
      const said = `${method}() on a closed store: ${error.message}`;
      assert.deepEqual(error.details, { operation: method }, said);
      assert.ok(error.message.endsWith(` is closed; ${method} needs an open store.`), said);
    }
  });

  test('close() twice is harmless', async ({ store }) => {
    await store.close();
    await store.close();
  });
};
