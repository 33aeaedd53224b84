import type { ConformanceGroup } from './group.js';
import { behaviourGroups } from './groups/behaviour.js';
import { concurrencyGroups } from './groups/concurrency.js';
import { type ConformanceOptions, resolveOptions, type SuiteApi } from './suite-api.js';
import { withEngineExtras } from './suite-engine.js';

/** Payment at reservation across a real SIGKILL, for stores a second process can open. */
export * from './archive-crash/index.js';
export type { Fixture } from './fixture.js';
export { bookingRequest, createFixture, day, HOTEL_ID, INVENTORY_DAYS, TODAY } from './fixture.js';
export type { ConformanceGroup } from './group.js';
/** The concurrency checks on their own, e.g. to replay a failing seed from your own test. */
export { type PortMethodName, portCallArguments } from './groups/closed-store.js';
export { checkExactCapStorm, checkMixedStorm, checkOneKeyStorm } from './groups/exact-cap-storm.js';
export { checkInterleavings } from './groups/interleavings.js';
/** Rooms under concurrency, and the room invariants on a store's state. */
export { checkRoomInterleavings, roomProblems } from './groups/room-interleavings.js';
export * from './payment-crash/index.js';
/** The engine's reservation transitions as direct port calls, for a store's own tests. */
export * from './port-transitions.js';
export type { ConformanceOptions, SuiteApi } from './suite-api.js';

const groups: Record<string, ConformanceGroup> = { ...behaviourGroups, ...concurrencyGroups };

/** Every group's name, in the order the suite runs them: what `skipGroups` accepts. */
export const conformanceGroupNames: readonly string[] = Object.keys(groups);

/**
 * Runs the whole conformance suite against a store. Call it from a test file:
 *
 * ```ts
 * import { describe, test } from 'vitest';
 * runStoreConformance({ describe, test }, { createStore: () => createMemoryStore() });
 * ```
 */
export function runStoreConformance(api: SuiteApi, options: ConformanceOptions): void {
  const resolved = resolveOptions(options);
  const skip = new Set(options.skipGroups ?? []);
  // A misspelt name would skip nothing while looking like a deliberate choice.
  const unknown = [...skip].filter((name) => !(name in groups));
  if (unknown.length > 0) {
    throw new Error(
      `runStoreConformance: unknown skipGroups ${unknown.map((n) => `'${n}'`).join(', ')}; ` +
        `the groups are ${conformanceGroupNames.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  // Each test runs with the caller's engine options (a logger) on every engine it makes.
  const extras = options.logger ? { logger: options.logger } : {};
  const suite: SuiteApi = {
    describe: api.describe,
    test: (name, body, timeoutMs) =>
      api.test(name, () => withEngineExtras(extras, async () => body()), timeoutMs),
  };
  api.describe('Innkeeper store conformance', () => {
    for (const [name, group] of Object.entries(groups)) {
      if (skip.has(name)) continue;
      api.describe(name, () => group(suite, resolved));
    }
  });
}
