import { describe, expect, test } from 'vitest';
import { createTestGateway, type GatewayCall, GatewayUnavailableError } from '../src/index.js';
import { chargeRequest, refundRequest } from './requests.js';

describe('findCharge()', () => {
  test('findCharge() of a key never charged returns null', async () => {
    expect(await createTestGateway().findCharge('order-1')).toBeNull();
  });

  test('findCharge() of an approved key returns the charge id, amount and currency', async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest());
    expect(await gateway.findCharge('order-1')).toEqual({
      status: 'approved',
      chargeId: 'ch_test_1',
      amount: 36_000,
      currency: 'EUR',
    });
  });

  test('findCharge() of a declined key returns the decline', async () => {
    const gateway = createTestGateway({ defaultCharge: 'decline' });
    await gateway.charge(chargeRequest());
    expect(await gateway.findCharge('order-1')).toEqual({
      status: 'declined',
      reason: 'card_declined',
    });
  });

  test("findCharge() scripted 'unavailable' throws GatewayUnavailableError, then answers again", async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest());
    gateway.scriptLookups('unavailable');
    await expect(gateway.findCharge('order-1')).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect((await gateway.findCharge('order-1'))?.status).toBe('approved');
  });

  test('findCharge() follows defaultLookup and a scripted function of the key', async () => {
    const gateway = createTestGateway({ defaultLookup: 'unavailable' });
    await expect(gateway.findCharge('a')).rejects.toBeInstanceOf(GatewayUnavailableError);
    gateway.scriptLookups((key) => (key === 'a' ? 'answer' : 'unavailable'));
    expect(await gateway.findCharge('a')).toBeNull();
    await expect(gateway.findCharge('b')).rejects.toBeInstanceOf(GatewayUnavailableError);
  });
});

describe('records', () => {
  test('calls lists every call in arrival order with its outcome, result and error', async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('timeout');
    await gateway.charge(chargeRequest()).catch(() => undefined);
    await gateway.charge(chargeRequest());
    await gateway.charge(chargeRequest());
    await gateway.refund(refundRequest('ch_test_1'));
    await gateway.findCharge('order-1');

    const summary = gateway.calls.map((call: GatewayCall) => [
      call.method,
      call.outcome,
      call.result?.status ?? null,
      call.error?.name ?? null,
    ]);
    expect(summary).toEqual([
      ['charge', 'timeout', null, 'GatewayTimeoutError'],
      ['charge', 'approve', 'approved', null],
      ['charge', 'replay', 'approved', null],
      ['refund', 'refund', 'refunded', null],
      ['findCharge', 'answer', 'approved', null],
    ]);
  });

  test('calls records a call on arrival, before it settles', async () => {
    const gateway = createTestGateway({ latencyMs: 5 });
    const pending = gateway.charge(chargeRequest());
    expect(gateway.calls).toHaveLength(1);
    expect(gateway.calls[0]?.result).toBeNull();
    await pending;
    expect(gateway.calls[0]?.result?.status).toBe('approved');
  });

  test('calls keeps a copy of the request, not the caller’s object', async () => {
    const gateway = createTestGateway();
    const request = chargeRequest();
    await gateway.charge(request);
    request.amount = 1;
    const [call] = gateway.calls;
    expect(call?.method === 'charge' && call.request.amount).toBe(36_000);
    expect(gateway.charges[0]?.amount).toBe(36_000);
  });

  test('netCollected() sums charges minus refunds, optionally in one currency', async () => {
    const gateway = createTestGateway();
    await gateway.charge(chargeRequest({ idempotencyKey: 'a', amount: 1_000 }));
    await gateway.charge(chargeRequest({ idempotencyKey: 'b', amount: 500, currency: 'USD' }));
    await gateway.refund(refundRequest('ch_test_1', { amount: 300 }));
    expect(gateway.netCollected()).toBe(1_200);
    expect(gateway.netCollected('EUR')).toBe(700);
    expect(gateway.netCollected('USD')).toBe(500);
  });

  test('chargedAmount() and refundedAmount() are 0 for unknown keys and charges', () => {
    const gateway = createTestGateway();
    expect(gateway.chargedAmount('nope')).toBe(0);
    expect(gateway.refundedAmount('nope')).toBe(0);
  });

  test('unusedScript counts queued outcomes not used yet', async () => {
    const gateway = createTestGateway();
    gateway.scriptCharges('approve', 'decline').scriptRefunds('fail').scriptLookups('unavailable');
    await gateway.charge(chargeRequest());
    expect(gateway.unusedScript).toEqual({ charges: 1, refunds: 1, lookups: 1 });
  });
});
