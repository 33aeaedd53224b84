import { describe, expect, test } from 'vitest';
import {
  createTestGateway,
  GatewayMisuseError,
  GatewayTimeoutError,
  SimulatedCrashError,
} from '../src/index.js';
import { chargeRequest } from './requests.js';

describe('charge() outcomes', () => {
  test("charge() with nothing scripted approves and records the charge (default 'approve')", async () => {
    const gateway = createTestGateway();
    const result = await gateway.charge(chargeRequest());
    expect(result).toEqual({ status: 'approved', chargeId: 'ch_test_1' });
    expect(gateway.charges).toEqual([{ ...chargeRequest(), chargeId: 'ch_test_1' }]);
    expect(gateway.chargedAmount('order-1')).toBe(36_000);
  });

  test('charge() uses defaultCharge when nothing is scripted', async () => {
    const gateway = createTestGateway({ defaultCharge: 'decline' });
    expect(await gateway.charge(chargeRequest())).toEqual({
      status: 'declined',
      reason: 'card_declined',
    });
    expect(gateway.charges).toEqual([]);
  });

  test("charge() scripted 'decline' answers declined, takes nothing and records the decline", async () => {
    const gateway = createTestGateway({ declineReason: 'insufficient_funds' });
    gateway.scriptCharges('decline');
    expect(await gateway.charge(chargeRequest())).toEqual({
      status: 'declined',
      reason: 'insufficient_funds',
    });
    expect(gateway.charges).toEqual([]);
    expect(gateway.declines).toEqual([{ ...chargeRequest(), reason: 'insufficient_funds' }]);
    expect(gateway.chargedAmount('order-1')).toBe(0);
  });

  test("charge() scripted 'timeout' throws GatewayTimeoutError and takes nothing", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('timeout');
    await expect(gateway.charge(chargeRequest())).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect(gateway.charges).toEqual([]);
    expect(gateway.declines).toEqual([]);
    expect(await gateway.findCharge('order-1')).toBeNull();
  });

  test("charge() scripted 'crash-before-charge' throws SimulatedCrashError and takes nothing", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('crash-before-charge', 'approve');
    await expect(gateway.charge(chargeRequest())).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(await gateway.findCharge('order-1')).toBeNull();
    expect((await gateway.charge(chargeRequest())).status).toBe('approved');
    expect(gateway.charges).toHaveLength(1);
  });

  test("charge() scripted 'timeout-after-charge' takes the money, then throws GatewayTimeoutError", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('timeout-after-charge');
    await expect(gateway.charge(chargeRequest())).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect(gateway.chargedAmount('order-1')).toBe(36_000);
    expect(await gateway.findCharge('order-1')).toEqual({
      status: 'approved',
      chargeId: 'ch_test_1',
      amount: 36_000,
      currency: 'EUR',
    });
  });

  test("charge() scripted 'crash-after-charge' takes the money, then throws SimulatedCrashError", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('crash-after-charge');
    await expect(gateway.charge(chargeRequest())).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(gateway.charges).toHaveLength(1);
    expect(gateway.netCollected()).toBe(36_000);
  });

  test('charge() takes scripted outcomes first in first out, then falls back to the default', async () => {
    const gateway = createTestGateway({ defaultCharge: 'decline' });
    gateway.scriptCharges('approve', 'timeout');
    gateway.scriptCharges('approve');
    const outcomes = [];
    for (const key of ['a', 'b', 'c', 'd']) {
      outcomes.push(
        await gateway.charge(chargeRequest({ idempotencyKey: key })).then(
          (result) => result.status,
          (error: Error) => error.name,
        ),
      );
    }
    expect(outcomes).toEqual(['approved', 'GatewayTimeoutError', 'approved', 'declined']);
    expect(gateway.unusedScript.charges).toBe(0);
  });

  test('charge() asks a scripted function once the queue is empty', async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges((request) => (request.amount > 50_000 ? 'decline' : 'approve'));
    gateway.scriptCharges('timeout');
    await expect(gateway.charge(chargeRequest({ idempotencyKey: 'a' }))).rejects.toThrow(
      GatewayTimeoutError,
    );
    const small = await gateway.charge(chargeRequest({ idempotencyKey: 'b', amount: 100 }));
    const large = await gateway.charge(chargeRequest({ idempotencyKey: 'c', amount: 90_000 }));
    expect([small.status, large.status]).toEqual(['approved', 'declined']);
  });

  test('charge() with an amount that is not a positive integer throws GatewayMisuseError and uses no script', async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('decline');
    for (const amount of [0, -5, 10.5, Number.NaN]) {
      await expect(gateway.charge(chargeRequest({ amount }))).rejects.toBeInstanceOf(
        GatewayMisuseError,
      );
    }
    expect(gateway.unusedScript.charges).toBe(1);
    expect(gateway.calls.map((call) => call.outcome)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
  });

  test('new TestGateway with a negative latencyMs throws RangeError', () => {
    expect(() => createTestGateway({ latencyMs: -1 })).toThrow(RangeError);
  });
});
