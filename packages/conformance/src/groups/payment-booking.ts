import assert from 'node:assert/strict';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, reservedOn } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import {
  assertNoDrift,
  chargeCalls,
  paymentTest,
  RECOVERY_AGE_MS,
  stored,
} from '../payment-fixture.js';

/** book() with a payment gateway: hold, charge once by key, then confirm or release. */
export const paymentBookingGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);
  const suiteRequest = () => bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] });

  test('book() with an approved charge confirms and records the charge of the total once', async ({
    inn,
    store,
    gateway,
  }) => {
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    assert.equal(r.status, 'confirmed');
    const [charge] = gateway.charges;
    assert.equal(gateway.charges.length, 1);
    assert.deepEqual(r.payment, {
      status: 'charged',
      idempotencyKey: charge?.idempotencyKey,
      amount: r.total,
      currency: 'EUR',
      chargeId: charge?.chargeId,
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    });
    assert.deepEqual(
      [charge?.amount, charge?.currency, charge?.reservationId, charge?.hotelId],
      [r.total, 'EUR', r.id, r.hotelId],
    );
    assert.deepEqual(await stored(store, r.id), r);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
    await assertNoDrift(inn);
  });

  test('book() with a declined charge is PAYMENT_FAILED, expires the hold and puts the room back', async ({
    inn,
    store,
    gateway,
  }) => {
    gateway.scriptCharges('decline');
    const error = await rejectsWithCode(inn.book(suiteRequest()), 'PAYMENT_FAILED');
    assert.equal(error.details.outcome, 'declined');
    const r = await stored(store, error.details.reservationId);
    assert.equal(r.status, 'expired');
    assert.equal(r.payment?.status, 'declined');
    assert.equal(r.payment?.declineReason, 'card_declined');
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
    assert.equal(gateway.netCollected(), 0);
    // The one suite is on sale again.
    assert.equal((await inn.book(suiteRequest())).status, 'confirmed');
    await assertNoDrift(inn);
  });

  test('book() retried after a decline with the same key is the same PAYMENT_FAILED and charges nothing', async ({
    inn,
    store,
    gateway,
  }) => {
    gateway.scriptCharges('decline');
    const request = suiteRequest();
    const first = await rejectsWithCode(inn.book(request), 'PAYMENT_FAILED');
    const again = await rejectsWithCode(inn.book(request), 'PAYMENT_FAILED');
    assert.deepEqual(again.details, first.details);
    assert.equal(gateway.charges.length, 0);
    assert.equal(chargeCalls(gateway), 1);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
    await assertNoDrift(inn);
  });

  test('book() whose gateway throws is PAYMENT_FAILED (outcome unknown) and leaves the hold pending with its rooms', async ({
    inn,
    store,
    gateway,
  }) => {
    gateway.scriptCharges('timeout');
    const error = await rejectsWithCode(inn.book(suiteRequest()), 'PAYMENT_FAILED');
    assert.equal(error.details.outcome, 'unknown');
    const r = await stored(store, error.details.reservationId);
    assert.equal(r.status, 'held');
    assert.equal(r.payment?.status, 'pending');
    assert.equal(r.payment?.chargeId, null);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
    await rejectsWithCode(inn.book(suiteRequest()), 'SOLD_OUT');
    await assertNoDrift(inn);
  });

  for (const outcome of ['timeout-after-charge', 'crash-after-charge'] as const) {
    test(`book() retried after '${outcome}' with the same key confirms without a second charge`, async ({
      inn,
      store,
      gateway,
    }) => {
      gateway.scriptCharges(outcome, 'decline');
      const request = suiteRequest();
      const error = await rejectsWithCode(inn.book(request), 'PAYMENT_FAILED');
      const r = await inn.book(request);
      assert.equal(r.id, error.details.reservationId);
      assert.equal(r.status, 'confirmed');
      assert.equal(r.payment?.status, 'charged');
      assert.equal(r.payment?.chargeId, gateway.charges[0]?.chargeId);
      assert.equal(gateway.charges.length, 1);
      assert.equal(gateway.netCollected(), r.total);
      assert.deepEqual(await stored(store, r.id), r);
      assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
      await assertNoDrift(inn);
    });
  }

  test('book() retried after a timeout before the charge charges once and confirms', async ({
    inn,
    store,
    gateway,
  }) => {
    gateway.scriptCharges('timeout');
    const request = suiteRequest();
    await rejectsWithCode(inn.book(request), 'PAYMENT_FAILED');
    const r = await inn.book(request);
    assert.equal(r.status, 'confirmed');
    assert.equal(gateway.charges.length, 1);
    assert.equal(gateway.chargedAmount(r.payment?.idempotencyKey ?? ''), r.total);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
    await assertNoDrift(inn);
  });

  test(
    'book() called concurrently with one key returns one reservation, charged once',
    async ({ inn, store, gateway }) => {
      const request = bookingRequest({ checkIn: day(1), checkOut: day(3) });
      const results = await Promise.all([inn.book(request), inn.book(request), inn.book(request)]);
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.deepEqual(
        results.map((r) => r.status),
        ['confirmed', 'confirmed', 'confirmed'],
      );
      assert.equal(gateway.charges.length, 1);
      assert.equal(gateway.netCollected(), results[0]?.total);
      assert.equal((await stored(store, results[0]?.id ?? '')).status, 'confirmed');
      assert.deepEqual(await reservedOn(store, 'std', day(1), day(3)), [1, 1]);
      await assertNoDrift(inn);
    },
    { latencyMs: 5 },
  );

  test(
    'book() concurrently for the last room with a slow gateway sells it once and charges once',
    async ({ inn, store, gateway }) => {
      const settled = await Promise.allSettled([
        inn.book(suiteRequest()),
        inn.book(suiteRequest()),
      ]);
      const booked = settled.filter((s) => s.status === 'fulfilled');
      assert.equal(booked.length, 1);
      const failed = settled.find((s) => s.status === 'rejected');
      await rejectsWithCode(Promise.reject(failed?.reason), 'SOLD_OUT');
      assert.equal(gateway.charges.length, 1);
      assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
      await assertNoDrift(inn);
    },
    { latencyMs: 5 },
  );

  test('book() of a stay that costs nothing confirms without calling the gateway', async ({
    inn,
    gateway,
  }) => {
    await inn.setRates({ hotelId: 'h1', roomTypeId: 'dorm', from: day(1), to: day(1), amount: 0 });
    const r = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    assert.equal(r.status, 'confirmed');
    assert.equal(r.total, 0);
    assert.equal(r.payment, null);
    assert.deepEqual(gateway.calls, []);
  });

  test('confirm() of a cart hold charges it like book(): pending first, then charged and confirmed', async ({
    inn,
    store,
    gateway,
  }) => {
    const held = await inn.hold({ ...suiteRequest(), ttlSeconds: 600 });
    assert.equal(held.payment, null);
    assert.deepEqual(gateway.calls, []);
    const confirmed = await inn.confirm({ reservationId: held.id });
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(confirmed.payment?.status, 'charged');
    assert.equal(gateway.charges.length, 1);
    assert.equal(gateway.charges[0]?.amount, held.total);
    assert.deepEqual(
      confirmed.history.map((h) => h.action),
      ['created', 'payment', 'confirmed'],
    );
    assert.deepEqual(await inn.confirm({ reservationId: held.id }), confirmed);
    assert.equal(chargeCalls(gateway), 1);
    assert.deepEqual(await stored(store, held.id), confirmed);
    await assertNoDrift(inn);
  });

  test('confirm() of a cart hold whose charge is declined is PAYMENT_FAILED and releases the rooms', async ({
    inn,
    store,
    gateway,
  }) => {
    const held = await inn.hold({ ...suiteRequest(), ttlSeconds: 600 });
    gateway.scriptCharges('decline');
    const error = await rejectsWithCode(inn.confirm({ reservationId: held.id }), 'PAYMENT_FAILED');
    assert.equal(error.details.outcome, 'declined');
    assert.equal((await stored(store, held.id)).status, 'expired');
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
    await assertNoDrift(inn);
  });

  test('confirm() of a cart hold that crashes after charging stays pending past its TTL; recovery confirms it', async ({
    inn,
    store,
    gateway,
    clock,
  }) => {
    const held = await inn.hold({ ...suiteRequest(), ttlSeconds: 60 });
    gateway.scriptCharges('crash-after-charge');
    const error = await rejectsWithCode(inn.confirm({ reservationId: held.id }), 'PAYMENT_FAILED');
    assert.equal(error.details.outcome, 'unknown');
    clock.advance(RECOVERY_AGE_MS);
    // Past its TTL, but its charge is pending: expiry leaves it to recovery.
    assert.deepEqual(await inn.expireHolds(), []);
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.confirmed.map((r) => r.id),
      [held.id],
    );
    const r = await stored(store, held.id);
    assert.equal(r.status, 'confirmed');
    assert.equal(r.payment?.chargeId, gateway.charges[0]?.chargeId);
    assert.equal(gateway.charges.length, 1);
    await assertNoDrift(inn);
  });
};
