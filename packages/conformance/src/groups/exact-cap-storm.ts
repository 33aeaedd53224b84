import assert from 'node:assert/strict';
import { type InnkeeperStore, isInnkeeperError, todayIn } from '@innkeeper/core';
import fc from 'fast-check';
import { createFixture, day } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { bookingInput, runCommands, runSeed } from '../model/command-runner.js';
import { commandArb, seedArb } from '../model/commands.js';
import { checkInvariants } from '../model/invariants.js';
import { ReservationLog, recordStoreCalls } from '../model/reservation-log.js';
import { lastSeq, readStoreState } from '../model/store-state.js';
import { formatProblems, verifyRun } from '../model/verify-run.js';
import { createSuiteEngine } from '../suite-engine.js';

/**
 * Storms: many calls started at once with `Promise.all`, no scheduler. Where the
 * interleaving property explores *orders* on a few calls, these apply *volume*: real
 * overlap on the store's own concurrency (a connection pool, a file lock), which is
 * where a read-then-write store loses an update.
 */

/** Settles without throwing: the error is the result. */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

function codeOf(error: unknown): string {
  return isInnkeeperError(error) ? error.code : `non-Innkeeper error: ${String(error)}`;
}

function assertClean(problems: string[]): void {
  if (problems.length > 0)
    assert.fail(`${problems.length} problem(s):\n${formatProblems(problems)}`);
}

/** std on day(1): 10 rooms + 1 overbooking = 11; 200 one-night bookings race for them. */
export async function checkExactCapStorm(store: InnkeeperStore): Promise<void> {
  const { inn } = await createFixture(store);
  const stay = { checkIn: 1, checkOut: 2, lines: [{ roomTypeId: 'std' as const, rooms: 1 }] };
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => settle(inn.book(bookingInput(`storm-${i}`, stay)))),
  );
  const ids = new Set(results.flatMap((r) => (r.ok ? [r.value.id] : [])));
  const outcomes: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? 'booked' : codeOf(r.error);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  assert.deepEqual(outcomes, { booked: 11, SOLD_OUT: 189 }, 'outcomes of 200 racing book() calls');
  assert.equal(ids.size, 11, 'distinct reservations returned');

  const state = await readStoreState(store);
  assertClean(checkInvariants(state));
  assert.equal(state.reservations.length, 11, 'reservations stored');
  const row = state.rows.find((d) => d.roomTypeId === 'std' && d.date === day(1));
  assert.equal(row?.reserved, 11, 'std reserved on day(1)');
}

/** 50 identical requests with one key: one reservation, returned to every caller. */
export async function checkOneKeyStorm(store: InnkeeperStore): Promise<void> {
  const { inn } = await createFixture(store);
  const input = bookingInput('one-key', {
    checkIn: 2,
    checkOut: 4,
    lines: [
      { roomTypeId: 'std', rooms: 2 },
      { roomTypeId: 'suite', rooms: 1 },
    ],
  });
  const results = await Promise.all(Array.from({ length: 50 }, () => settle(inn.book(input))));
  const failures = results.flatMap((r) => (r.ok ? [] : [codeOf(r.error)]));
  assert.deepEqual(failures, [], 'every identical request succeeds');
  const ids = new Set(results.flatMap((r) => (r.ok ? [r.value.id] : [])));
  assert.equal(ids.size, 1, `one reservation id for one key, got ${[...ids].join(', ')}`);

  const state = await readStoreState(store);
  assertClean(checkInvariants(state));
  assert.deepEqual(
    state.reservations.map((r) => r.id),
    [...ids],
    'one reservation stored',
  );
  const reserved = (roomTypeId: string, date: string) =>
    state.rows.find((d) => d.roomTypeId === roomTypeId && d.date === date)?.reserved;
  assert.deepEqual(
    [
      reserved('std', day(2)),
      reserved('std', day(3)),
      reserved('suite', day(2)),
      reserved('suite', day(4)),
    ],
    [2, 2, 1, 0],
  );
}

/**
 * A few hundred mixed calls under one `Promise.all`, drawn from the interleaving
 * property's own generators with a fixed seed (so a failure reproduces). They arrive in
 * waves a turn of the event loop apart, so later calls cancel, modify and confirm
 * reservations that earlier ones made while the storm is still going. Checked with the
 * property's verdict: invariants, serial replay of the feed, and every call's answer.
 */
export async function checkMixedStorm(store: InnkeeperStore, seed = 20_300_601): Promise<void> {
  const { clock, hotel } = await createFixture(store);
  const log = new ReservationLog();
  let next = 0;
  const inn = createSuiteEngine({
    store: recordStoreCalls(store, log),
    clock,
    generateId: () => `m${String(++next).padStart(4, '0')}`,
  });
  const known = await runSeed(inn, fc.sample(seedArb(), { seed, numRuns: 3 }).flat());
  const baseSeq = await lastSeq(store);
  // Clock moves capped at an hour: holds still run out, but stays do not fall into the
  // past wholesale, which would turn most of the storm into VALIDATION errors.
  const commands = fc
    .sample(commandArb({ keys: 60, targets: 1000 }), { seed, numRuns: STORM_CALLS })
    .map((c) => (c.kind === 'advanceClock' ? { ...c, ms: Math.min(c.ms, 3_600_000) } : c));
  let arrived = 0;
  const arrive = async () => {
    for (let wave = Math.floor(arrived++ / STORM_WAVE); wave > 0; wave--) await nextTurn();
  };
  const calls = await runCommands({ inn, clock, known, arrive }, commands);

  const today = todayIn(hotel.timeZone, clock.now());
  assertClean(await verifyRun({ store, log, calls, baseSeq, today }));
  // The storm is only worth something if it fought over rooms. (Only what any correct
  // store must produce is asserted: exact counts depend on the order a store serves calls.)
  const booked = calls.filter((c) => c.kind === 'book' && c.outcome.ok);
  const soldOut = calls.filter(
    (c) => !c.outcome.ok && isInnkeeperError(c.outcome.error, 'SOLD_OUT'),
  );
  assert.ok(booked.length > 0 && soldOut.length > 0, 'the storm both booked and sold out');
}

const STORM_CALLS = 300;
/** Calls per arrival wave. */
const STORM_WAVE = 30;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export const exactCapStormGroup: ConformanceGroup = (api, options) => {
  const withStore = (check: (store: InnkeeperStore) => Promise<void>) => async () => {
    const store = await options.createStore();
    try {
      await check(store);
    } finally {
      await store.close();
    }
  };
  api.test(
    '200 concurrent book() calls for the 11 std rooms of a night: exactly 11 reservations, 189 SOLD_OUT, audit clean',
    withStore(checkExactCapStorm),
    options.slowTimeoutMs,
  );
  api.test(
    '50 concurrent identical book() calls with one key all return the one reservation stored',
    withStore(checkOneKeyStorm),
    options.slowTimeoutMs,
  );
  api.test(
    'a storm of 300 concurrent book/hold/confirm/cancel/modify/expireHolds calls keeps every invariant and replays serially',
    withStore((store) => checkMixedStorm(store)),
    options.slowTimeoutMs,
  );
};
