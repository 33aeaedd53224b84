import assert from 'node:assert/strict';
import type { Innkeeper, Reservation } from '@innkeeper/core';
import { bookingRequest, day, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { assertNoDrift, paymentTest, RECOVERY_AGE_MS, stored } from '../payment-fixture.js';

/**
 * Money on a change of a paid stay, and the running balance every reservation carries.
 * Shortening refunds what was paid beyond the new total and what the captured terms keep
 * for the nights given back; each refund is its own gateway call with its own key, so a
 * shortening followed by a cancellation is refunded twice, never swallowed as a repeat.
 * After every move the balance agrees with the gateway's own ledger to the cent.
 */
export const modificationMoneyGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);
  // Three std nights at 10 000 from tomorrow (check-in 25 hours away): 30 000.
  const threeNights = () => bookingRequest({ checkIn: day(1), checkOut: day(4) });

  /** 25% of the stay from 48 hours before check-in (so already, for `threeNights`). */
  async function sellOnPolicy(inn: Innkeeper) {
    await inn.upsertCancellationPolicy({
      hotelId: HOTEL_ID,
      policy: {
        id: 'policy',
        name: 'Policy',
        windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'percent', percent: 25 } }],
        noShow: { kind: 'nights', nights: 1 },
      },
    });
    await inn.upsertRatePlan({
      hotelId: HOTEL_ID,
      ratePlan: { id: 'plan', name: 'Plan', cancellationPolicyId: 'policy' },
    });
  }

  /** The balance equals what the gateway holds for this stay, and is recomputed. */
  function assertBalance(r: Reservation, expected: Record<string, number>, collected: number) {
    assert.deepEqual(r.balance, expected);
    const price = r.balance?.price ?? -1;
    assert.equal(collected, price - (r.balance?.due ?? 0));
  }

  test('shortening a paid stay with free cancellation refunds the difference at once', async ({
    inn,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    assertBalance(
      r,
      { price: 30_000, penalties: 0, charged: 30_000, refunded: 0, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    const shorter = await inn.modify({ reservationId: r.id, checkOut: day(3) });
    assert.equal(shorter.total, 20_000);
    assertBalance(
      shorter,
      { price: 20_000, penalties: 0, charged: 30_000, refunded: 10_000, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.deepEqual(
      gateway.refunds.map((f) => [f.chargeId, f.amount]),
      [[r.payment?.chargeId, 10_000]],
    );
    await assertNoDrift(inn);
  });

  test('shortening inside a penalty window keeps what the terms keep for the nights given back; a cancellation later is refunded too, under its own key', async ({
    inn,
    gateway,
  }) => {
    await sellOnPolicy(inn);
    const r = await inn.book({
      ...threeNights(),
      lines: [{ roomTypeId: 'std', ratePlanId: 'plan', rooms: 1, adults: 2 }],
    });
    // 25% of 30 000 is kept at this instant, at most the 10 000 given back: 7 500.
    const shorter = await inn.modify({ reservationId: r.id, checkOut: day(3) });
    assert.equal(shorter.modificationPenalties, 7_500);
    assertBalance(
      shorter,
      { price: 27_500, penalties: 7_500, charged: 30_000, refunded: 2_500, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    // The cancellation keeps its own penalty on top, and refunds the rest in a second call.
    const cancelled = await inn.cancel({ reservationId: r.id });
    const kept = 7_500 + (cancelled.settlement?.penalty ?? 0);
    assertBalance(
      cancelled,
      {
        price: kept,
        penalties: kept,
        charged: 30_000,
        refunded: 30_000 - kept,
        refundDue: 0,
        due: 0,
      },
      gateway.netCollected(),
    );
    assert.equal(gateway.refunds.length, 2);
    assert.equal(new Set(gateway.refunds.map((f) => f.idempotencyKey)).size, 2);
    await assertNoDrift(inn);
  });

  test('a shortening refund the gateway refuses stays owed, and recovery pays it once', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    gateway.scriptRefunds('fail');
    const shorter = await inn.modify({ reservationId: r.id, checkOut: day(2) });
    assert.deepEqual([shorter.payment?.refunded, shorter.payment?.refundDue], [0, 20_000]);
    assert.equal(shorter.balance?.due, 0);
    clock.advance(RECOVERY_AGE_MS);
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.refunded.map((x) => x.id),
      [r.id],
    );
    const after = await stored(store, r.id);
    assertBalance(
      after,
      { price: 10_000, penalties: 0, charged: 30_000, refunded: 20_000, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.deepEqual((await inn.recoverPendingPayments({ olderThanSeconds: 0 })).refunded, []);
    assert.equal(gateway.refunds.length, 1);
  });

  test('an extension of a paid stay shows the difference as due; a hold shortened keeps nothing', async ({
    inn,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    const longer = await inn.modify({ reservationId: r.id, checkOut: day(5) });
    assertBalance(
      longer,
      { price: 40_000, penalties: 0, charged: 30_000, refunded: 0, refundDue: 0, due: 10_000 },
      gateway.netCollected(),
    );
    const hold = await inn.hold(threeNights());
    const shorter = await inn.modify({ reservationId: hold.id, checkOut: day(2) });
    assert.equal(shorter.modificationPenalties, undefined);
    assert.deepEqual(shorter.balance, {
      price: 10_000,
      penalties: 0,
      charged: 0,
      refunded: 0,
      refundDue: 0,
      due: 10_000,
    });
  });
};
