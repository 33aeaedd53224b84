import assert from 'node:assert/strict';
import type { PaymentGateway } from '@innkeeper/core';
import type { ChargeOutcome } from '@innkeeper/test-gateway';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, reservedOn } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import {
  assertNoDrift,
  chargeCalls,
  type PaymentFixture,
  paymentTest,
  RECOVERY_AGE_MS,
  stored,
} from '../payment-fixture.js';
import { createSuiteEngine } from '../suite-engine.js';

/**
 * recoverPendingPayments(): a booking whose charge outcome is unknown stays held with its
 * rooms; recovery asks the gateway and confirms what was charged, releases what was not,
 * and never charges.
 */
export const paymentRecoveryGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);
  const suiteRequest = () => bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] });

  /** Books the suite with `outcome` scripted; returns the id of the pending hold. */
  async function pendingBooking(fix: PaymentFixture, outcome: ChargeOutcome): Promise<string> {
    fix.gateway.scriptCharges(outcome);
    const error = await rejectsWithCode(fix.inn.book(suiteRequest()), 'PAYMENT_FAILED');
    assert.equal(error.details.outcome, 'unknown');
    const r = await stored(fix.store, error.details.reservationId);
    assert.deepEqual([r.status, r.payment?.status], ['held', 'pending']);
    return r.id;
  }

  for (const outcome of ['timeout-after-charge', 'crash-after-charge'] as const) {
    test(`recoverPendingPayments() confirms a hold whose charge went through ('${outcome}') without charging again`, async (fix) => {
      const { inn, store, clock, gateway } = fix;
      const id = await pendingBooking(fix, outcome);
      clock.advance(RECOVERY_AGE_MS);
      const report = await inn.recoverPendingPayments();
      assert.deepEqual(
        report.confirmed.map((r) => r.id),
        [id],
      );
      assert.deepEqual([report.released, report.unresolved], [[], []]);
      const r = await stored(store, id);
      assert.equal(r.status, 'confirmed');
      assert.equal(r.payment?.status, 'charged');
      assert.equal(r.payment?.chargeId, gateway.charges[0]?.chargeId);
      assert.equal(gateway.charges.length, 1);
      assert.equal(chargeCalls(gateway), 1);
      assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
      await assertNoDrift(inn);
    });
  }

  for (const outcome of ['timeout', 'crash-before-charge'] as const) {
    test(`recoverPendingPayments() releases a hold whose charge never happened ('${outcome}')`, async (fix) => {
      const { inn, store, clock, gateway } = fix;
      const id = await pendingBooking(fix, outcome);
      clock.advance(RECOVERY_AGE_MS);
      const report = await inn.recoverPendingPayments();
      assert.deepEqual(
        report.released.map((r) => r.id),
        [id],
      );
      const r = await stored(store, id);
      assert.equal(r.status, 'expired');
      assert.equal(r.payment?.status, 'declined');
      assert.equal(gateway.charges.length, 0);
      assert.equal(chargeCalls(gateway), 1);
      assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
      assert.equal((await inn.book(suiteRequest())).status, 'confirmed');
      await assertNoDrift(inn);
    });
  }

  test('recoverPendingPayments() twice settles each pending hold once', async (fix) => {
    const { inn, store, clock } = fix;
    const id = await pendingBooking(fix, 'crash-after-charge');
    clock.advance(RECOVERY_AGE_MS);
    await inn.recoverPendingPayments();
    const after = await stored(store, id);
    const again = await inn.recoverPendingPayments();
    assert.deepEqual([again.confirmed, again.released, again.unresolved], [[], [], []]);
    assert.deepEqual(await stored(store, id), after);
    await assertNoDrift(inn);
  });

  test('recoverPendingPayments() leaves a pending charge younger than olderThanSeconds alone', async (fix) => {
    const { inn, store, clock } = fix;
    const id = await pendingBooking(fix, 'crash-after-charge');
    clock.advance(RECOVERY_AGE_MS - 1_000);
    const early = await inn.recoverPendingPayments();
    assert.deepEqual([early.confirmed, early.released, early.unresolved], [[], [], []]);
    assert.equal((await stored(store, id)).status, 'held');
    const now = await inn.recoverPendingPayments({ olderThanSeconds: 0 });
    assert.deepEqual(
      now.confirmed.map((r) => r.id),
      [id],
    );
  });

  test('recoverPendingPayments() when the gateway cannot answer leaves the hold pending for the next sweep', async (fix) => {
    const { inn, store, clock, gateway } = fix;
    const id = await pendingBooking(fix, 'timeout');
    clock.advance(RECOVERY_AGE_MS);
    gateway.scriptLookups('unavailable');
    const report = await inn.recoverPendingPayments();
    assert.deepEqual(
      report.unresolved.map((u) => u.reservationId),
      [id],
    );
    const r = await stored(store, id);
    assert.deepEqual([r.status, r.payment?.status], ['held', 'pending']);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
    const next = await inn.recoverPendingPayments();
    assert.deepEqual(
      next.released.map((r) => r.id),
      [id],
    );
    await assertNoDrift(inn);
  });

  test('book() retried after recovery confirmed the hold returns it without charging again', async (fix) => {
    const { inn, clock, gateway } = fix;
    gateway.scriptCharges('crash-after-charge');
    const request = suiteRequest();
    const error = await rejectsWithCode(inn.book(request), 'PAYMENT_FAILED');
    clock.advance(RECOVERY_AGE_MS);
    await inn.recoverPendingPayments();
    const r = await inn.book(request);
    assert.equal(r.id, error.details.reservationId);
    assert.equal(r.status, 'confirmed');
    assert.equal(gateway.charges.length, 1);
  });

  test('book() whose charge lands after recovery released the hold refunds it and leaves the room on sale', async ({
    store,
    clock,
    gateway,
  }) => {
    // The charge request is held up until recovery (run with no grace period) has
    // released the hold: the engine must not keep money for rooms it gave back.
    let reachedGateway!: () => void;
    const charging = new Promise<void>((resolve) => {
      reachedGateway = resolve;
    });
    let letThrough!: () => void;
    const held = new Promise<void>((resolve) => {
      letThrough = resolve;
    });
    const slowCharges: PaymentGateway = {
      charge: async (request) => {
        reachedGateway();
        await held;
        return gateway.charge(request);
      },
      refund: (request) => gateway.refund(request),
      findCharge: (key) => gateway.findCharge(key),
    };
    const inn = createSuiteEngine({ store, clock, payments: slowCharges });
    const booking = inn.book(suiteRequest());
    await charging;
    const report = await inn.recoverPendingPayments({ olderThanSeconds: 0 });
    assert.equal(report.released.length, 1);
    letThrough();
    const error = await rejectsWithCode(booking, 'PAYMENT_FAILED');
    const r = await stored(store, error.details.reservationId);
    assert.equal(r.status, 'expired');
    assert.equal(gateway.charges.length, 1);
    assert.equal(gateway.refundedAmount(gateway.charges[0]?.chargeId ?? ''), r.total);
    assert.equal(gateway.netCollected(), 0);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [0]);
    await assertNoDrift(inn);
  });

  test('expireHolds() never expires a hold whose charge is pending, and still expires plain holds', async (fix) => {
    const { inn, store, clock } = fix;
    const pending = await pendingBooking(fix, 'timeout');
    const plain = await inn.hold({ ...bookingRequest(), ttlSeconds: 60 });
    clock.advance(6 * 3_600_000);
    const expired = await inn.expireHolds();
    assert.deepEqual(
      expired.map((r) => r.id),
      [plain.id],
    );
    const r = await stored(store, pending);
    assert.deepEqual([r.status, r.payment?.status], ['held', 'pending']);
    assert.deepEqual(await reservedOn(store, 'suite', day(1), day(2)), [1]);
    assert.deepEqual(await reservedOn(store, 'std', day(1), day(2)), [0]);
    await assertNoDrift(inn);
  });

  test('cancel() of a hold whose charge is pending is INVALID_STATE and changes nothing', async (fix) => {
    const { inn, store } = fix;
    const id = await pendingBooking(fix, 'crash-after-charge');
    const before = await stored(store, id);
    await rejectsWithCode(inn.cancel({ reservationId: id }), 'INVALID_STATE');
    assert.deepEqual(await stored(store, id), before);
    await assertNoDrift(inn);
  });
};
