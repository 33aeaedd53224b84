import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import {
  balanceOf,
  type Innkeeper,
  type InnkeeperStore,
  isInnkeeperError,
  type ManualClock,
  reconcilePayments,
  todayIn,
} from '@innkeeper/core';
import {
  type ChargeOutcome,
  createTestGateway,
  type RefundOutcome,
  type TestGateway,
} from '@innkeeper/test-gateway';
import fc from 'fast-check';
import { createFixture, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { bookingInput } from '../model/command-runner.js';
import { ReservationLog, recordStoreCalls } from '../model/reservation-log.js';
import { scheduleGatewayCalls } from '../model/scheduled-gateway.js';
import { scheduleStoreCalls } from '../model/scheduled-store.js';
import {
  chargeOutcomesArb,
  EXTERNAL_REFS,
  refundOutcomesArb,
  type StayCommand,
  type StaySeed,
  stayCommandArb,
  staySeedArb,
} from '../model/stay-commands.js';
import { runStayCommands } from '../model/stay-runner.js';
import { lastSeq, readStoreState } from '../model/store-state.js';
import { formatProblems, verifyRun } from '../model/verify-run.js';
import { createSuiteEngine } from '../suite-engine.js';

/** Concurrent commands per run: enough to race every move against another. */
const MAX_COMMANDS = 10;
/** The engine's default undo window, which the model's timing rules judge by. */
const UNDO_WINDOW_MINUTES = 30;

type Args = [fc.Scheduler, StaySeed[], StayCommand[], ChargeOutcome[], RefundOutcome[]];

/**
 * The whole stay under concurrency: paid bookings, check-in, check-out (early or not),
 * their undo, no-shows, cancellations with and without force, extensions charged as
 * top-ups and shortenings refunded, corrections racing for one external reference,
 * recovery sweeps and clock moves, all at once, with the store's port calls and the
 * gateway's calls ordered by `fc.scheduler()` and the gateway approving, declining,
 * timing out or losing its answer. After the run every pending payment is settled, and:
 *
 * - the change feed replays through the sequential model, every move allowed by the
 *   state table from the status it left and at a time the table allows (no reservation
 *   in two states, no night released twice or never);
 * - the invariants hold on what the store persisted (audit clean, rows = active nights);
 * - every call's answer is one the history allows;
 * - the money reconciles to the cent: the gateway's ledger against every reservation's
 *   balance (`reconcilePayments`), each stored balance recomputed;
 * - an external reference names at most one reservation, and the lookup finds it.
 */
export async function checkStayInterleavings(
  createStore: () => InnkeeperStore | Promise<InnkeeperStore>,
  runs: number,
  parameters: Omit<fc.Parameters<Args>, 'numRuns'> = {},
): Promise<void> {
  const commands = fc.array(stayCommandArb(12), { minLength: 1, maxLength: MAX_COMMANDS });
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      staySeedArb(),
      commands,
      chargeOutcomesArb(),
      refundOutcomesArb(),
      async (s, seeds, run, charges, refunds) => {
        const store = await createStore();
        try {
          const problems = await runStay(store, s, seeds, run, charges, refunds);
          if (problems.length > 0) {
            assert.fail(
              `${problems.length} problem(s) after the run:\n${formatProblems(problems)}`,
            );
          }
        } finally {
          await store.close();
        }
      },
    ),
    { includeErrorInReport: true, ...parameters, numRuns: runs },
  );
}

async function runStay(
  store: InnkeeperStore,
  s: fc.Scheduler,
  seeds: StaySeed[],
  commands: StayCommand[],
  charges: ChargeOutcome[],
  refunds: RefundOutcome[],
): Promise<string[]> {
  const { clock, hotel } = await createFixture(store);
  const log = new ReservationLog();
  const recorded = recordStoreCalls(store, log);
  const gateway = createTestGateway();
  let next = 0;
  const generateId = () => `s${String(++next).padStart(3, '0')}`;

  // Seed phase, one call at a time and every charge approved: stays to move, some in-house.
  const seedEngine = createSuiteEngine({ store: recorded, clock, generateId, payments: gateway });
  const { known, checkedIn } = await seedStays(seedEngine, seeds);
  const baseSeq = await lastSeq(store);

  // Concurrent phase: the gateway answers as scripted, then approves and refunds.
  gateway.scriptCharges(...charges).scriptRefunds(...refunds);
  const inFlight = { charges: 0 };
  const inn = createSuiteEngine({
    store: scheduleStoreCalls(recorded, s),
    clock,
    generateId,
    payments: scheduleGatewayCalls(gateway, s, inFlight),
  });
  const arrive = (label: string) => s.schedule(Promise.resolve(label));
  const calls = await s.waitFor(
    runStayCommands(
      {
        inn,
        clock,
        known,
        arrive,
        inFlight,
        stays: new Map(),
        moved: { checkedIn, checkedOut: [] },
      },
      commands,
    ),
  );

  const today = todayIn(hotel.timeZone, clock.now());
  const settled = await settleEverything(recorded, clock, gateway);
  const rules = { timeZone: hotel.timeZone, undoWindowMinutes: UNDO_WINDOW_MINUTES };
  const problems = await verifyRun({ store, log, calls, baseSeq, today, paid: true, rules });
  return [...problems, ...settled, ...(await moneyProblems(store, gateway))];
}

async function seedStays(inn: Innkeeper, seeds: StaySeed[]) {
  const known: string[] = [];
  const checkedIn: string[] = [];
  for (const [i, seed] of seeds.entries()) {
    try {
      const r = await inn.book(bookingInput(`seed-${i}`, seed.stay));
      known.push(r.id);
      if (seed.checkIn && seed.stay.checkIn === 0) {
        await inn.checkIn({ reservationId: r.id });
        checkedIn.push(r.id);
      }
    } catch (error) {
      if (!isInnkeeperError(error, 'SOLD_OUT')) throw error;
    }
  }
  return { known, checkedIn };
}

/**
 * Sweeps until nothing waits for the gateway, which now approves and refunds (outcomes
 * still queued are used up first): a recovered top-up may owe a refund, so it can take
 * more than one round.
 */
async function settleEverything(
  store: InnkeeperStore,
  clock: ManualClock,
  gateway: TestGateway,
): Promise<string[]> {
  gateway
    .scriptCharges((): ChargeOutcome => 'approve')
    .scriptRefunds((): RefundOutcome => 'refund');
  const inn = createSuiteEngine({ store, clock, payments: gateway });
  for (let round = 0; round < 8; round++) {
    // Past the grace period each time: what the last sweep wrote is swept by the next.
    clock.advance(3_600_000);
    await inn.recoverPendingPayments({ limit: 1000 });
    const updatedBefore = clock.now().toISOString();
    const left = await store.listPendingPayments({ updatedBefore, limit: 10 });
    if (left.length === 0) return [];
  }
  const left = await store.listPendingPayments({
    updatedBefore: clock.now().toISOString(),
    limit: 10,
  });
  return left.map(
    (r) =>
      `${r.id} (${r.status}) still waits for the gateway after recovery: payment ${JSON.stringify(r.payment)}, history ${r.history.map((h) => `${h.action}${h.reason ? ` (${h.reason})` : ''}`).join(' > ')}`,
  );
}

async function moneyProblems(store: InnkeeperStore, gateway: TestGateway): Promise<string[]> {
  const { reservations } = await readStoreState(store);
  const problems: string[] = [];
  const report = reconcilePayments(reservations, gateway.movements());
  for (const f of report.findings) problems.push(`money: ${JSON.stringify(f)}`);
  for (const r of reservations) {
    const recomputed = balanceOf(r);
    if (!isDeepStrictEqual(r.balance, recomputed)) {
      problems.push(
        `${r.id}: stored balance ${JSON.stringify(r.balance)}, recomputed ${JSON.stringify(recomputed)}`,
      );
    }
  }
  for (const ref of EXTERNAL_REFS) {
    const holders = reservations.filter((r) => r.details?.externalRef === ref).map((r) => r.id);
    if (holders.length > 1)
      problems.push(`external reference ${ref} held by ${holders.join(', ')}`);
    const found = await store.listReservations({
      filter: { by: 'external-ref', hotelId: HOTEL_ID, externalRef: ref },
      limit: 10,
    });
    const ids = found.map((r) => r.id);
    if (JSON.stringify(ids) !== JSON.stringify(holders)) {
      problems.push(`lookup of ${ref} finds [${ids}], the reservations hold it: [${holders}]`);
    }
  }
  return problems;
}

export const stayInterleavingsGroup: ConformanceGroup = (api, options) => {
  api.test(
    `concurrent paid book/modify/check-in/check-out/undo/cancel/no-show/corrections/recovery under every gateway outcome, interleaved by fc.scheduler(), follow the state table and reconcile money (${options.propertyRuns} runs)`,
    () =>
      checkStayInterleavings(
        options.createStore,
        options.propertyRuns,
        options.propertySeed === undefined ? {} : { seed: options.propertySeed },
      ),
    options.slowTimeoutMs,
  );
};
