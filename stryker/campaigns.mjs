/**
 * The mutation-testing campaigns `pnpm mutation` runs (scripts/mutation.ts), one StrykerJS
 * run each. `stryker.config.mjs` and `vitest.config.ts` beside this file both read the
 * campaign named by `INNKEEPER_MUTATION_CAMPAIGN` from here.
 *
 * - `mutate`: the files Stryker mutates (paths from the repository root).
 * - `tests` (less `exclude`): the test files that may kill the mutants. Tests about child
 *   processes (crash and multi-process tests) are left out: Stryker activates a mutant in
 *   the test runner's process only, so what runs in a child is never the mutant, and those
 *   tests could kill nothing while costing minutes.
 * - `goal`: the mutation score the campaign must reach (Stryker's `thresholds.break`:
 *   below it, the command fails).
 * - `env`: extra environment of the test workers. The fast-check properties run 50 times
 *   with a fixed seed: each mutant is judged by the same runs, so a score does not move
 *   between two runs of unchanged code (the full 200 random runs stay in `pnpm test`).
 * - `needs`: `'postgres'` when the campaign needs `DATABASE_URL`, `'sqlite'` when it needs
 *   better-sqlite3 built for the Node that runs Stryker (scripts/mutation.ts builds it).
 * - `globalSetup`: Vitest global setup files (the Postgres tests' server lookup; for SQLite,
 *   letting a test's child process running as another user read the sandbox).
 */

const properties = { INNKEEPER_PROPERTY_RUNS: '50', INNKEEPER_PROPERTY_SEED: '19' };

/** @type {Record<string, import('./campaigns.d.mts').Campaign>} */
export const campaigns = {
  core: {
    description: "the core's pure rules, against the core's tests and the memory store's",
    mutate: [
      'packages/core/src/reservation/reservation-decisions.ts',
      'packages/core/src/reservation/stay-decisions.ts',
      'packages/core/src/reservation/correction-decisions.ts',
      'packages/core/src/reservation/top-up-decisions.ts',
      'packages/core/src/reservation/top-ups.ts',
      'packages/core/src/reservation/settlement-money.ts',
      'packages/core/src/reservation/balance.ts',
      'packages/core/src/reservation/payment-reconciliation.ts',
      'packages/core/src/calendar/overbooking.ts',
      'packages/core/src/calendar/capacity.ts',
      'packages/core/src/calendar/calendar-day.ts',
      'packages/core/src/calendar/inventory-delta.ts',
      'packages/core/src/calendar/day-columns.ts',
      'packages/core/src/reservation/payment-record.ts',
      'packages/core/src/reservation/cancellation-terms.ts',
      'packages/core/src/port/audit.ts',
      'packages/core/src/port/store-helpers.ts',
      'packages/core/src/port/room-nights.ts',
      'packages/core/src/port/archive-helpers.ts',
      'packages/core/src/archive/archive-rules.ts',
      'packages/core/src/archive/key-retention.ts',
      'packages/core/src/reservation/erasure.ts',
      'packages/core/src/rooms/room-assignment.ts',
      'packages/core/src/rooms/room-decisions.ts',
      'packages/core/src/rooms/room-planner.ts',
      'packages/core/src/rate-card/rate-plans.ts',
    ],
    tests: ['packages/core/test/**/*.test.ts', 'packages/adapter-memory/test/**/*.test.ts'],
    goal: 95,
    env: properties,
  },
  memory: {
    description: "the memory store's commands, against its tests and the conformance suite",
    mutate: [
      'packages/adapter-memory/src/memory-store.ts',
      'packages/adapter-memory/src/memory-decisions.ts',
      'packages/adapter-memory/src/memory-archiving.ts',
      'packages/adapter-memory/src/memory-tables.ts',
      'packages/adapter-memory/src/memory-hotel.ts',
      'packages/adapter-memory/src/memory-indexes.ts',
      'packages/adapter-memory/src/memory-query.ts',
      'packages/adapter-memory/src/memory-rooms.ts',
      'packages/adapter-memory/src/memory-archive.ts',
      'packages/adapter-memory/src/memory-change-feed.ts',
    ],
    tests: ['packages/adapter-memory/test/**/*.test.ts'],
    goal: 90,
    env: properties,
  },
  sqlite: {
    description: "the SQLite store's commands, against its in-process tests and the suite",
    mutate: [
      'packages/adapter-sqlite/src/sqlite-store.ts',
      'packages/adapter-sqlite/src/sqlite-transactions.ts',
      'packages/adapter-sqlite/src/sqlite-reservation-steps.ts',
      'packages/adapter-sqlite/src/sqlite-inventory.ts',
      'packages/adapter-sqlite/src/sqlite-reads.ts',
      'packages/adapter-sqlite/src/sqlite-runner.ts',
      'packages/adapter-sqlite/src/sqlite-rooms.ts',
      'packages/adapter-sqlite/src/sqlite-rate-cards.ts',
      'packages/adapter-sqlite/src/sqlite-archive.ts',
      'packages/adapter-sqlite/src/sqlite-change-feed.ts',
    ],
    tests: ['packages/adapter-sqlite/test/**/*.test.ts'],
    exclude: [
      // The suite on files: the same tests as conformance-in-memory, twice as slow.
      'packages/adapter-sqlite/test/conformance.test.ts',
      // These are about worker processes (sqlite-faults forks one too, for one test, but
      // its other tests run here; drivers-hook.mjs lets that child load the driver).
      'packages/adapter-sqlite/test/sqlite-multi-process.test.ts',
      'packages/adapter-sqlite/test/sqlite-payment-crash.test.ts',
      'packages/adapter-sqlite/test/sqlite-archive-crash.test.ts',
      'packages/adapter-sqlite/test/sqlite-worker-lock.test.ts',
      // Checks the installed driver's version, not the store.
      'packages/adapter-sqlite/test/driver-version.test.ts',
    ],
    goal: 90,
    env: properties,
    needs: 'sqlite',
    globalSetup: ['stryker/sandbox-readable.mjs'],
  },
  postgres: {
    description:
      "the Postgres store's TypeScript commands, against its in-process tests and the suite (needs DATABASE_URL)",
    mutate: [
      'packages/adapter-postgres/src/postgres-commands.ts',
      'packages/adapter-postgres/src/postgres-store.ts',
      'packages/adapter-postgres/src/postgres-reads.ts',
      'packages/adapter-postgres/src/postgres-rooms.ts',
      'packages/adapter-postgres/src/postgres-calendar.ts',
      'packages/adapter-postgres/src/postgres-archive.ts',
      'packages/adapter-postgres/src/postgres-feed-retention.ts',
    ],
    tests: ['packages/adapter-postgres/test/**/*.test.ts'],
    exclude: [
      // These fork worker processes.
      'packages/adapter-postgres/test/payment-crash.test.ts',
      'packages/adapter-postgres/test/archive-crash.test.ts',
      'packages/adapter-postgres/test/startup-race.test.ts',
      'packages/adapter-postgres/test/termination-storm.test.ts',
      'packages/adapter-postgres/test/room-storm.test.ts',
      // Checks the installed driver's version, not the store.
      'packages/adapter-postgres/test/driver-version.test.ts',
    ],
    goal: 90,
    env: properties,
    needs: 'postgres',
    globalSetup: ['packages/adapter-postgres/test/support/global-setup.ts'],
  },
};

/** The campaign `INNKEEPER_MUTATION_CAMPAIGN` names; throws for a missing or unknown name. */
export function currentCampaign() {
  const name = process.env.INNKEEPER_MUTATION_CAMPAIGN ?? '';
  const campaign = campaigns[name];
  if (!campaign) {
    throw new Error(
      `INNKEEPER_MUTATION_CAMPAIGN must be one of ${Object.keys(campaigns).join(', ')} ` +
        `(got '${name}'); run campaigns with \`pnpm mutation <name>\``,
    );
  }
  return { name, ...campaign };
}
