import assert from 'node:assert/strict';
import { emptyRateCard, type InnkeeperStore, type Reservation } from '@innkeeper/core';
import { bookingRequest, day, type Fixture, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

/** Every method of the port but `close()` itself. */
type PortMethodName = Exclude<
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
const calls = {
  insertHotel: ({ hotel }) => [{ ...hotel, id: 'h2' }],
  updateHotel: ({ hotel }) => [{ ...hotel, name: 'Renamed' }],
  getHotel: () => [HOTEL_ID],
  listHotels: () => [{ limit: 10 }],
  insertRoomType: ({ std }) => [{ ...std, id: 'loft' }],
  updateRoomType: ({ std }) => [{ ...std, name: 'Renamed' }],
  listRoomTypes: () => [HOTEL_ID],
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
  applyBooking: (_, r) => [{ reservation: { ...r, id: 'r2', idempotencyKey: 'k2' }, deltas: [] }],
  confirmHold: (_, r) => [{ reservationId: r.id, at: AT }],
  releaseHold: (_, r) => [{ reservationId: r.id, at: AT, reason: 'closed', payment: null }],
  beginCharge: (_, r) => [
    {
      reservationId: r.id,
      at: AT,
      payment: {
        status: 'pending',
        idempotencyKey: 'charge-1',
        amount: r.total,
        currency: 'EUR',
        chargeId: null,
        declineReason: null,
        refunded: 0,
        refundDue: 0,
      },
    },
  ],
  markNoShow: (_, r) => [{ reservationId: r.id, at: AT }],
  recordRefund: (_, r) => [{ reservationId: r.id, at: AT, refundId: 'rf-1' }],
  applyCancellation: (_, r) => [{ reservationId: r.id, at: AT }],
  applyModification: (_, r) => [
    { reservationId: r.id, at: AT, checkIn: r.checkIn, checkOut: r.checkOut, lines: r.lines },
  ],
  expireHolds: () => [{ now: AT, limit: 10 }],
  getReservation: (_, r) => [r.id],
  findReservationByKey: (_, r) => [HOTEL_ID, r.idempotencyKey],
  listReservations: () => [{ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 10 }],
  listPendingPayments: () => [{ updatedBefore: AT, limit: 10 }],
  audit: () => [{}],
  readEvents: () => [0, 10],
} satisfies Record<PortMethodName, (fix: Fixture, held: Reservation) => unknown[]>;

/** `close()`: afterwards the store is unusable, every call fails instead of answering. */
export const closedStoreGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('a closed store refuses every port call: each one rejects, none answers', async (fix) => {
    const { inn, store } = fix;
    const held = await inn.hold(bookingRequest());
    await store.close();
    for (const [method, args] of Object.entries(calls)) {
      const call = (store[method as PortMethodName] as (...a: unknown[]) => Promise<unknown>).bind(
        store,
      );
      let answer: unknown;
      try {
        answer = await call(...args(fix, held));
      } catch {
        continue;
      }
      assert.fail(
        `${method}() answered on a closed store: ${JSON.stringify(answer).slice(0, 200)}`,
      );
    }
  });

  test('close() twice is harmless', async ({ store }) => {
    await store.close();
    await store.close();
  });
};
