import {
  amountPaid,
  type PaymentRecord,
  paymentRecordSchema,
  settlementSchema,
} from '@innkeeper/core';
import { pendingPaymentOf } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';

const record: PaymentRecord = {
  status: 'charged',
  idempotencyKey: 'innkeeper:h1:key-1',
  amount: 20_000,
  currency: 'EUR',
  chargeId: 'ch_1',
  declineReason: null,
  refunded: 0,
  refundDue: 0,
};

describe('paymentRecordSchema and settlementSchema', () => {
  test('a payment record is pending, charged or declined, with every field', () => {
    for (const status of ['pending', 'charged', 'declined'] as const) {
      expect(paymentRecordSchema.safeParse({ ...record, status }).success).toBe(true);
    }
    for (const bad of [
      { ...record, status: 'refunded' },
      { ...record, amount: -1 },
      { ...record, refundDue: 0.5 },
      (({ idempotencyKey: _, ...rest }) => rest)(record),
    ]) {
      expect(paymentRecordSchema.safeParse(bad).success).toBe(false);
    }
  });

  test('a settlement is a cancellation or a no-show, with every field', () => {
    const settlement = {
      kind: 'cancellation',
      at: '2026-04-01T10:05:00.000Z',
      penalty: 0,
      refund: 0,
    };
    for (const kind of ['cancellation', 'no-show']) {
      expect(settlementSchema.safeParse({ ...settlement, kind }).success).toBe(true);
    }
    for (const bad of [
      { ...settlement, kind: 'expiry' },
      { ...settlement, penalty: -1 },
      (({ refund: _, ...rest }) => rest)(settlement),
    ]) {
      expect(settlementSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('amountPaid and pendingPaymentOf', () => {
  test('only a charged record counts as paid', () => {
    expect(amountPaid(record)).toBe(20_000);
    expect(amountPaid({ ...record, status: 'pending' })).toBe(0);
    expect(amountPaid({ ...record, status: 'declined' })).toBe(0);
    expect(amountPaid(null)).toBe(0);
  });

  test('a held reservation with a pending charge waits for the charge; money owed back waits for a refund', () => {
    expect(pendingPaymentOf({ status: 'held', payment: null })).toBeNull();
    expect(pendingPaymentOf({ status: 'held', payment: { ...record, status: 'pending' } })).toBe(
      'charge',
    );
    expect(pendingPaymentOf({ status: 'confirmed', payment: record })).toBeNull();
    // Only a hold waits for its charge: a pending record on anything else is not a charge.
    const pending = { ...record, status: 'pending' as const };
    expect(pendingPaymentOf({ status: 'expired', payment: pending })).toBeNull();
    expect(pendingPaymentOf({ status: 'cancelled', payment: { ...record, refundDue: 1 } })).toBe(
      'refund',
    );
    expect(
      pendingPaymentOf({ status: 'expired', payment: { ...record, refundDue: 0 } }),
    ).toBeNull();
  });
});
