import assert from 'node:assert/strict';
import { type Innkeeper, isInnkeeperError, type Reservation } from '@innkeeper/core';
import { bookingRequest, day, HOTEL_ID, reservedOn } from '../fixture.js';
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

  test('an extension of a paid stay charges the difference under its own key, once; a hold shortened keeps nothing', async ({
    inn,
    store,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    const longer = await inn.modify({ reservationId: r.id, checkOut: day(5) });
    // Keyed by the version the change made: one charge per change, whatever retries it.
    const key = `${r.payment?.idempotencyKey}:top-up:${r.version + 1}`;
    assert.equal(gateway.chargedAmount(key), 10_000);
    assert.deepEqual(
      longer.payment?.topUps?.map((t) => [t.key, t.amount, t.status]),
      [[key, 10_000, 'charged']],
    );
    assert.equal(longer.replacedStay, undefined);
    assertBalance(
      longer,
      { price: 40_000, penalties: 0, charged: 40_000, refunded: 0, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.deepEqual(await stored(store, r.id), longer);
    // The same change again is that change: nothing written, nothing charged.
    assert.deepEqual(await inn.modify({ reservationId: r.id, checkOut: day(5) }), longer);
    assert.equal(gateway.charges.length, 2);

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
    await assertNoDrift(inn);
  });

  test('a declined top-up undoes the change: the old stay back, the new nights released, nothing owed', async ({
    inn,
    store,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    gateway.scriptCharges('decline');
    const error = await inn.modify({ reservationId: r.id, checkOut: day(5) }).catch((e) => e);
    assert.ok(isInnkeeperError(error, 'PAYMENT_FAILED'), String(error));
    assert.equal(error.details.outcome, 'declined');
    const after = await stored(store, r.id);
    assert.deepEqual(
      [after.checkOut, after.total, after.version, after.status],
      [day(4), 30_000, r.version + 2, 'confirmed'],
    );
    assert.deepEqual(
      after.history.slice(r.history.length).map((h) => h.action),
      ['modified', 'modified'],
    );
    assert.match(after.history.at(-1)?.reason ?? '', /top-up declined.*undone/);
    assert.equal(after.payment?.topUps?.[0]?.status, 'declined');
    assert.equal(after.replacedStay, undefined);
    assertBalance(
      after,
      { price: 30_000, penalties: 0, charged: 30_000, refunded: 0, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(6)), [1, 1, 1, 0, 0]);
    await assertNoDrift(inn);
  });

  test('a top-up whose answer is lost: the change stands, pending, refused other moves; recovery finds the charge and records it once', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    gateway.scriptCharges('timeout-after-charge');
    const error = await inn.modify({ reservationId: r.id, checkOut: day(5) }).catch((e) => e);
    assert.ok(isInnkeeperError(error, 'PAYMENT_FAILED'), String(error));
    assert.equal(error.details.outcome, 'unknown');
    const pending = await stored(store, r.id);
    assert.equal(pending.checkOut, day(5));
    assert.equal(pending.payment?.topUps?.[0]?.status, 'pending');
    assert.equal(pending.replacedStay?.checkOut, day(4));
    const cancelError = await inn.cancel({ reservationId: r.id }).catch((e) => e);
    assert.ok(isInnkeeperError(cancelError, 'INVALID_STATE'), String(cancelError));
    clock.advance(RECOVERY_AGE_MS);
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.toppedUp.map((x) => x.id),
      [r.id],
    );
    const after = await stored(store, r.id);
    assertBalance(
      after,
      { price: 40_000, penalties: 0, charged: 40_000, refunded: 0, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.equal(after.replacedStay, undefined);
    assert.equal(gateway.charges.length, 2);
    assert.deepEqual((await inn.recoverPendingPayments({ olderThanSeconds: 0 })).toppedUp, []);
    await assertNoDrift(inn);
  });

  test('a top-up the gateway never took is undone by recovery, the new nights back on sale', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    gateway.scriptCharges('timeout');
    await inn.modify({ reservationId: r.id, checkOut: day(5) }).catch(() => undefined);
    assert.deepEqual(await reservedOn(store, 'std', day(3), day(5)), [1, 1]);
    clock.advance(RECOVERY_AGE_MS);
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.undone.map((x) => x.id),
      [r.id],
    );
    const after = await stored(store, r.id);
    assert.deepEqual([after.checkOut, after.total], [day(4), 30_000]);
    assert.deepEqual(await reservedOn(store, 'std', day(3), day(5)), [1, 0]);
    assertBalance(
      after,
      { price: 30_000, penalties: 0, charged: 30_000, refunded: 0, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.equal(gateway.charges.length, 1);
    await assertNoDrift(inn);
  });

  test('a refund after a top-up goes back to each charge, never more than it took', async ({
    inn,
    gateway,
  }) => {
    const r = await inn.book(threeNights());
    const longer = await inn.modify({ reservationId: r.id, checkOut: day(5) });
    const topUpCharge = longer.payment?.topUps?.[0]?.chargeId;
    assert.ok(topUpCharge);
    const cancelled = await inn.cancel({ reservationId: r.id });
    assert.equal(cancelled.settlement?.refund, 40_000);
    assert.equal(gateway.refundedAmount(r.payment?.chargeId ?? ''), 30_000);
    assert.equal(gateway.refundedAmount(topUpCharge), 10_000);
    assertBalance(
      cancelled,
      { price: 0, penalties: 0, charged: 40_000, refunded: 40_000, refundDue: 0, due: 0 },
      gateway.netCollected(),
    );
    assert.equal(gateway.netCollected(), 0);
  });
};
