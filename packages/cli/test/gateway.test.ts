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
});
