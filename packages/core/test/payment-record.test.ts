import {
  amountPaid,
  type PaymentRecord,
  paymentRecordSchema,
  settlementSchema,
} from '@innkeeper/core';
import { dueRefunds, oweRefund, pendingPaymentOf } from '@innkeeper/core/store';
import { describe, expect, test } from 'vitest';
import { confirmRefund } from '../src/reservation/payment-record.js';

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
    for (const kind of ['cancellation', 'no-show', 'early-departure']) {
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

describe('refunds owed over several charges (oweRefund, confirmRefund)', () => {
  const KEY = record.idempotencyKey;
  const topUp = (over: Partial<NonNullable<PaymentRecord['topUps']>[number]>) => ({
    key: `${KEY}:top-up:2`,
    amount: 2_000,
    status: 'charged' as const,
    chargeId: 'ch_2',
    declineReason: null,
    ...over,
  });

  test('owing nothing returns the record itself', () => {
    expect(oweRefund(record, 0)).toBe(record);
    expect(oweRefund(record, -5)).toBe(record);
  });

  test('what is owed back is laid over the charges in order; a declined top-up took nothing', () => {
    const paid: PaymentRecord = {
      ...record,
      amount: 10_000,
      topUps: [
        topUp({ key: `${KEY}:top-up:2`, status: 'declined', chargeId: null, amount: 500 }),
        topUp({ key: `${KEY}:top-up:3`, chargeId: 'ch_3' }),
      ],
    };
    const owing = oweRefund(paid, 11_000);
    expect(owing.refundDue).toBe(11_000);
    expect(owing.refundsDue).toEqual([
      { key: `${KEY}:refund`, amount: 10_000 },
      { key: `${KEY}:refund:10000`, amount: 1_000, chargeId: 'ch_3' },
    ]);
  });

  test('past what the last charge took, the rest stays one refund of that charge', () => {
    expect(oweRefund(record, 25_000).refundsDue).toEqual([
      { key: `${KEY}:refund`, amount: 25_000 },
    ]);
  });

  test('a record with no charge taken still owes what it owes, under the first refund key', () => {
    const pending: PaymentRecord = { ...record, status: 'pending', chargeId: null };
    expect(oweRefund(pending, 700).refundsDue).toEqual([{ key: `${KEY}:refund`, amount: 700 }]);
  });

  test('confirming refunds one at a time: the one named, then none listed at all', () => {
    const owing = oweRefund({ ...record, amount: 10_000, topUps: [topUp({})] }, 11_000);
    const [first, second] = dueRefunds(owing);
    const one = confirmRefund(owing, second?.key ?? '');
    expect(one).toMatchObject({ refunded: 1_000, refundDue: 10_000, refundsDue: [first] });
    const both = confirmRefund(one as PaymentRecord, first?.key ?? '');
    expect(both).toMatchObject({ refunded: 11_000, refundDue: 0 });
    expect(both && 'refundsDue' in both).toBe(false);
    expect(confirmRefund(owing, `${KEY}:refund:unknown`)).toBeNull();
  });

  test('the schema checks each listed refund and top-up', () => {
    const withTopUp = (t: unknown) => ({ ...record, topUps: [t] });
    for (const status of ['pending', 'charged', 'declined'] as const) {
      expect(paymentRecordSchema.safeParse(withTopUp(topUp({ status }))).success).toBe(true);
    }
    expect(
      paymentRecordSchema.safeParse(withTopUp(topUp({ status: 'lost' as never }))).success,
    ).toBe(false);
    expect(paymentRecordSchema.safeParse(withTopUp({ key: 'k' })).success).toBe(false);
    expect(paymentRecordSchema.safeParse({ ...record, refundsDue: [{ key: 'k' }] }).success).toBe(
      false,
    );
  });
});
