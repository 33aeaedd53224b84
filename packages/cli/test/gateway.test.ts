import { describe, expect, it } from 'vitest';
import { DemoGateway } from '../src/index.js';

const charge = (key: string) => ({
  idempotencyKey: key,
  amount: 30_000,
  currency: 'EUR',
  hotelId: 'h0',
  reservationId: `r-${key}`,
  description: 'stay',
});

describe('DemoGateway', () => {
  it('charge() with the same key returns the first result', async () => {
    const gateway = new DemoGateway({ declineRate: 0.5, seed: 7 });
    for (let i = 0; i < 50; i++) {
      const first = await gateway.charge(charge(`k${i}`));
      expect(await gateway.charge(charge(`k${i}`))).toEqual(first);
      expect(first.status === 'declined').toBe(gateway.declines(`k${i}`));
    }
  });

  it('declines about the configured fraction, the same keys for the same seed', async () => {
    const a = new DemoGateway({ declineRate: 0.1, seed: 1 });
    const b = new DemoGateway({ declineRate: 0.1, seed: 1 });
    const keys = Array.from({ length: 5_000 }, (_, i) => `key-${i}`);
    const declined = keys.filter((k) => a.declines(k));
    expect(declined.length / keys.length).toBeGreaterThan(0.08);
    expect(declined.length / keys.length).toBeLessThan(0.12);
    expect(keys.filter((k) => b.declines(k))).toEqual(declined);
  });

  it('findCharge() returns null for a key it never saw, and the charge for one it did', async () => {
    const gateway = new DemoGateway({ declineRate: 0, seed: 1 });
    expect(await gateway.findCharge('nope')).toBeNull();
    await gateway.charge(charge('seen'));
    expect(await gateway.findCharge('seen')).toMatchObject({ status: 'approved', amount: 30_000 });
  });

  it('refunds once per key, never beyond what is left of the charge, and keeps the ledger', async () => {
    const gateway = new DemoGateway({ declineRate: 0, seed: 1 });
    const charged = await gateway.charge(charge('a'));
    if (charged.status !== 'approved') throw new Error('expected an approval');
    const refund = (key: string, amount: number) =>
      gateway.refund({
        idempotencyKey: key,
        chargeId: charged.chargeId,
        amount,
        currency: 'EUR',
        reservationId: 'r-a',
      });
    expect(await refund('a:refund', 20_000)).toMatchObject({ status: 'refunded' });
    expect(await refund('a:refund', 20_000)).toMatchObject({ status: 'refunded' }); // same key
    expect(await refund('a:refund-2', 20_000)).toMatchObject({ status: 'failed' }); // 10,000 left
    expect(gateway.ledger()).toEqual({
      charges: 1,
      charged: 30_000,
      refunds: 1,
      refunded: 20_000,
      net: 10_000,
      refundsOverCharge: 1,
    });
    // The settlement report reconcilePayments reads: the charge and the one refund made.
    expect(gateway.movements()).toEqual([
      { kind: 'charge', reservationId: 'r-a', amount: 30_000, idempotencyKey: 'a' },
      { kind: 'refund', reservationId: 'r-a', amount: 20_000, idempotencyKey: 'a:refund' },
    ]);
    expect(gateway.movementsOf('h0')).toEqual(gateway.movements());
    expect(gateway.movementsOf('h1')).toEqual([]);
  });

  it('declines top-ups (keys with :top-up:) at their own rate', () => {
    const gateway = new DemoGateway({ declineRate: 0, topUpDeclineRate: 1, seed: 1 });
    expect(gateway.declines('innkeeper:h0:k1')).toBe(false);
    expect(gateway.declines('innkeeper:h0:k1:top-up:3')).toBe(true);
  });
});
