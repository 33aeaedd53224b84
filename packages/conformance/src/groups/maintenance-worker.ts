import assert from 'node:assert/strict';
import { createWorker } from '@innkeeper/core';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { assertNoDrift, type PaymentFixture, paymentTest, stored } from '../payment-fixture.js';

/**
 * The maintenance worker (`createWorker`) on this store: each of its jobs finds its work
 * through the store's lists and settles it with one atomic call per item, and a second
 * run finds nothing left.
 */
export const maintenanceWorkerGroup: ConformanceGroup = (api, options) => {
  const test = paymentTest(api, options);

  /**
   * One item for each job: a hold whose time runs out, a booking whose charge answer was
   * lost (the money taken), and a guest due today who never comes. Then the clock moves
   * to 06:00 UTC tomorrow (08:00 at the hotel in Paris), the night audit's hour.
   */
  async function workForEveryJob(fix: PaymentFixture) {
    const { inn, clock, gateway } = fix;
    const absent = await inn.book(bookingRequest({ checkIn: day(0), checkOut: day(2) }));
    const hold = await inn.hold({
      ...bookingRequest({ lines: [{ roomTypeId: 'suite', adults: 1 }] }),
      ttlSeconds: 60,
    });
    gateway.scriptCharges('crash-after-charge');
    const lost = await rejectsWithCode(
      inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] })),
      'PAYMENT_FAILED',
    );
    clock.set(`${day(1)}T06:00:00.000Z`);
    return { absent: absent.id, hold: hold.id, lost: lost.details.reservationId };
  }

  test('each job, run once, settles its item: the hold expires, the charge is recovered, the absent guest is a no-show', async (fix) => {
    const { inn, store, clock } = fix;
    const ids = await workForEveryJob(fix);
    const worker = createWorker(inn, { now: () => clock.now() });
    assert.deepEqual(await worker.runOnce('expire-holds'), { expired: 1 });
    assert.deepEqual(await worker.runOnce('recover-payments'), {
      confirmed: 1,
      released: 0,
      refunded: 0,
      toppedUp: 0,
      undone: 0,
      unresolved: 0,
    });
    assert.deepEqual(await worker.runOnce('no-shows'), { marked: 1, skipped: 0 });
    assert.equal((await stored(store, ids.hold)).status, 'expired');
    assert.equal((await stored(store, ids.lost)).status, 'confirmed');
    assert.equal((await stored(store, ids.absent)).status, 'no-show');
    // Nothing is left for a second round.
    assert.deepEqual(await worker.runOnce('expire-holds'), { expired: 0 });
    assert.equal((await worker.runOnce('recover-payments')).confirmed, 0);
    assert.deepEqual(await worker.runOnce('no-shows'), { marked: 0, skipped: 0 });
    await assertNoDrift(inn);
  });

  test('started, the worker runs every job on its own schedule and stops cleanly', async (fix) => {
    const { inn, store, clock } = fix;
    const ids = await workForEveryJob(fix);
    const worker = createWorker(inn, {
      now: () => clock.now(),
      jobs: {
        'expire-holds': { intervalMs: 20 },
        'recover-payments': { intervalMs: 20 },
        'no-shows': { intervalMs: 20 },
        archive: { intervalMs: 20 },
        'prune-events': { intervalMs: 20 },
      },
    });
    worker.start();
    const ran = () => Object.values(worker.status()).every((s) => s.runs >= 2);
    for (let waited = 0; !ran() && waited < 10_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await worker.stop();
    const status = worker.status();
    for (const [job, s] of Object.entries(status)) {
      assert.ok(s.runs >= 2, `${job} ran ${s.runs} times`);
      assert.equal(s.failures, 0, `${job} failed: ${s.last?.error}`);
    }
    const statuses = await Promise.all(
      [ids.hold, ids.lost, ids.absent].map(async (id) => (await stored(store, id)).status),
    );
    assert.deepEqual(statuses, ['expired', 'confirmed', 'no-show']);
    await assertNoDrift(inn);
  });
};
