import { createInnkeeper, type Innkeeper, type InnkeeperOptions } from '@innkeeper/core';

/** Engine options the suite's caller adds to every engine the suite creates. */
export type EngineExtras = Pick<InnkeeperOptions, 'logger'>;

let extras: EngineExtras = {};

/**
 * Every engine of the suite is made here, so what the caller passed in
 * `ConformanceOptions` (a logger) reaches all of them: the fixture's, the payment
 * fixture's, the properties' and the storms'. The test that runs sets the extras for its
 * duration (`withEngineExtras`); a file's tests run one after another.
 */
export function createSuiteEngine(options: InnkeeperOptions): Innkeeper {
  return createInnkeeper({ ...extras, ...options });
}

/** Runs `body` with `extras` added to every engine it creates. */
export async function withEngineExtras<T>(added: EngineExtras, body: () => Promise<T>): Promise<T> {
  const before = extras;
  extras = added;
  try {
    return await body();
  } finally {
    extras = before;
  }
}
