import { describe, expect, test } from 'vitest';
import { createTestGateway, GatewayMisuseError, GatewayTimeoutError } from '../src/index.js';
import { chargeRequest } from './requests.js';

describe('charge() idempotency', () => {
  test('charge() with a key already approved returns the first result and charges nothing more', async () => {
    const gateway = createTestGateway();
    const first = await gateway.charge(chargeRequest());
    const again = await gateway.charge(chargeRequest());
    expect(again).toEqual(first);
    expect(gateway.charges).toHaveLength(1);
    expect(gateway.netCollected()).toBe(36_000);
  });

  test('charge() with a key already approved ignores the scripted outcome and leaves it queued', async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest());
    gateway.scriptCharges('decline', 'crash-after-charge');
    expect(await gateway.charge(chargeRequest())).toEqual({
      status: 'approved',
      chargeId: 'ch_test_1',
    });
    expect(gateway.unusedScript.charges).toBe(2);
    expect(gateway.calls.map((call) => call.outcome)).toEqual(['approve', 'replay']);
  });

  test('charge() with a key already declined returns the same decline even when approve is scripted', async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('decline', 'approve');
    const first = await gateway.charge(chargeRequest());
    const again = await gateway.charge(chargeRequest());
    expect(again).toEqual(first);
    expect(again.status).toBe('declined');
    expect(gateway.charges).toEqual([]);
    expect(gateway.declines).toHaveLength(1);
  });

  test("charge() after 'crash-after-charge' with the same key returns the recorded approval", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('crash-after-charge', 'decline');
    await expect(gateway.charge(chargeRequest())).rejects.toThrow();
    expect(await gateway.charge(chargeRequest())).toEqual({
      status: 'approved',
      chargeId: 'ch_test_1',
    });
    expect(gateway.charges).toHaveLength(1);
  });

  test("charge() after 'timeout' with the same key is a new charge that uses the next outcome", async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('timeout', 'approve');
    await expect(gateway.charge(chargeRequest())).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect((await gateway.charge(chargeRequest())).status).toBe('approved');
    expect(gateway.charges).toHaveLength(1);
  });

  test('charge() with a known key but a different amount, currency or reservation throws GatewayMisuseError', async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest());
    for (const change of [{ amount: 1 }, { currency: 'USD' }, { reservationId: 'r2' }]) {
      await expect(gateway.charge(chargeRequest(change))).rejects.toBeInstanceOf(
        GatewayMisuseError,
      );
    }
    expect(gateway.charges).toHaveLength(1);
  });

  test('charge() with a known key and only a different description replays the first result', async () => {
    const gateway = createTestGateway();
    const first = await gateway.charge(chargeRequest());
    expect(await gateway.charge(chargeRequest({ description: 'Retry' }))).toEqual(first);
  });

  test('charge() called concurrently with one key charges once and gives both callers the charge', async () => {
    const gateway = createTestGateway({ latencyMs: 5 });
    const results = await Promise.all([
      gateway.charge(chargeRequest()),
      gateway.charge(chargeRequest()),
      gateway.charge(chargeRequest()),
    ]);
    expect(new Set(results.map((r) => (r.status === 'approved' ? r.chargeId : r.reason)))).toEqual(
      new Set(['ch_test_1']),
    );
    expect(gateway.charges).toHaveLength(1);
  });

  test('charge() with different keys charges each once', async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest({ idempotencyKey: 'a' }));
    await gateway.charge(chargeRequest({ idempotencyKey: 'b', amount: 1_000 }));
    expect(gateway.charges.map((c) => c.chargeId)).toEqual(['ch_test_1', 'ch_test_2']);
    expect(gateway.netCollected()).toBe(37_000);
  });
});
