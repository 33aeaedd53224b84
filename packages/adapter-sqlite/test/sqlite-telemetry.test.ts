import { rmSync } from 'node:fs';
import { createInnkeeper } from '@innkeeper/core';
import { createTestGateway } from '@innkeeper/test-gateway';
import { afterAll, beforeAll, expect, test } from 'vitest';
// The OpenTelemetry SDK set-up the core's telemetry tests use (in-memory exporters).
import {
  bookPaidStay,
  openPaidBookingHotel,
  PAID_BOOKING_TREE,
  recordTelemetry,
  type Telemetry,
} from '../../core/test/telemetry-harness.js';
import { createTempFileStore, makeTempDir } from './sqlite-temp-files.js';

const dir = makeTempDir();
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = recordTelemetry();
});
afterAll(async () => {
  await telemetry.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a paid booking on SQLite: one span, the store and gateway calls as its children', async () => {
  const store = createTempFileStore(dir);
  const inn = createInnkeeper({ store, payments: createTestGateway() });
  await openPaidBookingHotel(inn);
  telemetry.reset();
  await bookPaidStay(inn);
  expect(telemetry.spanTree()).toEqual(PAID_BOOKING_TREE);
  const storeCalls = await telemetry.metric('innkeeper.store.duration');
  expect(storeCalls.map((d) => d.attributes['innkeeper.store.call'])).toEqual(
    expect.arrayContaining(['readStay', 'applyBooking', 'changeReservation']),
  );
  await inn.close();
});
