import {
  bookingRequest,
  createFixture,
  type PortMethodName,
  portCallArguments,
} from '@innkeeper/conformance';
import { isInnkeeperError } from '@innkeeper/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool } from './support/test-database.js';

/**
 * A store whose database cannot be reached answers every port call with a STORAGE error
 * naming that call in `details.operation` (what an operator greps the logs for), the
 * driver's error kept as `cause`, and never hangs or answers.
 */

const admin = newPool(2);
let schema = '';
beforeAll(async () => {
  schema = await freshSchema(admin, 'unreachable');
});
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

test('every port call on an unreachable database is STORAGE naming the call, with the cause', async () => {
  // The arguments come from a fixture on a reachable schema; the calls go to port 1.
  const reachable = createPostgresStore({ pool: admin }, { schema });
  const fix = await createFixture(reachable);
  const held = await fix.inn.hold(bookingRequest());
  const unreachable: PostgresStore = createPostgresStore(
    // Nothing listens on port 1: every connection is refused at once.
    { connectionString: 'postgres://postgres@127.0.0.1:1/none' },
    { schema, maxRetries: 0 },
  );
  const wrong: string[] = [];
  try {
    for (const [method, args] of Object.entries(portCallArguments)) {
      const call = (
        unreachable[method as PortMethodName] as (...a: unknown[]) => Promise<unknown>
      ).bind(unreachable);
      try {
        await call(...args(fix, held));
        wrong.push(`${method}: answered`);
      } catch (error) {
        if (!isInnkeeperError(error, 'STORAGE')) wrong.push(`${method}: ${String(error)}`);
        else if (error.details.operation !== method || error.cause === undefined) {
          wrong.push(
            `${method}: operation ${error.details.operation}, cause ${String(error.cause)}`,
          );
        }
      }
    }
  } finally {
    await unreachable.close();
  }
  expect(wrong).toEqual([]);
}, 60_000);
