import { describe, expect, test } from 'vitest';
import {
  createTestGateway,
  GatewayMisuseError,
  GatewayTimeoutError,
  SimulatedCrashError,
  type TestGateway,
} from '../src/index.js';
import { chargeRequest, refundRequest } from './requests.js';

/** A gateway holding one approved charge of 36 000 EUR. */
async function chargedGateway(): Promise<{ gateway: TestGateway; chargeId: string }> {
  const gateway = createTestGateway();
  const result = await gateway.charge(chargeRequest());
  if (result.status !== 'approved') throw new Error('setup charge was not approved');
  return { gateway, chargeId: result.chargeId };
}

describe('refund() outcomes', () => {
  test('refund() with nothing scripted refunds and records the refund', async () => {
    const { gateway, chargeId } = await chargedGateway();
    expect(await gateway.refund(refundRequest(chargeId))).toEqual({
      status: 'refunded',
      refundId: 're_test_1',
    });
    expect(gateway.refunds).toEqual([{ ...refundRequest(chargeId), refundId: 're_test_1' }]);
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
    expect(gateway.netCollected()).toBe(26_000);
  });

  test("refund() scripted 'fail' answers failed and gives nothing back", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('fail');
    expect(await gateway.refund(refundRequest(chargeId))).toEqual({
      status: 'failed',
      reason: 'refund_failed',
    });
    expect(gateway.refunds).toEqual([]);
    expect(gateway.netCollected()).toBe(36_000);
  });

  test("refund() scripted 'timeout' throws GatewayTimeoutError and gives nothing back", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('timeout');
    await expect(gateway.refund(refundRequest(chargeId))).rejects.toBeInstanceOf(
      GatewayTimeoutError,
    );
    expect(gateway.refundedAmount(chargeId)).toBe(0);
  });

  test("refund() scripted 'timeout-after-refund' gives the money back, then throws GatewayTimeoutError", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('timeout-after-refund');
    await expect(gateway.refund(refundRequest(chargeId))).rejects.toBeInstanceOf(
      GatewayTimeoutError,
    );
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
  });

  test("refund() scripted 'crash-after-refund' gives the money back, then throws SimulatedCrashError", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('crash-after-refund');
    await expect(gateway.refund(refundRequest(chargeId))).rejects.toBeInstanceOf(
      SimulatedCrashError,
    );
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
  });

  test('refund() uses defaultRefund, then a scripted function, after the queue', async () => {
    const gateway = createTestGateway({ defaultRefund: 'fail' });
    const charge = await gateway.charge(chargeRequest());
    const chargeId = charge.status === 'approved' ? charge.chargeId : '';
    const one = refundRequest(chargeId, { idempotencyKey: 'r-1', amount: 100 });
    expect((await gateway.refund(one)).status).toBe('failed');
    gateway.scriptRefunds((request) => (request.amount === 100 ? 'refund' : 'fail'));
    expect((await gateway.refund(one)).status).toBe('refunded');
    expect((await gateway.refund({ ...one, idempotencyKey: 'r-2', amount: 200 })).status).toBe(
      'failed',
    );
  });
});

describe('refund() limits and idempotency', () => {
  test('refund() of more than is left of the charge answers failed and gives nothing back', async () => {
    const { gateway, chargeId } = await chargedGateway();
    await gateway.refund(refundRequest(chargeId, { idempotencyKey: 'a', amount: 30_000 }));
    const result = await gateway.refund(
      refundRequest(chargeId, { idempotencyKey: 'b', amount: 6_001 }),
    );
    expect(result).toEqual({
      status: 'failed',
      reason: 'exceeds_remaining: 6001 asked, 6000 left',
    });
    expect(gateway.refundedAmount(chargeId)).toBe(30_000);
  });

  test('refund() of exactly what is left of the charge succeeds and leaves nothing collected', async () => {
    const { gateway, chargeId } = await chargedGateway();
    await gateway.refund(refundRequest(chargeId, { idempotencyKey: 'a', amount: 30_000 }));
    await gateway.refund(refundRequest(chargeId, { idempotencyKey: 'b', amount: 6_000 }));
    expect(gateway.refundedAmount(chargeId)).toBe(36_000);
    expect(gateway.netCollected()).toBe(0);
  });

  test('refund() of an unknown charge or in another currency answers failed', async () => {
    const { gateway, chargeId } = await chargedGateway();
    expect(await gateway.refund(refundRequest('ch_nope'))).toEqual({
      status: 'failed',
      reason: 'unknown_charge: ch_nope',
    });
    expect((await gateway.refund(refundRequest(chargeId, { currency: 'USD' }))).status).toBe(
      'failed',
    );
    expect(gateway.refunds).toEqual([]);
  });

  test('refund() of a declined charge answers failed', async () => {
    const gateway = createTestGateway({ defaultCharge: 'decline' });
    await gateway.charge(chargeRequest());
    expect((await gateway.refund(refundRequest('ch_test_1'))).status).toBe('failed');
  });

  test('refund() with a key already refunded returns the first result and gives nothing more back', async () => {
    const { gateway, chargeId } = await chargedGateway();
    const first = await gateway.refund(refundRequest(chargeId));
    gateway.scriptRefunds('fail');
    expect(await gateway.refund(refundRequest(chargeId))).toEqual(first);
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
    expect(gateway.unusedScript.refunds).toBe(1);
  });

  test("refund() after 'timeout-after-refund' with the same key returns the recorded refund", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('timeout-after-refund');
    await expect(gateway.refund(refundRequest(chargeId))).rejects.toThrow();
    expect(await gateway.refund(refundRequest(chargeId))).toEqual({
      status: 'refunded',
      refundId: 're_test_1',
    });
    expect(gateway.refunds).toHaveLength(1);
  });

  test("refund() after 'fail' or 'timeout' with the same key tries again and can succeed", async () => {
    const { gateway, chargeId } = await chargedGateway();
    gateway.scriptRefunds('fail', 'timeout', 'refund');
    expect((await gateway.refund(refundRequest(chargeId))).status).toBe('failed');
    await expect(gateway.refund(refundRequest(chargeId))).rejects.toThrow(GatewayTimeoutError);
    expect((await gateway.refund(refundRequest(chargeId))).status).toBe('refunded');
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
  });

  test('refund() called concurrently with one key refunds once', async () => {
    const gateway = createTestGateway({ latencyMs: 5 });
    const charge = await gateway.charge(chargeRequest());
    const chargeId = charge.status === 'approved' ? charge.chargeId : '';
    const results = await Promise.all([
      gateway.refund(refundRequest(chargeId)),
      gateway.refund(refundRequest(chargeId)),
    ]);
    expect(results[0]).toEqual(results[1]);
    expect(gateway.refundedAmount(chargeId)).toBe(10_000);
  });

  test('refund() with a known key but a different amount or charge throws GatewayMisuseError', async () => {
    const { gateway, chargeId } = await chargedGateway();
    await gateway.refund(refundRequest(chargeId));
    await expect(gateway.refund(refundRequest(chargeId, { amount: 5 }))).rejects.toBeInstanceOf(
      GatewayMisuseError,
    );
    await expect(gateway.refund(refundRequest('ch_other'))).rejects.toBeInstanceOf(
      GatewayMisuseError,
    );
    expect(gateway.refunds).toHaveLength(1);
  });

  test('refund() with an amount that is not a positive integer throws GatewayMisuseError', async () => {
    const { gateway, chargeId } = await chargedGateway();
    await expect(gateway.refund(refundRequest(chargeId, { amount: 0 }))).rejects.toBeInstanceOf(
      GatewayMisuseError,
    );
  });
});
