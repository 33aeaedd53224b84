import { createInnkeeper } from '@innkeeper/core';
import { createTestGateway } from '@innkeeper/test-gateway';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
// The OpenTelemetry SDK set-up the core's telemetry tests use (in-memory exporters).
import {
  activeSpanName,
  bookPaidStay,
  openPaidBookingHotel,
  PAID_BOOKING_TREE,
  recordTelemetry,
  type Telemetry,
} from '../../core/test/telemetry-harness.js';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool } from './support/test-database.js';

let telemetry: Telemetry;
let pool: pg.Pool;
let schema: string;
beforeAll(async () => {
  telemetry = recordTelemetry();
  pool = newPool(4);
  schema = await freshSchema(pool, 'telemetry');
});
afterAll(async () => {
  await telemetry.stop();
  await dropSchema(pool, schema);
  await pool.end();
});

test('a paid booking on Postgres: one span, store and gateway calls as children, every query under a store span', async () => {
  const inn = createInnkeeper({
    store: createPostgresStore({ pool }, { schema }),
    payments: createTestGateway(),
  });
  await openPaidBookingHotel(inn);
  // pg's instrumentation opens its query spans under the span active when a query is
  // sent: record which one that is for every query the booking sends.
  const underSpans: (string | undefined)[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    underSpans.push(activeSpanName());
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  telemetry.reset();
  try {
    await bookPaidStay(inn);
  } finally {
    pg.Client.prototype.query = query;
  }
  expect(telemetry.spanTree()).toEqual(PAID_BOOKING_TREE);
  expect(underSpans.length).toBeGreaterThan(0);
  for (const name of underSpans) expect(name).toMatch(/^innkeeper\.store\./);
  await inn.close();
});
