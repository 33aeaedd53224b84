import {
  type GatewayMovement,
  type PaymentRecord,
  type Reservation,
  reconcilePayments,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { PAID, reservation } from './fixtures.js';

const paid = PAID;

function stay(id: string, payment: PaymentRecord | null, over: Partial<Reservation> = {}) {
  return reservation({ id, status: 'confirmed', payment, ...over });
}

const charge = (reservationId: string, amount: number, key: string): GatewayMovement => ({
  kind: 'charge',
  reservationId,
  amount,
  idempotencyKey: key,
});
const refund = (reservationId: string, amount: number, key: string): GatewayMovement => ({
  kind: 'refund',
  reservationId,
  amount,
  idempotencyKey: key,
});

describe('reconcilePayments', () => {
  test('a ledger that matches every balance is clean, and the totals add both sides up', () => {
    const refunded = stay(
      'r2',
      { ...paid, idempotencyKey: 'k2', refunded: 15_000 },
      {
        status: 'cancelled',
        settlement: { kind: 'cancellation', at: 'x', penalty: 5_000, refund: 15_000 },
      },
    );
    const atHotel = stay('r3', null);
    const report = reconcilePayments(
      [stay('r1', paid), refunded, atHotel],
      [
        charge('r1', 20_000, 'innkeeper:h1:key-1'),
        charge('r2', 20_000, 'k2'),
        refund('r2', 15_000, 'k2:refund'),
      ],
    );
    expect(report).toEqual({
      ok: true,
      reservationsChecked: 3,
      movementsChecked: 3,
      findings: [],
      totals: {
        // r1 and r3 cost their total (20 000 each), r2 only its penalty.
        price: 45_000,
        penalties: 5_000,
        charged: 40_000,
        gatewayCharged: 40_000,
        refunded: 15_000,
        gatewayRefunded: 15_000,
        refundDue: 0,
        // r3 is to be paid at the hotel.
        due: 20_000,
      },
    });
  });

  test('money the gateway took or gave back that a reservation does not record is a finding', () => {
    const report = reconcilePayments(
      [stay('r1', paid), stay('r2', null)],
      [
        charge('r1', 20_000, 'innkeeper:h1:key-1'),
        refund('r1', 5_000, 'innkeeper:h1:key-1:refund'),
        charge('r2', 9_000, 'lost'),
      ],
    );
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      { reservationId: 'r1', problem: 'refunded-differs', recorded: 0, gateway: 5_000 },
      { reservationId: 'r2', problem: 'charged-differs', recorded: 0, gateway: 9_000 },
    ]);
  });

  test('a charge the reservation records and the gateway never took is a finding', () => {
    const report = reconcilePayments([stay('r1', paid)], []);
    expect(report.findings).toEqual([
      { reservationId: 'r1', problem: 'charged-differs', recorded: 20_000, gateway: 0 },
    ]);
  });

  test('a top-up counts as charged once approved; while pending the reservation is unsettled', () => {
    const topUp = {
      key: 'innkeeper:h1:key-1:top-up:2',
      amount: 4_000,
      chargeId: 'ch_2',
      declineReason: null,
    };
    const approved = stay('r1', { ...paid, topUps: [{ ...topUp, status: 'charged' }] });
    const movements = [charge('r1', 20_000, 'innkeeper:h1:key-1'), charge('r1', 4_000, topUp.key)];
    expect(reconcilePayments([approved], movements).ok).toBe(true);

    const pending = stay('r1', {
      ...paid,
      topUps: [{ ...topUp, status: 'pending', chargeId: null }],
    });
    expect(reconcilePayments([pending], movements).findings).toEqual([
      { reservationId: 'r1', problem: 'unsettled' },
    ]);
  });

  test('a booking charge still pending is unsettled, whatever the gateway says', () => {
    const held = stay(
      'r1',
      { ...paid, status: 'pending', chargeId: null },
      {
        status: 'held',
      },
    );
    expect(reconcilePayments([held], [charge('r1', 20_000, 'k')]).findings).toEqual([
      { reservationId: 'r1', problem: 'unsettled' },
    ]);
  });

  test('a refund owed that the gateway already made is unsettled, not a difference', () => {
    const owed = stay('r1', { ...paid, refundDue: 6_000 });
    const made = [charge('r1', 20_000, 'a'), refund('r1', 6_000, 'a:refund')];
    expect(reconcilePayments([owed], made).findings).toEqual([
      { reservationId: 'r1', problem: 'unsettled' },
    ]);
    // Not made yet: nothing to report, the balance shows it as owed.
    expect(reconcilePayments([owed], made.slice(0, 1)).ok).toBe(true);
    // More than is owed went back: that is a difference.
    const tooMuch = [charge('r1', 20_000, 'a'), refund('r1', 7_000, 'a:refund')];
    expect(reconcilePayments([owed], tooMuch).findings).toEqual([
      { reservationId: 'r1', problem: 'refunded-differs', recorded: 0, gateway: 7_000 },
    ]);
  });

  test('refunds above what was charged, money for an unknown reservation, a key used twice', () => {
    const over = stay('r1', { ...paid, refunded: 15_000, refundDue: 6_000 });
    const report = reconcilePayments(
      [over],
      [
        charge('r1', 20_000, 'a'),
        refund('r1', 15_000, 'a:refund'),
        charge('ghost', 3_000, 'g'),
        refund('ghost', 1_000, 'g'),
      ],
    );
    expect(report.findings).toEqual([
      { reservationId: 'ghost', problem: 'duplicate-key', idempotencyKey: 'g' },
      { reservationId: 'r1', problem: 'refund-above-charge', recorded: 21_000, gateway: 20_000 },
      { reservationId: 'ghost', problem: 'unknown-reservation', gateway: 2_000 },
    ]);
    expect(report.totals.gatewayCharged).toBe(23_000);
    expect(report.totals.gatewayRefunded).toBe(16_000);
  });
});

describe('reconcilePayments: holds and refunds owed', () => {
  test('a hold with no charge yet is not unsettled, and refunds owed add up in the totals', () => {
    const hold = reservation({ id: 'h', status: 'held', payment: null });
    const owing = stay(
      'o',
      { ...paid, idempotencyKey: 'ko', refundDue: 4_000 },
      {
        status: 'cancelled',
        settlement: { kind: 'cancellation', at: 'x', penalty: 16_000, refund: 4_000 },
      },
    );
    const owingToo = stay(
      'p',
      { ...paid, idempotencyKey: 'kp', refundDue: 1_000 },
      {
        status: 'cancelled',
        settlement: { kind: 'cancellation', at: 'x', penalty: 19_000, refund: 1_000 },
      },
    );
    const report = reconcilePayments(
      [hold, owing, owingToo],
      [charge('o', 20_000, 'ko'), charge('p', 20_000, 'kp')],
    );
    expect(report.findings).toEqual([]);
    expect(report.totals.refundDue).toBe(5_000);
  });
});
