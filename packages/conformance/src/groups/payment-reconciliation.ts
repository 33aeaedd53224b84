import assert from 'node:assert/strict';
import { isInnkeeperError } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { type PaymentFixture, paymentTest, RECOVERY_AGE_MS } from '../payment-fixture.js';

/**
 * `reconcilePayments`: the gateway's ledger laid beside a hotel's reservations. After a
 * day of money moves (a booking, an extension's top-up, a shortening's refund, an early
 * departure, a cancellation, a declined top-up undone, a no-show) the two agree to the
 * cent; a lost answer shows as unsettled until recovery settles it; a ledger that
 * disagrees is reported reservation by reservation.
 */
export const paymentReconciliationGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);

  async function reconcile({ inn, gateway }: PaymentFixture) {
    return inn.reconcilePayments({ hotelId: HOTEL_ID, movements: gateway.movements() });
  }

  test('after a day of money moves the ledger and every balance agree to the cent', async (fix) => {
    const { inn, clock, gateway } = fix;
    // Extended while in the hotel (a top-up), then leaves a night early (a refund).
    const inHouse = await inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(2) }));
    await inn.checkIn({ reservationId: inHouse.id });
    await inn.modify({ reservationId: inHouse.id, checkOut: day(4) });
    // Shortened (a refund), then cancelled (a second refund, under its own key).
    const shortened = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(4) }));
    await inn.modify({ reservationId: shortened.id, checkOut: day(2) });
    await inn.cancel({ reservationId: shortened.id });
    // A top-up declined: the change undone, nothing taken.
    const declined = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    gateway.scriptCharges('decline');
    const error = await inn
      .modify({ reservationId: declined.id, checkOut: day(3) })
      .catch((e) => e);
    assert.ok(isInnkeeperError(error, 'PAYMENT_FAILED'), String(error));
    // Arrives tomorrow and never shows up.
    const noShow = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    clock.set(`${day(1)}T10:00:00.000Z`);
    await inn.checkOut({ reservationId: inHouse.id });
    clock.set(`${day(1)}T20:00:00.000Z`);
    await inn.markNoShow({ reservationId: noShow.id });

    const report = await reconcile(fix);
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
    assert.equal(report.reservationsChecked, 4);
    assert.equal(report.movementsChecked, gateway.charges.length + gateway.refunds.length);
    // Both sides add up to what the gateway kept.
    const { totals } = report;
    assert.equal(totals.charged, totals.gatewayCharged);
    assert.equal(totals.refunded, totals.gatewayRefunded);
    assert.equal(totals.charged - totals.refunded, gateway.netCollected());
    // Every stay was paid in full and is owed nothing back: what is kept is what it cost.
    assert.equal(totals.due, 0);
    assert.equal(totals.price, gateway.netCollected());
    assert.ok(gateway.refunds.length >= 3, 'the shortening, the cancellation, the early departure');
  });

  test('an unanswered top-up is unsettled until recovery settles it; then the books are clean', async (fix) => {
    const { inn, clock, gateway } = fix;
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    gateway.scriptCharges('timeout-after-charge');
    await inn.modify({ reservationId: r.id, checkOut: day(3) }).catch(() => undefined);
    assert.deepEqual((await reconcile(fix)).findings, [
      { reservationId: r.id, problem: 'unsettled' },
    ]);
    clock.advance(RECOVERY_AGE_MS);
    await inn.recoverPendingPayments();
    assert.equal((await reconcile(fix)).ok, true);
  });

  test('a ledger that disagrees is reported per reservation: a refund the stay does not record, a charge for a stay the hotel does not have', async (fix) => {
    const { inn, gateway } = fix;
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    await inn.cancel({ reservationId: r.id });
    const [charge, refund] = gateway.movements();
    assert.equal(refund?.kind, 'refund');
    const report = await inn.reconcilePayments({
      hotelId: HOTEL_ID,
      movements: [
        ...(charge ? [charge] : []),
        { kind: 'charge', reservationId: 'elsewhere', amount: 500, idempotencyKey: 'x' },
      ],
    });
    assert.equal(report.ok, false);
    assert.deepEqual(report.findings, [
      {
        reservationId: r.id,
        problem: 'refunded-differs',
        recorded: refund?.amount,
        gateway: 0,
      },
      { reservationId: 'elsewhere', problem: 'unknown-reservation', gateway: 500 },
    ]);
  });

  test('bad input is a VALIDATION error and an unknown hotel NOT_FOUND', async (fix) => {
    const { inn } = fix;
    const movement = { kind: 'charge', reservationId: 'r', amount: 1, idempotencyKey: 'k' };
    const bad: unknown[] = [
      {},
      { hotelId: HOTEL_ID },
      { hotelId: HOTEL_ID, movements: [{ ...movement, amount: 0 }] },
      { hotelId: HOTEL_ID, movements: [{ ...movement, amount: 1.5 }] },
      { hotelId: HOTEL_ID, movements: [{ ...movement, kind: 'chargeback' }] },
      { hotelId: HOTEL_ID, movements: [{ ...movement, idempotencyKey: '' }] },
      { hotelId: HOTEL_ID, movements: [], extra: true },
    ];
    for (const input of bad) {
      await rejectsWithCode(inn.reconcilePayments(input as never), 'VALIDATION');
    }
    await rejectsWithCode(
      inn.reconcilePayments({ hotelId: 'no-such-hotel', movements: [] }),
      'NOT_FOUND',
    );
  });
};
