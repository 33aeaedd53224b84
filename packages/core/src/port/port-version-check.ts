import { InnkeeperError } from '../errors.js';
import { STORE_PORT_VERSION } from './store-port-version.js';

/**
 * Refuses, at `createInnkeeper`, a store built for another version of the store port.
 * Without this a store from an older release would pass every type check a JavaScript
 * caller does not run and fail later, at the first command it does not have, with a
 * `STORAGE` error far from the cause.
 */
export function checkStorePortVersion(store: unknown): void {
  const declared =
    typeof store === 'object' && store !== null
      ? (store as { portVersion?: unknown }).portVersion
      : undefined;
  if (declared === STORE_PORT_VERSION) return;
  const what =
    declared === undefined
      ? 'declares no store port version (it was built before port versions existed)'
      : `implements store port version ${String(declared)}`;
  throw new InnkeeperError(
    'VALIDATION',
    `The store ${what}, but this @innkeeper/core speaks store port version ${STORE_PORT_VERSION}: install the store package release made for this core`,
    {
      issues: [
        {
          path: ['store', 'portVersion'],
          message: `Expected store port version ${STORE_PORT_VERSION}, got ${declared === undefined ? 'none' : String(declared)}`,
        },
      ],
    },
  );
}
