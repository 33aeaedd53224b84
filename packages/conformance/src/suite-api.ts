import type { InnkeeperLogger, InnkeeperStore } from '@innkeeper/core';

/**
 * The slice of a test runner the suite needs. Vitest's and Jest's `describe`/`test`
 * fit as they are, so the suite never imports a runner itself (assertions use
 * `node:assert/strict`).
 */
export interface SuiteApi {
  describe: (name: string, body: () => void) => void;
  test: (name: string, body: () => Promise<void> | void, timeoutMs?: number) => void;
}

export interface ConformanceOptions {
  /** A fresh, empty store for each test. */
  createStore: () => InnkeeperStore | Promise<InnkeeperStore>;
  /**
   * How many fast-check runs each property makes. Defaults to the
   * `INNKEEPER_PROPERTY_RUNS` environment variable, else 200.
   */
  propertyRuns?: number;
  /**
   * Seed for the fast-check properties, to replay a failing run. Defaults to the
   * `INNKEEPER_PROPERTY_SEED` environment variable, else a random seed (printed on failure).
   */
  propertySeed?: number;
  /** Timeout for the slow groups (properties, storms), in ms. Default: 120 000, or 500 ms a property run when that is more. */
  slowTimeoutMs?: number;
  /**
   * Skip groups by name (`conformanceGroupNames` lists them; an unknown name throws), e.g. a
   * store that cannot run the storms in CI. Prefer not to.
   */
  skipGroups?: string[];
  /**
   * A logger every engine of the suite writes to (`createInnkeeper({ logger })`), e.g. to
   * check what your logging pipeline receives over a whole run.
   */
  logger?: InnkeeperLogger;
}

export interface ResolvedOptions {
  createStore: () => Promise<InnkeeperStore>;
  propertyRuns: number;
  propertySeed: number | undefined;
  slowTimeoutMs: number;
}

export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  const fromEnv = Number(process.env.INNKEEPER_PROPERTY_RUNS);
  const seedFromEnv = process.env.INNKEEPER_PROPERTY_SEED;
  const propertyRuns =
    options.propertyRuns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 200);
  return {
    createStore: async () => options.createStore(),
    propertyRuns,
    propertySeed: options.propertySeed ?? (seedFromEnv ? Number(seedFromEnv) : undefined),
    // Deep runs (INNKEEPER_PROPERTY_RUNS=10000) need time in proportion, on a database most of all.
    slowTimeoutMs: options.slowTimeoutMs ?? Math.max(120_000, propertyRuns * 500),
  };
}
