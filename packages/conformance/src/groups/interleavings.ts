import assert from 'node:assert/strict';
import { type InnkeeperStore, todayIn } from '@innkeeper/core';
import fc from 'fast-check';
import { createFixture } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { runCommands, runSeed } from '../model/command-runner.js';
import { type Command, commandArb, type SeedCommand, seedArb } from '../model/commands.js';
import { ReservationLog, recordStoreCalls } from '../model/reservation-log.js';
import { scheduleStoreCalls } from '../model/scheduled-store.js';
import { lastSeq } from '../model/store-state.js';
import { formatProblems, verifyRun } from '../model/verify-run.js';
import { createSuiteEngine } from '../suite-engine.js';

export type StoreFactory = () => InnkeeperStore | Promise<InnkeeperStore>;

/**
 * Concurrent commands per run. Small on purpose: a handful of calls on a handful of
 * nights already reaches every race (the scheduler explores orders, not volume), and
 * short runs shrink to short counterexamples.
 */
const MAX_COMMANDS = 10;
/** Few keys, so the same key keeps coming back (replays, reuse, racing twins). */
const COMMANDS = commandArb({ keys: 4, targets: 15 });

/**
 * The model-based property: concurrent book / hold / confirm / cancel / modify /
 * expireHolds calls (and clock moves) whose arrivals *and* port calls are ordered by
 * `fc.scheduler()`, checked afterwards against the invariants and a serial replay of the
 * store's change feed. Rejects with fast-check's report (seed, counterexample including
 * the scheduler's task order) when a run breaks anything.
 *
 * What the scheduler cannot reorder is a store's *internal* await: fast-check lets a few
 * dozen microtasks run between two scheduled steps, so a read-then-write race inside one
 * port call shows up here only if the store really waits on I/O in between (as every
 * database store does). The storms in `exact-cap-storm.ts` cover the rest by volume.
 */
export async function checkInterleavings(
  createStore: StoreFactory,
  runs: number,
  parameters: Omit<fc.Parameters<[fc.Scheduler, SeedCommand[], Command[]]>, 'numRuns'> = {},
): Promise<void> {
  const commands = fc.array(COMMANDS, { minLength: 1, maxLength: MAX_COMMANDS });
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), seedArb(), commands, async (s, seeds, run) => {
      const store = await createStore();
      try {
        const problems = await runInterleaved(store, s, seeds, run);
        if (problems.length > 0) {
          assert.fail(`${problems.length} problem(s) after the run:\n${formatProblems(problems)}`);
        }
      } finally {
        await store.close();
      }
    }),
    // The problem list goes into the message itself, next to the scheduler's task order:
    // runners that drop `cause` (or CI logs that truncate it) still show what broke.
    { includeErrorInReport: true, ...parameters, numRuns: runs },
  );
}

async function runInterleaved(
  store: InnkeeperStore,
  s: fc.Scheduler,
  seeds: SeedCommand[],
  commands: Command[],
): Promise<string[]> {
  const { clock, hotel } = await createFixture(store);
  const log = new ReservationLog();
  const recorded = recordStoreCalls(store, log);
  let next = 0;
  const generateId = () => `r${String(++next).padStart(3, '0')}`;

  // Seed phase: one call at a time, so cancel / modify / confirm have something to hit.
  const seedEngine = createSuiteEngine({ store: recorded, clock, generateId });
  const known = await runSeed(seedEngine, seeds);
  const baseSeq = await lastSeq(store);

  // Concurrent phase: a separate engine whose every port call waits for the scheduler,
  // and whose every call starts only when the scheduler lets it arrive.
  const inn = createSuiteEngine({ store: scheduleStoreCalls(recorded, s), clock, generateId });
  const arrive = (label: string) => s.schedule(Promise.resolve(label));
  const calls = await s.waitFor(runCommands({ inn, clock, known, arrive }, commands));

  const today = todayIn(hotel.timeZone, clock.now());
  return verifyRun({ store, log, calls, baseSeq, today });
}

export const interleavingsGroup: ConformanceGroup = (api, options) => {
  api.test(
    `concurrent book/hold/confirm/cancel/modify/expireHolds interleaved by fc.scheduler() keep every invariant and replay serially (${options.propertyRuns} runs)`,
    () =>
      checkInterleavings(
        options.createStore,
        options.propertyRuns,
        options.propertySeed === undefined ? {} : { seed: options.propertySeed },
      ),
    options.slowTimeoutMs,
  );
};
