import { expect, test } from 'vitest';
import { main } from '../../../examples/pricing-and-payments.js';

// The pricing and payments tour is documentation (docs/pricing.md quotes its figures);
// running it here keeps the example and those figures from drifting apart silently.
test('examples/pricing-and-payments.ts main() prices, charges, recovers, refunds and audits clean', async () => {
  const printed: string[] = [];
  const summary = await main((line) => printed.push(line));

  expect(summary.offers).toEqual([
    ['flex', 48_468, '2030-03-12T15:00:00.000Z'],
    ['saver', 44_217, '2030-03-01T10:00:00.000Z'],
  ]);
  expect(summary.restricted).toMatchObject({ rule: 'min-stay', date: '2030-03-16' });
  expect(summary.quote).toEqual({ roomCharge: 43_461, taxTotal: 5_007, total: 48_468 });
  expect(summary.nights?.map((n) => n.amount + n.tax)).toEqual([14_142, 17_163, 17_163]);
  expect(summary.booked).toEqual({ id: 'res-1', status: 'confirmed', payment: 'charged' });
  expect(summary.recovered).toEqual({ id: 'res-3', status: 'confirmed', charges: 2 });
  expect(summary.cancelled).toMatchObject({
    kind: 'cancellation',
    penalty: 14_142,
    refund: 34_326,
  });
  expect(summary.noShow).toMatchObject({ kind: 'no-show', penalty: 26_828, refund: 0 });
  expect(summary.netCollected).toBe(40_970);
  expect(summary.audit).toBe(true);
  expect(printed.length).toBeGreaterThan(10);
});
