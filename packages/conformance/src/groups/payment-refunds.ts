import assert from 'node:assert/strict';
import type { Innkeeper } from '@innkeeper/core';
import { bookingRequest, day, HOTEL_ID, reservedOn } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { assertNoDrift, paymentTest, RECOVERY_AGE_MS, stored } from '../payment-fixture.js';

/**
 * Refunds through the gateway: cancel() and markNoShow() settle under the captured
 * terms and give back what the penalty does not keep, exactly once; a refund the gateway
 * does not confirm stays owed (`refundDue`) until a repeat or recovery completes it.
 */
export const paymentRefundsGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);
  // Two std nights at 10 000: a total of 20 000, check-in tomorrow (25 hours away).
  const twoNights = () => bookingRequest({ checkIn: day(1), checkOut: day(3) });

  /** 25% from 48 hours before check-in (so already, for `twoNights`); no-show: one night. */
  async function sellOnPolicy(inn: Innkeeper, policy: { nonRefundable?: boolean } = {}) {
    await inn.upsertCancellationPolicy({
      hotelId: HOTEL_ID,
      policy: {
        id: 'policy',
        name: 'Policy',
        ...policy,
        windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'percent', percent: 25 } }],
        noShow: { kind: 'nights', nights: 1 },
      },
    });
    await inn.upsertRatePlan({
      hotelId: HOTEL_ID,
      ratePlan: { id: 'plan', name: 'Plan', cancellationPolicyId: 'policy' },
    });
  }

  test('cancel() with free cancellation refunds the whole charge, once even when repeated', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    const r = await inn.book(twoNights());
    const cancelled = await inn.cancel({ reservationId: r.id });
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(cancelled.settlement, {
      kind: 'cancellation',
      at: clock.now().toISOString(),
      penalty: 0,
      refund: 20_000,
    });
    assert.deepEqual([cancelled.payment?.refunded, cancelled.payment?.refundDue], [20_000, 0]);
    assert.deepEqual(
      gateway.refunds.map((f) => [f.chargeId, f.amount, f.reservationId]),
      [[r.payment?.chargeId, 20_000, r.id]],
    );
    clock.advance(60_000);
    assert.deepEqual(await inn.cancel({ reservationId: r.id }), cancelled);
    assert.deepEqual(await stored(store, r.id), cancelled);
    assert.equal(gateway.refunds.length, 1);
    assert.equal(gateway.netCollected(), 0);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [0, 0]);
    await assertNoDrift(inn);
  });

  test('cancel() inside a penalty window refunds what the penalty does not keep', async ({
    inn,
    gateway,
  }) => {
    await sellOnPolicy(inn);
    const r = await inn.book(twoNights());
    const cancelled = await inn.cancel({ reservationId: r.id });
    assert.deepEqual(
      [cancelled.settlement?.penalty, cancelled.settlement?.refund],
      [5_000, 15_000],
    );
    assert.equal(cancelled.payment?.refunded, 15_000);
    assert.equal(gateway.refundedAmount(r.payment?.chargeId ?? ''), 15_000);
    assert.equal(gateway.netCollected(), 5_000);
    await assertNoDrift(inn);
  });

  test('cancel() of a non-refundable booking keeps the whole charge and asks for no refund', async ({
    inn,
    gateway,
  }) => {
    await sellOnPolicy(inn, { nonRefundable: true });
    const r = await inn.book(twoNights());
    const cancelled = await inn.cancel({ reservationId: r.id });
    assert.deepEqual([cancelled.settlement?.penalty, cancelled.settlement?.refund], [20_000, 0]);
    assert.deepEqual([cancelled.payment?.refunded, cancelled.payment?.refundDue], [0, 0]);
    assert.equal(gateway.calls.filter((c) => c.method === 'refund').length, 0);
    assert.equal(gateway.netCollected(), 20_000);
    await assertNoDrift(inn);
  });

  test(
    'cancel() called concurrently refunds once',
    async ({ inn, store, gateway }) => {
      const r = await inn.book(twoNights());
      const results = await Promise.all([
        inn.cancel({ reservationId: r.id }),
        inn.cancel({ reservationId: r.id }),
        inn.cancel({ reservationId: r.id }),
      ]);
      assert.deepEqual(
        results.map((c) => c.status),
        ['cancelled', 'cancelled', 'cancelled'],
      );
      assert.equal(gateway.refunds.length, 1);
      assert.equal(gateway.netCollected(), 0);
      const final = await stored(store, r.id);
      assert.deepEqual([final.payment?.refunded, final.payment?.refundDue], [20_000, 0]);
      assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [0, 0]);
      await assertNoDrift(inn);
    },
    { latencyMs: 5 },
  );

  for (const outcome of ['fail', 'timeout'] as const) {
    test(`cancel() whose refund gets '${outcome}' keeps it owed, and recovery completes it once`, async ({
      inn,
      store,
      clock,
      gateway,
    }) => {
      const r = await inn.book(twoNights());
      gateway.scriptRefunds(outcome);
      const cancelled = await inn.cancel({ reservationId: r.id });
      assert.equal(cancelled.status, 'cancelled');
      assert.deepEqual([cancelled.payment?.refunded, cancelled.payment?.refundDue], [0, 20_000]);
      assert.deepEqual(await stored(store, r.id), cancelled);
      assert.equal(gateway.refunds.length, 0);
      clock.advance(RECOVERY_AGE_MS);
      const report = await inn.recoverPendingPayments();
      assert.deepEqual(
        report.refunded.map((x) => x.id),
        [r.id],
      );
      const after = await stored(store, r.id);
      assert.deepEqual([after.payment?.refunded, after.payment?.refundDue], [20_000, 0]);
      assert.equal(gateway.refunds.length, 1);
      const again = await inn.recoverPendingPayments({ olderThanSeconds: 0 });
      assert.deepEqual(again.refunded, []);
      assert.equal(gateway.netCollected(), 0);
      await assertNoDrift(inn);
    });
  }

  for (const outcome of ['timeout-after-refund', 'crash-after-refund'] as const) {
    test(`cancel() whose refund was made but unanswered ('${outcome}') is completed by recovery without a second refund`, async ({
      inn,
      store,
      clock,
      gateway,
    }) => {
      const r = await inn.book(twoNights());
      gateway.scriptRefunds(outcome);
      const cancelled = await inn.cancel({ reservationId: r.id });
      assert.equal(cancelled.payment?.refundDue, 20_000);
      assert.equal(gateway.refunds.length, 1);
      clock.advance(RECOVERY_AGE_MS);
      await inn.recoverPendingPayments();
      const after = await stored(store, r.id);
      assert.deepEqual([after.payment?.refunded, after.payment?.refundDue], [20_000, 0]);
      assert.equal(gateway.refunds.length, 1);
      assert.equal(gateway.netCollected(), 0);
      await assertNoDrift(inn);
    });
  }

  test('cancel() repeated after an unconfirmed refund retries the refund', async ({
    inn,
    gateway,
  }) => {
    const r = await inn.book(twoNights());
    gateway.scriptRefunds('fail');
    assert.equal((await inn.cancel({ reservationId: r.id })).payment?.refundDue, 20_000);
    const again = await inn.cancel({ reservationId: r.id });
    assert.deepEqual([again.payment?.refunded, again.payment?.refundDue], [20_000, 0]);
    assert.equal(gateway.refunds.length, 1);
  });

  test('recoverPendingPayments() reports a refund the gateway keeps refusing as unresolved', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    const r = await inn.book(twoNights());
    gateway.scriptRefunds('fail', 'fail');
    await inn.cancel({ reservationId: r.id });
    clock.advance(RECOVERY_AGE_MS);
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.unresolved.map((u) => u.reservationId),
      [r.id],
    );
    assert.equal((await stored(store, r.id)).payment?.refundDue, 20_000);
    const next = await inn.recoverPendingPayments();
    assert.deepEqual(
      next.refunded.map((x) => x.id),
      [r.id],
    );
    assert.equal(gateway.refunds.length, 1);
  });

  test('markNoShow() keeps the no-show fee and refunds the rest once, releasing the nights', async ({
    inn,
    store,
    clock,
    gateway,
  }) => {
    await sellOnPolicy(inn);
    const r = await inn.book(twoNights());
    clock.advance(26 * 3_600_000); // past check-in (15:00 Paris tomorrow)
    const noShow = await inn.markNoShow({ reservationId: r.id });
    assert.equal(noShow.status, 'no-show');
    assert.deepEqual(
      [noShow.settlement?.kind, noShow.settlement?.penalty, noShow.settlement?.refund],
      ['no-show', 10_000, 10_000],
    );
    assert.deepEqual([noShow.payment?.refunded, noShow.payment?.refundDue], [10_000, 0]);
    assert.deepEqual(await inn.markNoShow({ reservationId: r.id }), noShow);
    assert.equal(gateway.refunds.length, 1);
    assert.equal(gateway.netCollected(), 10_000);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [0, 0]);
    await assertNoDrift(inn);
  });
};
