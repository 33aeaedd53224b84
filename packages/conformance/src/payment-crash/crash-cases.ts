import assert from 'node:assert/strict';
import {
  type BookInput,
  createManualClock,
  daysBetween,
  type InnkeeperStore,
  type Reservation,
} from '@innkeeper/core';
import { FileLedgerGateway, readLedger } from '@innkeeper/test-gateway';
import type { SuiteApi } from '../suite-api.js';
import { CRASH_GRACE_SECONDS, type CrashPoint, crashEngine } from './crash-worker.js';
import type { WorkerDeath } from './fork-worker.js';

/** What a store's test hands back after a worker booked on it and died. */
export interface CrashedRun {
  /** This process's store, on the data the worker left. */
  store: InnkeeperStore;
  /** The booking the worker made (what a retry sends again). */
  request: BookInput;
  ledger: string;
  bookedAt: string;
  death: WorkerDeath;
}

export interface PaymentCrashOptions {
  /** Seeds a hotel, lets a worker (`bookUntilKilled`) book until it dies at `point`. */
  crash: (point: CrashPoint) => Promise<CrashedRun>;
}

/**
 * Payment at reservation survives a real crash: a child process books with a gateway
 * whose charges live in a ledger file and is killed with SIGKILL before the charge, after
 * it, or after `book` returned. This process then opens the store on what it left, and a
 * recovery sweep past the grace period (or a retry of `book`) settles the booking from
 * what the ledger says: nothing charged and nothing kept without being paid for. The
 * request must be the only booking on the store.
 */
export function runPaymentCrashCases(api: SuiteApi, options: PaymentCrashOptions): void {
  const crashAt = async (point: CrashPoint) => {
    const { store, request, ledger, bookedAt, death } = await options.crash(point);
    const failed = death.reports.find((r) => r.kind === 'failed');
    assert.equal(failed, undefined, failed?.kind === 'failed' ? failed.message : '');
    assert.deepEqual(
      { code: death.code, signal: death.signal },
      { code: null, signal: 'SIGKILL' },
      'the worker must die of SIGKILL',
    );
    const [dying] = death.reports;
    assert.equal(death.reports.length, 1);
    assert.ok(dying?.kind === 'dying');
    assert.equal(dying.at, point);
    const clock = createManualClock(bookedAt);
    const gateway = new FileLedgerGateway(ledger);
    const inn = crashEngine(store, gateway, clock);
    const stored = async (): Promise<Reservation> => {
      const r = await store.getReservation(dying.reservationId);
      assert.ok(r, `reservation ${dying.reservationId} is not in the store`);
      return r;
    };
    return { store, clock, gateway, inn, ledger, request, dying, stored };
  };

  api.describe('payment at reservation across a SIGKILL', () => {
    api.test(
      'killed in charge() before the charge was written: recovery past the grace period releases the rooms, nothing is charged',
      async () => {
        const { store, request, clock, gateway, inn, ledger, dying, stored } =
          await crashAt('charge-before-record');
        // What the dead process left: the hold, its charge pending, the rooms taken.
        const left = await stored();
        assert.equal(left.status, 'held');
        assert.equal(left.payment?.status, 'pending');
        assert.equal(left.payment?.chargeId, null);
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);
        assert.deepEqual(readLedger(ledger), []);

        // Within the grace period the charge may still be in flight: recovery leaves it.
        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
        assert.equal((await stored()).status, 'held');

        clock.advance((CRASH_GRACE_SECONDS + 1) * 1000);
        const report = await inn.recoverPendingPayments();
        assert.deepEqual(
          report.released.map((r) => r.id),
          [dying.reservationId],
        );
        assert.deepEqual([report.confirmed, report.refunded, report.unresolved], [[], [], []]);
        const after = await stored();
        assert.equal(after.status, 'expired');
        assert.equal(after.payment?.status, 'declined');
        assert.equal(after.payment?.declineReason, 'no charge was made');
        assert.equal(after.payment?.chargeId, null);
        assert.equal(await reservedRoomNights(store, request), 0);
        await assertNoDrift(store);
        assert.deepEqual(readLedger(ledger), [], 'no money moved');
        assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 1 });
        // A second sweep finds nothing left.
        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
      },
      20_000,
    );

    api.test(
      'killed in charge() after the charge was written: recovery confirms with the ledger charge, charged once',
      async () => {
        const { store, request, clock, gateway, inn, ledger, dying, stored } =
          await crashAt('charge-after-record');
        const left = await stored();
        assert.equal(left.status, 'held');
        assert.equal(left.payment?.status, 'pending');
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);
        // The money was taken although the process never heard back.
        const [charge, ...more] = charges(ledger);
        assert.ok(charge);
        assert.deepEqual(more, []);
        assert.equal(charge.reservationId, dying.reservationId);
        assert.equal(charge.idempotencyKey, left.payment?.idempotencyKey);
        assert.equal(charge.amount, left.total);
        assert.notEqual(charge.pid, process.pid);

        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
        clock.advance((CRASH_GRACE_SECONDS + 1) * 1000);
        const report = await inn.recoverPendingPayments();
        assert.deepEqual(
          report.confirmed.map((r) => r.id),
          [dying.reservationId],
        );
        assert.deepEqual([report.released, report.refunded, report.unresolved], [[], [], []]);
        const after = await stored();
        assert.equal(after.status, 'confirmed');
        assert.equal(after.payment?.status, 'charged');
        assert.equal(after.payment?.chargeId, charge.chargeId);
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);
        assert.equal(charges(ledger).length, 1, 'charged exactly once');
        assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 1 });
        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
      },
      20_000,
    );

    api.test(
      'killed after book returned (control): confirmed and charged, nothing to recover',
      async () => {
        const { store, request, clock, gateway, inn, ledger, dying, stored } =
          await crashAt('after-book');
        assert.equal(dying.status, 'confirmed');
        const after = await stored();
        assert.equal(after.status, 'confirmed');
        assert.equal(after.payment?.status, 'charged');
        const [charge, ...more] = charges(ledger);
        assert.deepEqual(more, []);
        assert.equal(after.payment?.chargeId, charge?.chargeId);

        clock.advance((CRASH_GRACE_SECONDS + 1) * 1000);
        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
        assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 0 });
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);
        assert.equal(charges(ledger).length, 1);
      },
      20_000,
    );

    api.test(
      'killed after charging, then book retried with the same key within the grace period: the ledger replays the charge, confirmed once',
      async () => {
        const { store, request, clock, gateway, inn, ledger, dying } =
          await crashAt('charge-after-record');
        const [charge] = charges(ledger);
        assert.ok(charge);

        const retried = await inn.book(request);
        assert.equal(retried.id, dying.reservationId, 'the retry resumed the same reservation');
        assert.equal(retried.status, 'confirmed');
        assert.equal(retried.payment?.status, 'charged');
        assert.equal(retried.payment?.chargeId, charge.chargeId);
        // The retry charged again under the same key, and the gateway answered the first charge.
        assert.deepEqual(gateway.calls, { charge: 1, refund: 0, findCharge: 0 });
        assert.equal(charges(ledger).length, 1, 'charged exactly once');
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);

        clock.advance((CRASH_GRACE_SECONDS + 1) * 1000);
        assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
        assert.equal((await store.getReservation(dying.reservationId))?.status, 'confirmed');
      },
      20_000,
    );

    api.test(
      'killed before charging, then book retried with the same key within the grace period: charged now, once, and confirmed',
      async () => {
        const { store, request, gateway, inn, ledger, dying } =
          await crashAt('charge-before-record');
        assert.deepEqual(readLedger(ledger), []);

        const retried = await inn.book(request);
        assert.equal(retried.id, dying.reservationId);
        assert.equal(retried.status, 'confirmed');
        const [charge, ...more] = charges(ledger);
        assert.deepEqual(more, []);
        assert.equal(charge?.pid, process.pid, 'the retry made the charge');
        assert.equal(retried.payment?.chargeId, charge?.chargeId);
        assert.deepEqual(gateway.calls, { charge: 1, refund: 0, findCharge: 0 });
        assert.equal(await reservedRoomNights(store, request), roomNightsOf(request));
        await assertNoDrift(store);
      },
      20_000,
    );
  });
}

/** Rooms × nights of every line: what the booking holds while its charge is pending. */
function roomNightsOf(request: BookInput): number {
  const nights = daysBetween(request.checkIn, request.checkOut);
  return request.lines.reduce((sum, line) => sum + (line.rooms ?? 1) * nights, 0);
}

/** `reserved` summed over the stay's nights at the hotel (the only booking there). */
async function reservedRoomNights(store: InnkeeperStore, request: BookInput): Promise<number> {
  const stay = await store.readStay({
    hotelId: request.hotelId,
    from: request.checkIn,
    to: request.checkOut,
  });
  assert.ok(stay);
  return stay.days.reduce((sum, d) => sum + d.reserved, 0);
}

async function assertNoDrift(store: InnkeeperStore): Promise<void> {
  const audit = await store.audit();
  assert.deepEqual(audit.findings, []);
  assert.equal(audit.ok, true);
  assert.equal(audit.reservationsChecked, 1);
}

function charges(ledger: string) {
  return readLedger(ledger).filter((e) => e.type === 'charge');
}

const nothingRecovered = {
  confirmed: [],
  released: [],
  refunded: [],
  toppedUp: [],
  undone: [],
  unresolved: [],
};
