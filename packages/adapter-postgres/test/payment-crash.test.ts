import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixture, HOTEL_ID, INVENTORY_DAYS, TODAY } from '@innkeeper/conformance';
import { addDays, createManualClock, type Reservation } from '@innkeeper/core';
import { FileLedgerGateway, readLedger } from '@innkeeper/test-gateway';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import {
  BOOKED_AT,
  type CrashPoint,
  type CrashReport,
  crashRequest,
  GRACE_SECONDS,
  paymentEngine,
  ROOM_NIGHTS,
} from './support/payment-crash.js';
import {
  databaseUrl,
  dropSchema,
  freshSchema,
  newPool,
  resetSchema,
} from './support/test-database.js';

/**
 * Payment at reservation survives a real crash: a child process books with a gateway
 * whose charges live in a ledger file and is killed with SIGKILL before the charge, after
 * it, or after `book` returned; its connections simply drop. This process then opens a
 * store on the same schema, and a recovery sweep past the grace period (or a retry of
 * `book`) settles the booking from what the ledger says: nothing charged and nothing
 * kept without being paid for.
 */

const WORKER = fileURLToPath(new URL('./workers/payment-crash-worker.ts', import.meta.url));

const pool = newPool(4);
let schema = '';
const dir = mkdtempSync(join(tmpdir(), 'innkeeper-pg-pay-crash-'));
const children = new Set<ChildProcess>();

beforeAll(async () => {
  schema = await freshSchema(pool, 'paycrash');
});
beforeEach(async () => {
  await resetSchema(pool, schema);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dropSchema(pool, schema);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

interface Death {
  code: number | null;
  signal: NodeJS.Signals | null;
  reports: CrashReport[];
}

/** Forks the worker through tsx with the dev-source condition and waits until it is gone. */
function runWorker(job: {
  ledger: string;
  request: ReturnType<typeof crashRequest>;
  crashAt: CrashPoint;
}): Promise<Death> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify({ ...job, databaseUrl: databaseUrl(), schema })], {
      execArgv: ['--import', 'tsx', '--conditions=dev-source'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    const reports: CrashReport[] = [];
    child.on('message', (report: CrashReport) => reports.push(report));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker (${job.crashAt}) still running after 15 s`));
    }, 15_000);
    child.on('error', reject);
    // 'close', not 'exit': by then the IPC channel is drained, so no report is missed.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, reports });
    });
  });
}

let cases = 0;

/**
 * Seeds the fixture hotel in the emptied schema, lets a worker book until it dies at
 * `crashAt`, checks that it really died of SIGKILL there, and opens this process's engine
 * on what it left.
 */
async function crashAt(crashAt: CrashPoint) {
  const n = ++cases;
  const ledger = join(dir, `ledger-${n}.jsonl`);
  const request = crashRequest(`crash-${n}`);
  const store = createPostgresStore({ pool }, { schema });
  await createFixture(store);
  const death = await runWorker({ ledger, request, crashAt });
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
  assert.equal(dying.at, crashAt);

  const clock = createManualClock(BOOKED_AT);
  const gateway = new FileLedgerGateway(ledger);
  const inn = paymentEngine(store, gateway, clock);
  const stored = async (): Promise<Reservation> => {
    const r = await store.getReservation(dying.reservationId);
    assert.ok(r, `reservation ${dying.reservationId} is not in the schema`);
    return r;
  };
  return { store, clock, gateway, inn, ledger, request, dying, stored };
}

async function reservedRoomNights(store: PostgresStore): Promise<number> {
  const stay = await store.readStay({
    hotelId: HOTEL_ID,
    from: TODAY,
    to: addDays(TODAY, INVENTORY_DAYS),
  });
  assert.ok(stay);
  return stay.days.reduce((sum, d) => sum + d.reserved, 0);
}

async function assertNoDrift(store: PostgresStore): Promise<void> {
  const audit = await store.audit();
  assert.deepEqual(audit.findings, []);
  assert.equal(audit.ok, true);
  assert.equal(audit.reservationsChecked, 1);
}

function charges(ledger: string) {
  return readLedger(ledger).filter((e) => e.type === 'charge');
}

const nothingRecovered = { confirmed: [], released: [], refunded: [], unresolved: [] };

describe('Postgres: payment at reservation across a SIGKILL', () => {
  test('killed in charge() before the charge was written: recovery past the grace period releases the rooms, nothing is charged', async () => {
    const { store, clock, gateway, inn, ledger, dying, stored } =
      await crashAt('charge-before-record');
    // What the dead process left: the hold, its charge pending, the rooms taken.
    const left = await stored();
    assert.equal(left.status, 'held');
    assert.equal(left.payment?.status, 'pending');
    assert.equal(left.payment?.chargeId, null);
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
    await assertNoDrift(store);
    assert.deepEqual(readLedger(ledger), []);

    // Within the grace period the charge may still be in flight: recovery leaves it.
    assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
    assert.equal((await stored()).status, 'held');

    clock.advance((GRACE_SECONDS + 1) * 1000);
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
    assert.equal(await reservedRoomNights(store), 0);
    await assertNoDrift(store);
    assert.deepEqual(readLedger(ledger), [], 'no money moved');
    assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 1 });
    // A second sweep finds nothing left.
    assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
  }, 20_000);

  test('killed in charge() after the charge was written: recovery confirms with the ledger charge, charged once', async () => {
    const { store, clock, gateway, inn, ledger, dying, stored } =
      await crashAt('charge-after-record');
    const left = await stored();
    assert.equal(left.status, 'held');
    assert.equal(left.payment?.status, 'pending');
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
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
    clock.advance((GRACE_SECONDS + 1) * 1000);
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
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
    await assertNoDrift(store);
    assert.equal(charges(ledger).length, 1, 'charged exactly once');
    assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 1 });
    assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
  }, 20_000);

  test('killed after book returned (control): confirmed and charged, nothing to recover', async () => {
    const { store, clock, gateway, inn, ledger, dying, stored } = await crashAt('after-book');
    assert.equal(dying.status, 'confirmed');
    const after = await stored();
    assert.equal(after.status, 'confirmed');
    assert.equal(after.payment?.status, 'charged');
    const [charge, ...more] = charges(ledger);
    assert.deepEqual(more, []);
    assert.equal(after.payment?.chargeId, charge?.chargeId);

    clock.advance((GRACE_SECONDS + 1) * 1000);
    assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
    assert.deepEqual(gateway.calls, { charge: 0, refund: 0, findCharge: 0 });
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
    await assertNoDrift(store);
    assert.equal(charges(ledger).length, 1);
  }, 20_000);

  test('killed after charging, then book retried with the same key within the grace period: the ledger replays the charge, confirmed once', async () => {
    const { store, clock, gateway, inn, ledger, request, dying } =
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
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
    await assertNoDrift(store);

    clock.advance((GRACE_SECONDS + 1) * 1000);
    assert.deepEqual(await inn.recoverPendingPayments(), nothingRecovered);
    assert.equal((await store.getReservation(dying.reservationId))?.status, 'confirmed');
  }, 20_000);

  test('killed before charging, then book retried with the same key within the grace period: charged now, once, and confirmed', async () => {
    const { store, gateway, inn, ledger, request, dying } = await crashAt('charge-before-record');
    assert.deepEqual(readLedger(ledger), []);

    const retried = await inn.book(request);
    assert.equal(retried.id, dying.reservationId);
    assert.equal(retried.status, 'confirmed');
    const [charge, ...more] = charges(ledger);
    assert.deepEqual(more, []);
    assert.equal(charge?.pid, process.pid, 'the retry made the charge');
    assert.equal(retried.payment?.chargeId, charge?.chargeId);
    assert.deepEqual(gateway.calls, { charge: 1, refund: 0, findCharge: 0 });
    assert.equal(await reservedRoomNights(store), ROOM_NIGHTS);
    await assertNoDrift(store);
  }, 20_000);
});
