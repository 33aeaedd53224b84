/**
 * The store commands the rate card and payments added to the port, on hand-built
 * reservations booked through `applyBooking` (no engine involved): the rate card's
 * compare-and-set, the pending-payment index, release / no-show / refund round trips,
 * and expiry skipping holds whose charge is pending.
 */
import {
  addDays,
  type CancellationTerms,
  eachDate,
  freeCancellation,
  type InnkeeperStore,
  type PaymentRecord,
  type RateCard,
  type Reservation,
  type ReservationLine,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import {
  claimsOf,
  decideCancel,
  decideConfirm,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
} from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../src/index.js';

const HOTEL = 'h1';
const ROOM = 'std';
const CREATED = '2030-06-01T10:00:00.000Z';
const CHECK_IN = '2030-06-10';
const CHECK_OUT = '2030-06-12';
const CHECK_IN_AT = '2030-06-10T15:00:00.000Z';
const RATE = 10_000;

// The port's one reservation command with the decider each former command stood for.
const applyCancellation = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; reason?: string },
) => store.changeReservation(c.reservationId, (r) => decideCancel(r, c.at, c.reason));
const confirmHold = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; payment?: PaymentRecord },
) => store.changeReservation(c.reservationId, (r) => decideConfirm(r, c.at, c.payment));
const markNoShow = (store: InnkeeperStore, c: { reservationId: string; at: string }) =>
  store.changeReservation(c.reservationId, (r) => decideNoShow(r, c.at));
const recordRefund = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; refundId: string },
) => store.changeReservation(c.reservationId, (r) => decideRefundRecorded(r, c.at, c.refundId));
const releaseHold = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; reason: string; payment: PaymentRecord | null },
) => store.changeReservation(c.reservationId, (r) => decideRelease(r, c.at, c.reason, c.payment));

async function setup(): Promise<MemoryStore> {
  const store = createMemoryStore();
  const at = '2030-01-01T00:00:00.000Z';
  await store.saveHotel(
    {
      id: HOTEL,
      name: 'Hotel',
      timeZone: 'UTC',
      currency: 'EUR',
      overbookingPercent: 0,
      createdAt: at,
      updatedAt: at,
    },
    'create',
  );
  await store.saveRoomType(
    {
      id: ROOM,
      hotelId: HOTEL,
      name: 'Standard',
      maxAdults: 2,
      maxChildren: 0,
      maxOccupancy: 2,
      overbookingPercent: null,
      baseRate: RATE,
      createdAt: at,
      updatedAt: at,
    },
    'create',
  );
  const outcome = await store.updateCalendar(
    {
      hotelId: HOTEL,
      roomTypeId: ROOM,
      dates: eachDate('2030-06-01', '2030-06-30'),
      total: { set: 10 },
      overbookingPercent: 0,
      allowOverbooked: false,
    },
    at,
  );
  expect(outcome.kind).toBe('updated');
  return store;
}

function line(checkIn: string, checkOut: string): ReservationLine {
  const nights = eachDate(checkIn, checkOut).map((date) => ({
    date,
    rate: RATE,
    supplements: 0,
    discount: 0,
    amount: RATE,
    tax: 0,
  }));
  const roomCharge = nights.length * RATE;
  return {
    roomTypeId: ROOM,
    ratePlanId: STANDARD_RATE_PLAN_ID,
    rooms: 1,
    adults: 1,
    children: 0,
    nights,
    taxes: [],
    roomCharge,
    taxTotal: 0,
    total: roomCharge,
    policy: null,
  };
}

function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    status: 'pending',
    idempotencyKey: 'pay-key',
    amount: 2 * RATE,
    currency: 'EUR',
    chargeId: null,
    declineReason: null,
    refunded: 0,
    refundDue: 0,
    ...overrides,
  };
}

/** A reservation as the engine would plan it: one room, two nights, 200.00 EUR. */
function reservation(id: string, overrides: Partial<Reservation> = {}): Reservation {
  const at = overrides.createdAt ?? CREATED;
  const status = overrides.status ?? 'confirmed';
  const stayLine = line(CHECK_IN, CHECK_OUT);
  return {
    id,
    hotelId: HOTEL,
    status,
    checkIn: CHECK_IN,
    checkOut: CHECK_OUT,
    lines: [stayLine],
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    roomCharge: stayLine.roomCharge,
    taxTotal: 0,
    total: stayLine.total,
    cancellation: freeCancellation(CHECK_IN_AT),
    payment: null,
    settlement: null,
    idempotencyKey: `key-${id}`,
    requestFingerprint: `fp-${id}`,
    holdExpiresAt: status === 'held' ? '2030-06-01T10:15:00.000Z' : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, action: 'created', status }],
    ...overrides,
  };
}

async function book(store: MemoryStore, r: Reservation): Promise<void> {
  const outcome = await store.applyBooking({ reservation: r, deltas: claimsOf(r.lines) });
  expect(outcome.kind).toBe('created');
}

async function reservedOn(store: MemoryStore, date: string): Promise<number> {
  const view = await store.readStay({ hotelId: HOTEL, from: date, to: addDays(date, 1) });
  return view?.days.find((d) => d.date === date)?.reserved ?? 0;
}

async function lastEvent(store: MemoryStore) {
  const events = await store.readEvents(0, 100_000);
  return events[events.length - 1];
}

function card(revision: number, overrides: Partial<RateCard> = {}): RateCard {
  return {
    hotelId: HOTEL,
    revision,
    updatedAt: `2030-01-0${revision}T00:00:00.000Z`,
    checkInTime: '15:00',
    ratePlans: [{ id: 'bar', name: 'Best available', lengthOfStayDiscounts: [] }],
    restrictions: [],
    taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 }],
    cancellationPolicies: [],
    ...overrides,
  };
}

describe('rate card', () => {
  test('none until stored: getRateCard and readStay say null', async () => {
    const store = await setup();
    await expect(store.getRateCard(HOTEL)).resolves.toBeNull();
    await expect(store.getRateCard('nope')).resolves.toBeNull();
    const view = await store.readStay({ hotelId: HOTEL, from: CHECK_IN, to: CHECK_OUT });
    expect(view?.rateCard).toBeNull();
  });

  test('putRateCard is a compare-and-set on the revision; an unknown hotel is missing', async () => {
    const store = await setup();
    await expect(store.putRateCard(card(1, { hotelId: 'nope' }), 0)).resolves.toBe('missing');
    await expect(store.putRateCard(card(2), 1)).resolves.toBe('conflict');
    await expect(store.getRateCard(HOTEL)).resolves.toBeNull();

    await expect(store.putRateCard(card(1), 0)).resolves.toBe('updated');
    await expect(store.getRateCard(HOTEL)).resolves.toEqual(card(1));
    // A second editor who also read revision 0 loses and writes nothing.
    await expect(store.putRateCard(card(1, { checkInTime: '14:00' }), 0)).resolves.toBe('conflict');
    await expect(store.getRateCard(HOTEL)).resolves.toEqual(card(1));

    await expect(store.putRateCard(card(2, { checkInTime: '16:00' }), 1)).resolves.toBe('updated');
    await expect(store.getRateCard(HOTEL)).resolves.toEqual(card(2, { checkInTime: '16:00' }));
    const view = await store.readStay({ hotelId: HOTEL, from: CHECK_IN, to: CHECK_OUT });
    expect(view?.rateCard).toEqual(card(2, { checkInTime: '16:00' }));
  });

  test('the store keeps its own copy and hands out copies', async () => {
    const store = await setup();
    const input = card(1);
    await store.putRateCard(input, 0);
    input.checkInTime = '01:00';
    (input.ratePlans[0] as { name: string }).name = 'mutated';
    input.taxes.length = 0;

    const got = (await store.getRateCard(HOTEL)) as RateCard;
    got.ratePlans.push({ id: 'x', name: 'x', lengthOfStayDiscounts: [] });
    const viewed = (await store.readStay({ hotelId: HOTEL, from: CHECK_IN, to: CHECK_OUT }))
      ?.rateCard;
    expect(viewed).toEqual(card(1));
    viewed?.taxes.splice(0);

    await expect(store.getRateCard(HOTEL)).resolves.toEqual(card(1));
  });
});

describe('listPendingPayments', () => {
  test('charges and refunds due, at or before updatedBefore, oldest change first, at most limit', async () => {
    const store = await setup();
    const at = (minute: number) => `2030-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    // Pending charges (held) and refunds due, created in an order unlike their updatedAt.
    await book(store, reservation('c', { status: 'held', payment: payment(), createdAt: at(30) }));
    await book(
      store,
      reservation('a', {
        payment: payment({ status: 'charged', chargeId: 'ch-a', refundDue: 500 }),
        createdAt: at(10),
      }),
    );
    await book(store, reservation('b', { status: 'held', payment: payment(), createdAt: at(20) }));
    await book(
      store,
      reservation('late', { status: 'held', payment: payment(), createdAt: at(50) }),
    );
    // Not pending: pay at the hotel, charged with nothing owed back (or already given back).
    await book(store, reservation('hotel', { createdAt: at(1) }));
    await book(
      store,
      reservation('paid', {
        payment: payment({ status: 'charged', chargeId: 'ch-p' }),
        createdAt: at(2),
      }),
    );
    await book(
      store,
      reservation('refunded', {
        payment: payment({ status: 'charged', chargeId: 'ch-r', refunded: RATE }),
        createdAt: at(3),
      }),
    );

    const ids = async (updatedBefore: string, limit: number) =>
      (await store.listPendingPayments({ updatedBefore, limit })).map((r) => r.id);
    expect(await ids(at(40), 10)).toEqual(['a', 'b', 'c']);
    expect(await ids(at(40), 2)).toEqual(['a', 'b']);
    expect(await ids(at(20), 10)).toEqual(['a', 'b']); // inclusive
    expect(await ids(at(59), 10)).toEqual(['a', 'b', 'c', 'late']);
    expect(await ids(at(5), 10)).toEqual([]);
    expect(await ids(at(59), 0)).toEqual([]);

    // Settling them takes them out of the sweep; a confirm moves updatedAt, too.
    const confirmed = await confirmHold(store, {
      reservationId: 'b',
      at: at(45),
      payment: payment({ status: 'charged', chargeId: 'ch-b' }),
    });
    expect(confirmed.kind).toBe('applied');
    const refunded = await recordRefund(store, {
      reservationId: 'a',
      at: at(46),
      refundId: 're-a',
    });
    expect(refunded.kind).toBe('applied');
    const released = await releaseHold(store, {
      reservationId: 'c',
      at: at(47),
      reason: 'declined',
      payment: payment({ status: 'declined', declineReason: 'insufficient funds' }),
    });
    expect(released.kind).toBe('applied');
    expect(await ids(at(59), 10)).toEqual(['late']);
  });

  test('returns copies', async () => {
    const store = await setup();
    await book(store, reservation('p', { status: 'held', payment: payment() }));
    const [listed] = await store.listPendingPayments({ updatedBefore: CREATED, limit: 1 });
    (listed?.payment as PaymentRecord).status = 'charged';
    (listed as Reservation).status = 'confirmed';
    const stored = await store.getReservation('p');
    expect(stored?.status).toBe('held');
    expect(stored?.payment?.status).toBe('pending');
    expect(await store.listPendingPayments({ updatedBefore: CREATED, limit: 1 })).toHaveLength(1);
  });
});

describe('confirmHold with a payment', () => {
  test('confirms a paid hold past its TTL and records the payment; without one it is refused', async () => {
    const store = await setup();
    await book(store, reservation('h', { status: 'held', payment: payment() }));
    const late = '2030-06-01T11:00:00.000Z';
    expect((await confirmHold(store, { reservationId: 'h', at: late })).kind).toBe('invalid-state');
    const charged = payment({ status: 'charged', chargeId: 'ch-1' });
    const outcome = await confirmHold(store, { reservationId: 'h', at: late, payment: charged });
    expect(outcome.kind).toBe('applied');
    charged.chargeId = 'mutated';
    const stored = await store.getReservation('h');
    expect(stored).toMatchObject({ status: 'confirmed', holdExpiresAt: null, version: 2 });
    expect(stored?.payment).toEqual(payment({ status: 'charged', chargeId: 'ch-1' }));
    expect((await lastEvent(store))?.type).toBe('reservation.confirmed');
    expect(await store.listPendingPayments({ updatedBefore: late, limit: 10 })).toEqual([]);
  });
});

describe('releaseHold', () => {
  test('puts a hold whose payment failed back on sale, once, recording the payment', async () => {
    const store = await setup();
    await book(store, reservation('h', { status: 'held', payment: payment() }));
    expect(await reservedOn(store, CHECK_IN)).toBe(1);
    const at = '2030-06-01T10:05:00.000Z';
    const declined = payment({ status: 'declined', declineReason: 'card declined' });
    const command = { reservationId: 'h', at, reason: 'payment declined', payment: declined };

    const outcome = await releaseHold(store, command);
    expect(outcome.kind).toBe('applied');
    const stored = await store.getReservation('h');
    expect(stored).toMatchObject({ status: 'expired', holdExpiresAt: null, payment: declined });
    expect(stored?.history.map((h) => h.action)).toEqual(['created', 'released']);
    expect(await reservedOn(store, CHECK_IN)).toBe(0);
    expect(await reservedOn(store, '2030-06-11')).toBe(0);
    const event = await lastEvent(store);
    expect(event?.type).toBe('reservation.released');
    expect(event?.reservationId).toBe('h');
    expect(event?.days.map((d) => [d.date, d.reserved])).toEqual([
      [CHECK_IN, 0],
      ['2030-06-11', 0],
    ]);

    const events = (await store.readEvents(0, 1000)).length;
    expect((await releaseHold(store, command)).kind).toBe('unchanged');
    expect((await store.readEvents(0, 1000)).length).toBe(events);
    expect(await store.listPendingPayments({ updatedBefore: at, limit: 10 })).toEqual([]);
    expect((await store.audit()).ok).toBe(true);
  });

  test('refuses a confirmed reservation and reports an unknown one', async () => {
    const store = await setup();
    await book(store, reservation('c'));
    const command = { at: CREATED, reason: 'x', payment: null };
    expect((await releaseHold(store, { ...command, reservationId: 'c' })).kind).toBe(
      'invalid-state',
    );
    expect((await releaseHold(store, { ...command, reservationId: 'nope' })).kind).toBe(
      'not-found',
    );
    expect(await reservedOn(store, CHECK_IN)).toBe(1);
  });
});

describe('markNoShow and recordRefund', () => {
  const terms: CancellationTerms = {
    checkInAt: CHECK_IN_AT,
    freeUntil: '2030-06-09T15:00:00.000Z',
    windows: [{ from: '2030-06-09T15:00:00.000Z', penalty: RATE }],
    noShowFee: RATE,
  };

  test('a paid no-show keeps the fee, releases the nights and owes the rest back until the refund is recorded', async () => {
    const store = await setup();
    const paid = payment({ status: 'charged', chargeId: 'ch-1' });
    await book(store, reservation('n', { payment: paid, cancellation: terms }));

    const early = '2030-06-10T14:59:59.000Z';
    expect((await markNoShow(store, { reservationId: 'n', at: early })).kind).toBe('invalid-state');
    expect(await reservedOn(store, CHECK_IN)).toBe(1);

    const at = '2030-06-11T00:00:00.000Z';
    const outcome = await markNoShow(store, { reservationId: 'n', at });
    expect(outcome.kind).toBe('applied');
    const noShow = await store.getReservation('n');
    expect(noShow).toMatchObject({
      status: 'no-show',
      settlement: { kind: 'no-show', at, penalty: RATE, refund: RATE },
      payment: { ...paid, refundDue: RATE },
    });
    expect(await reservedOn(store, CHECK_IN)).toBe(0);
    const event = await lastEvent(store);
    expect(event?.type).toBe('reservation.no-show');
    expect(event?.days).toHaveLength(2);
    expect((await markNoShow(store, { reservationId: 'n', at })).kind).toBe('unchanged');

    // The refund owed is what the sweep picks up.
    const pending = await store.listPendingPayments({ updatedBefore: at, limit: 10 });
    expect(pending.map((r) => r.id)).toEqual(['n']);

    const refundAt = '2030-06-11T00:01:00.000Z';
    const refund = await recordRefund(store, {
      reservationId: 'n',
      at: refundAt,
      refundId: 're-1',
    });
    expect(refund.kind).toBe('applied');
    const settled = await store.getReservation('n');
    expect(settled?.payment).toEqual({ ...paid, refunded: RATE, refundDue: 0 });
    expect(settled?.history.map((h) => h.action)).toEqual(['created', 'no-show', 'payment']);
    const paymentEvent = await lastEvent(store);
    expect(paymentEvent?.type).toBe('reservation.payment');
    expect(paymentEvent?.days).toEqual([]);
    expect(await store.listPendingPayments({ updatedBefore: refundAt, limit: 10 })).toEqual([]);

    const events = (await store.readEvents(0, 1000)).length;
    expect(
      (await recordRefund(store, { reservationId: 'n', at: refundAt, refundId: 're-1' })).kind,
    ).toBe('unchanged');
    expect((await store.readEvents(0, 1000)).length).toBe(events);
    expect((await store.audit()).ok).toBe(true);
  });

  test('a no-show of a reservation paid at the hotel owes nothing back; a hold cannot be a no-show', async () => {
    const store = await setup();
    await book(store, reservation('n', { cancellation: terms }));
    await book(store, reservation('h', { status: 'held', cancellation: terms }));
    const at = '2030-06-11T00:00:00.000Z';
    expect((await markNoShow(store, { reservationId: 'n', at })).kind).toBe('applied');
    expect((await store.getReservation('n'))?.settlement).toEqual({
      kind: 'no-show',
      at,
      penalty: RATE,
      refund: 0,
    });
    expect((await markNoShow(store, { reservationId: 'h', at })).kind).toBe('invalid-state');
    expect((await markNoShow(store, { reservationId: 'x', at })).kind).toBe('not-found');
    expect(await store.listPendingPayments({ updatedBefore: at, limit: 10 })).toEqual([]);
  });

  test('a paid cancellation owes its refund through the same path', async () => {
    const store = await setup();
    const paid = payment({ status: 'charged', chargeId: 'ch-1' });
    await book(store, reservation('c', { payment: paid, cancellation: terms }));
    const at = '2030-06-09T16:00:00.000Z'; // inside the one-night penalty window
    expect((await applyCancellation(store, { reservationId: 'c', at })).kind).toBe('applied');
    const pending = await store.listPendingPayments({ updatedBefore: at, limit: 10 });
    expect(pending.map((r) => [r.id, r.payment?.refundDue])).toEqual([['c', RATE]]);
    expect((await recordRefund(store, { reservationId: 'c', at, refundId: 're-c' })).kind).toBe(
      'applied',
    );
    expect(await store.listPendingPayments({ updatedBefore: at, limit: 10 })).toEqual([]);
  });
});

describe('expireHolds', () => {
  test('skips holds whose charge is pending without counting them against the limit', async () => {
    const store = await setup();
    // The pending-charge holds come first in booking order, so a store that counted
    // them would expire nothing.
    for (const id of ['p1', 'p2', 'p3']) {
      await book(store, reservation(id, { status: 'held', payment: payment() }));
    }
    await book(store, reservation('e1', { status: 'held' }));
    await book(store, reservation('e2', { status: 'held' }));
    await book(
      store,
      reservation('later', { status: 'held', holdExpiresAt: '2030-06-02T00:00:00.000Z' }),
    );
    expect(await reservedOn(store, CHECK_IN)).toBe(6);

    const now = '2030-06-01T12:00:00.000Z';
    const first = await store.expireHolds({ now, limit: 1 });
    expect(first.map((r) => r.id)).toEqual(['e1']);
    const rest = await store.expireHolds({ now, limit: 10 });
    expect(rest.map((r) => [r.id, r.status])).toEqual([['e2', 'expired']]);
    expect(await store.expireHolds({ now, limit: 10 })).toEqual([]);

    for (const id of ['p1', 'p2', 'p3', 'later']) {
      expect((await store.getReservation(id))?.status).toBe('held');
    }
    expect(await reservedOn(store, CHECK_IN)).toBe(4);
    const pending = await store.listPendingPayments({ updatedBefore: now, limit: 10 });
    expect(pending.map((r) => r.id)).toEqual(['p1', 'p2', 'p3']);
    expect((await store.audit()).ok).toBe(true);
  });
});
