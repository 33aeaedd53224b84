import { expect, test } from 'vitest';
import { main } from '../../../examples/quickstart.js';

// The quickstart is documentation; running it here keeps it from rotting silently.
test('examples/quickstart.ts main() runs the documented tour and returns its summary', async () => {
  const printed: string[] = [];
  const summary = await main((line) => printed.push(line));

  expect(summary.offers).toEqual([
    ['double', 11, 42_000],
    ['suite', 1, 90_000],
  ]);
  expect(summary.booking).toEqual({ id: 'res-1', total: 84_000, retriedId: 'res-1' });
  expect(summary.hold).toEqual(['held', 'confirmed']);
  expect(summary.modified).toEqual({
    checkOut: '2030-03-18',
    total: 108_000,
    nights: [
      '2030-03-14 EUR 120.00',
      '2030-03-15 EUR 150.00',
      '2030-03-16 EUR 150.00',
      '2030-03-17 EUR 120.00',
    ],
    history: ['created', 'modified'],
  });
  expect(summary.cancelled).toEqual({ status: 'cancelled', versions: [2, 2] });
  expect(summary.pages).toEqual([['res-4 cancelled', 'res-3 confirmed'], ['res-1 confirmed']]);
  expect(summary.soldOut).toEqual(
    ['2030-03-14', '2030-03-15', '2030-03-16'].map((date) => ({
      roomTypeId: 'suite',
      date,
      requested: 1,
      remaining: 0,
      reason: 'sold-out',
    })),
  );
  expect(summary.issues).toEqual([
    { path: ['checkIn'], message: expect.any(String) },
    { path: ['lines', 0, 'adults'], message: expect.any(String) },
  ]);
  expect(summary.audit).toEqual({ ok: true, findings: 0 });
  expect(summary.events).toEqual([
    'hotel.created',
    'room-type.created',
    'room-type.created',
    'inventory.changed',
    'inventory.changed',
    'inventory.changed',
    'reservation.created',
    'reservation.created',
    'reservation.confirmed',
    'inventory.changed',
    'reservation.modified',
    'reservation.created',
    'reservation.cancelled',
  ]);
  expect(printed.length).toBeGreaterThan(10);
});
