import type { BookInput, Reservation } from '@innkeeper/core';
import { pendingPaymentOf } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import {
  errorOf,
  type FakeGateway,
  GUEST,
  HOTEL,
  key,
  setupEngine,
  snapshot,
} from './engine-support.js';

/**
 * Payment at booking through the engine, with an inline fake gateway (idempotent by
 * key, scripted outcomes). The conformance suite runs broader cases on every store.
 */
const NOW = '2027-04-01T10:00:00.000Z';
const DATES = { hotelId: HOTEL, checkIn: '2027-05-03', checkOut: '2027-05-05' };
const STAY = { ...DATES, guest: GUEST };
const RANGE = ['2027-05-01', '2027-05-10'] as const;

async function setup() {
  const { engine, clock, gateway } = await setupEngine({ now: NOW, payments: true, rooms: 3 });
  if (!gateway) throw new Error('no gateway');
  return { engine, clock, gateway };
}

function bookInput(overrides: Partial<BookInput> = {}): BookInput {
  return {
    ...STAY,
    idempotencyKey: key(),
    lines: [{ roomTypeId: 'std', adults: 2 }],
    ...overrides,
  };
}

async function reserved(engine: Awaited<ReturnType<typeof setup>>['engine']): Promise<number[]> {
  const days = await engine.getCalendar({
    hotelId: HOTEL,
    roomTypeId: 'std',
    from: '2027-05-03',
    to: '2027-05-04',
  });
  return days.map((d) => d.reserved);
}

async function onlyReservation(
  engine: Awaited<ReturnType<typeof setup>>['engine'],
): Promise<Reservation> {
  const page = await engine.listReservations({ hotelId: HOTEL });
  expect(page.items).toHaveLength(1);
  const [reservation] = page.items;
  if (!reservation) throw new Error('no reservation');
  return reservation;
}

function chargeCalls(gateway: FakeGateway) {
  return gateway.calls.filter((c) => c.method === 'charge');
}

describe('booking with a payment gateway', () => {
  test('approved: confirmed, with the charge recorded', async () => {
    const { engine, gateway } = await setup();
    const input = bookInput();
    const reservation = await engine.book(input);
    expect(reservation.status).toBe('confirmed');
    expect(reservation.total).toBe(20_000);
    expect(reservation.payment).toEqual({
      status: 'charged',
      idempotencyKey: `innkeeper:${HOTEL}:${input.idempotencyKey}`,
      amount: 20_000,
      currency: 'EUR',
      chargeId: 'ch_1',
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    });
    expect(reservation.holdExpiresAt).toBeNull();
    expect(reservation.history.map((h) => [h.action, h.status])).toEqual([
      ['created', 'held'],
      ['confirmed', 'confirmed'],
    ]);
    const [charge] = gateway.charges.values();
    expect(charge?.request).toMatchObject({
      idempotencyKey: `innkeeper:${HOTEL}:${input.idempotencyKey}`,
      amount: 20_000,
      currency: 'EUR',
      hotelId: HOTEL,
      reservationId: reservation.id,
    });
    expect(await engine.getReservation(reservation.id)).toEqual(reservation);
    expect(await reserved(engine)).toEqual([1, 1]);
    // Replaying the booking returns it without charging again.
    expect(await engine.book(input)).toEqual(reservation);
    expect(gateway.charges.size).toBe(1);
    expect(pendingPaymentOf(reservation)).toBeNull();
  });

  test('declined: PAYMENT_FAILED (declined), the hold expired and its rooms back on sale', async () => {
    const { engine, gateway } = await setup();
    gateway.next.push('decline');
    const input = bookInput();
    const error = await errorOf(() => engine.book(input));
    expect(error.code).toBe('PAYMENT_FAILED');
    expect(error.details).toMatchObject({ outcome: 'declined', reason: 'card_declined' });
    const reservation = await onlyReservation(engine);
    expect(error.details).toMatchObject({ reservationId: reservation.id });
    expect(reservation.status).toBe('expired');
    expect(reservation.payment).toMatchObject({
      status: 'declined',
      declineReason: 'card_declined',
      chargeId: null,
    });
    expect(reservation.history.map((h) => h.action)).toEqual(['created', 'released']);
    expect(await reserved(engine)).toEqual([0, 0]);
    expect((await engine.audit({ hotelId: HOTEL })).ok).toBe(true);
    // A retry with the same key reports the decline again without charging again.
    const again = await errorOf(() => engine.book(input));
    expect(again.details).toMatchObject({ outcome: 'declined', reservationId: reservation.id });
    expect(chargeCalls(gateway)).toHaveLength(1);
    // A new key is a new attempt.
    const next = await engine.book({ ...input, idempotencyKey: key() });
    expect(next.status).toBe('confirmed');
  });

  test('gateway throws: PAYMENT_FAILED (unknown), held and pending; expiry leaves it; a retry with the same key charges with the same key and confirms', async () => {
    const { engine, clock, gateway } = await setup();
    gateway.next.push('throw');
    const input = bookInput();
    const error = await errorOf(() => engine.book(input));
    expect(error.code).toBe('PAYMENT_FAILED');
    expect(error.details).toMatchObject({ outcome: 'unknown' });
    const held = await onlyReservation(engine);
    expect(held.status).toBe('held');
    expect(held.payment?.status).toBe('pending');
    expect(pendingPaymentOf(held)).toBe('charge');
    expect(await reserved(engine)).toEqual([1, 1]);
    // However late, expiry never releases a hold whose charge may have gone through.
    clock.advance(10 * 24 * 3600 * 1000);
    expect(await engine.expireHolds()).toEqual([]);
    expect(await engine.expireHolds({ now: new Date('2027-12-31T00:00:00.000Z') })).toEqual([]);
    expect((await engine.getReservation(held.id)).status).toBe('held');
    // It cannot be cancelled while the money may be in flight.
    const cancel = await errorOf(() => engine.cancel({ reservationId: held.id }));
    expect(cancel.code).toBe('INVALID_STATE');
    clock.set(NOW);
    const confirmed = await engine.book(input);
    expect(confirmed.id).toBe(held.id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.payment?.status).toBe('charged');
    const keys = chargeCalls(gateway).map((c) => c.key);
    expect(keys).toEqual([held.payment?.idempotencyKey, held.payment?.idempotencyKey]);
    expect(gateway.charges.size).toBe(1);
    expect(gateway.netCollected).toBe(20_000);
  });

  test('charge taken but the answer lost: the retry gets the recorded approval, charged once', async () => {
    const { engine, gateway } = await setup();
    gateway.next.push('approve-then-throw');
    const input = bookInput();
    expect((await errorOf(() => engine.book(input))).details).toMatchObject({ outcome: 'unknown' });
    const confirmed = await engine.book(input);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.payment?.chargeId).toBe('ch_1');
    expect(gateway.netCollected).toBe(20_000);
  });

  test('a stay that costs nothing is confirmed without a charge', async () => {
    const { engine, gateway } = await setup();
    await engine.setRateCard({
      hotelId: HOTEL,
      ratePlans: [
        { id: 'bar', name: 'BAR' },
        { id: 'comp', name: 'Complimentary', derivedFrom: { ratePlanId: 'bar', percent: -100 } },
      ],
    });
    const reservation = await engine.book(
      bookInput({ lines: [{ roomTypeId: 'std', ratePlanId: 'comp', adults: 1 }] }),
    );
    expect(reservation).toMatchObject({ status: 'confirmed', total: 0, payment: null });
    expect(gateway.calls).toEqual([]);
  });

  test('expectedTotal: a stale price is a CONFLICT and nothing is written or charged', async () => {
    const { engine, gateway } = await setup();
    const quote = await engine.quote({ ...DATES, lines: [{ roomTypeId: 'std', adults: 2 }] });
    expect(quote.total).toBe(20_000);
    await engine.setRates({
      hotelId: HOTEL,
      roomTypeId: 'std',
      from: '2027-05-04',
      to: '2027-05-04',
      amount: 12_000,
    });
    const before = await snapshot(engine, ...RANGE);
    const error = await errorOf(() => engine.book(bookInput({ expectedTotal: quote.total })));
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ entity: 'price', id: HOTEL });
    expect(await snapshot(engine, ...RANGE)).toEqual(before);
    expect(gateway.calls).toEqual([]);
    // With the current price it books, and charges exactly that.
    const fresh = await engine.quote({ ...DATES, lines: [{ roomTypeId: 'std', adults: 2 }] });
    const booked = await engine.book(bookInput({ expectedTotal: fresh.total }));
    expect(booked.payment?.amount).toBe(22_000);
    expect(gateway.netCollected).toBe(22_000);
  });
});

describe('recoverPendingPayments', () => {
  async function pendingBooking(script: 'throw' | 'approve-then-throw') {
    const context = await setup();
    context.gateway.next.push(script);
    const input = bookInput();
    await errorOf(() => context.engine.book(input));
    const held = await onlyReservation(context.engine);
    expect(pendingPaymentOf(held)).toBe('charge');
    return { ...context, held, input };
  }

  test('confirms a hold whose charge the gateway took', async () => {
    const { engine, clock, gateway, held } = await pendingBooking('approve-then-throw');
    // Too young: its own booking may still be in flight.
    expect(await engine.recoverPendingPayments()).toEqual({
      confirmed: [],
      released: [],
      refunded: [],
      toppedUp: [],
      undone: [],
      unresolved: [],
    });
    clock.advance(301_000);
    const report = await engine.recoverPendingPayments();
    expect(report.confirmed.map((r) => r.id)).toEqual([held.id]);
    expect(report.released).toEqual([]);
    const after = await engine.getReservation(held.id);
    expect(after.status).toBe('confirmed');
    expect(after.payment).toMatchObject({ status: 'charged', chargeId: 'ch_1' });
    // It asked, it did not charge again.
    expect(chargeCalls(gateway)).toHaveLength(1);
    expect(gateway.calls.filter((c) => c.method === 'findCharge')).toHaveLength(1);
    // Nothing left to do.
    expect((await engine.recoverPendingPayments()).confirmed).toEqual([]);
  });

  test('releases a hold the gateway never charged', async () => {
    const { engine, clock, gateway, held, input } = await pendingBooking('throw');
    clock.advance(301_000);
    const report = await engine.recoverPendingPayments();
    expect(report.released.map((r) => r.id)).toEqual([held.id]);
    const after = await engine.getReservation(held.id);
    expect(after.status).toBe('expired');
    expect(after.payment).toMatchObject({
      status: 'declined',
      declineReason: 'no charge was made',
    });
    expect(await reserved(engine)).toEqual([0, 0]);
    expect((await engine.audit({ hotelId: HOTEL })).ok).toBe(true);
    // A late retry of the booking reports the failure and charges nothing.
    const retry = await errorOf(() => engine.book(input));
    expect(retry.details).toMatchObject({ outcome: 'declined' });
    expect(gateway.charges.size).toBe(0);
  });

  test('leaves a hold pending while the gateway cannot be asked', async () => {
    const { engine, clock, gateway, held } = await pendingBooking('throw');
    gateway.lookupsDown = true;
    clock.advance(301_000);
    const report = await engine.recoverPendingPayments({ olderThanSeconds: 0 });
    expect(report.unresolved.map((u) => u.reservationId)).toEqual([held.id]);
    expect((await engine.getReservation(held.id)).status).toBe('held');
    gateway.lookupsDown = false;
    expect((await engine.recoverPendingPayments({ olderThanSeconds: 0 })).released).toHaveLength(1);
  });
});

describe('refunds on cancellation', () => {
  test('two cancels refund exactly once', async () => {
    const { engine, gateway } = await setup();
    const reservation = await engine.book(bookInput());
    const first = await engine.cancel({ reservationId: reservation.id });
    expect(first.settlement).toMatchObject({ penalty: 0, refund: 20_000 });
    expect(first.payment).toMatchObject({ refunded: 20_000, refundDue: 0 });
    const second = await engine.cancel({ reservationId: reservation.id });
    expect(second).toEqual(first);
    expect(gateway.refunds.size).toBe(1);
    expect(gateway.refundedTotal).toBe(20_000);
    expect(gateway.netCollected).toBe(0);
  });

  test('concurrent cancels refund exactly once', async () => {
    const { engine, gateway } = await setup();
    const reservation = await engine.book(bookInput());
    const results = await Promise.all([
      engine.cancel({ reservationId: reservation.id }),
      engine.cancel({ reservationId: reservation.id }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(gateway.refunds.size).toBe(1);
    expect(gateway.refundedTotal).toBe(20_000);
    const stored = await engine.getReservation(reservation.id);
    expect(stored.payment).toMatchObject({ refunded: 20_000, refundDue: 0 });
  });

  test('a refund the gateway did not confirm is retried by the next cancel, once', async () => {
    const { engine, gateway } = await setup();
    const reservation = await engine.book(bookInput());
    gateway.refundsDown = true;
    const first = await engine.cancel({ reservationId: reservation.id });
    expect(first.status).toBe('cancelled');
    expect(first.payment).toMatchObject({ refunded: 0, refundDue: 20_000 });
    expect(pendingPaymentOf(first)).toBe('refund');
    gateway.refundsDown = false;
    const second = await engine.cancel({ reservationId: reservation.id });
    expect(second.payment).toMatchObject({ refunded: 20_000, refundDue: 0 });
    const third = await engine.cancel({ reservationId: reservation.id });
    expect(third.payment).toMatchObject({ refunded: 20_000, refundDue: 0 });
    expect(gateway.refunds.size).toBe(1);
    expect(gateway.refundedTotal).toBe(20_000);
  });

  test('or by the recovery sweep', async () => {
    const { engine, clock, gateway } = await setup();
    const reservation = await engine.book(bookInput());
    gateway.refundsDown = true;
    await engine.cancel({ reservationId: reservation.id });
    clock.advance(301_000);
    const stillDown = await engine.recoverPendingPayments();
    expect(stillDown.unresolved.map((u) => u.reservationId)).toEqual([reservation.id]);
    gateway.refundsDown = false;
    const report = await engine.recoverPendingPayments();
    expect(report.refunded.map((r) => r.id)).toEqual([reservation.id]);
    expect(gateway.refundedTotal).toBe(20_000);
    expect((await engine.recoverPendingPayments()).refunded).toEqual([]);
  });
});
