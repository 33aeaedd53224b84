import { rmSync } from 'node:fs';
import { createInnkeeper } from '@innkeeper/core';
import { createTestGateway } from '@innkeeper/test-gateway';
import { afterAll, beforeAll, expect, test } from 'vitest';
// The OpenTelemetry SDK set-up the core's telemetry tests use (in-memory exporters).
import {
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
  const hotelId = 'h1';
  await inn.createHotel({ id: hotelId, name: 'H', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({ hotelId, id: 'std', name: 'Std', maxAdults: 2, baseRate: 9_000 });
  await inn.setInventory({
    hotelId,
    roomTypeId: 'std',
    from: '2030-01-01',
    to: '2030-01-31',
    total: 3,
  });
  telemetry.reset();
  await inn.book({
    hotelId,
    checkIn: '2030-01-10',
    checkOut: '2030-01-12',
    idempotencyKey: 'k1',
    lines: [{ roomTypeId: 'std', adults: 2 }],
    guest: { name: 'Ana', email: 'ana@example.com' },
  });
  expect(telemetry.spanTree()).toEqual(PAID_BOOKING_TREE);
  const storeCalls = await telemetry.metric('innkeeper.store.duration');
  expect(storeCalls.map((d) => d.attributes['innkeeper.store.call'])).toEqual(
    expect.arrayContaining(['readStay', 'applyBooking', 'changeReservation']),
  );
  await inn.close();
});
