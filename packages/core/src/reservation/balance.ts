import { z } from 'zod';
import { amountPaid, type PaymentRecord, type Settlement } from './payment-record.js';
import type { ReservationStatus } from './reservation.js';

/**
 * A reservation's running balance, in minor units: what the stay costs the guest now,
 * what moved through the gateway, and what is left. Recomputed with every change of the
 * reservation (`balanceOf`), so `getReservation` always shows where the money stands.
 */
export const balanceSchema = z.object({
  /**
   * What the guest owes the hotel in all: the stay's `total` plus the penalties kept
   * while it stands (shortenings, an early departure); only the penalties once cancelled
   * or a no-show; nothing for a hold released unsold.
   */
  price: z.number().int().nonnegative(),
  /** What the captured cancellation terms kept: cancellation, no-show, early departure, shortenings. */
  penalties: z.number().int().nonnegative(),
  /** What the gateway charged. */
  charged: z.number().int().nonnegative(),
  /** What the gateway confirmed giving back. */
  refunded: z.number().int().nonnegative(),
  /** Owed back and not yet confirmed by the gateway (retried by recovery). */
  refundDue: z.number().int().nonnegative(),
  /**
   * `price - (charged - refunded - refundDue)`: above zero the guest still owes it (a
   * stay paid at the hotel, or extended after paying), below zero the hotel does.
   */
  due: z.number().int(),
});
export type Balance = z.infer<typeof balanceSchema>;

/** The fields of a reservation its balance is computed from. */
export interface BalanceInputs {
  status: ReservationStatus;
  total: number;
  payment: PaymentRecord | null;
  settlement: Settlement | null;
  /** What shortenings of the stay kept under the captured terms. */
  modificationPenalties?: number | undefined;
}

export function balanceOf(r: BalanceInputs): Balance {
  const kept = r.modificationPenalties ?? 0;
  const settled = r.settlement?.penalty ?? 0;
  const penalties = kept + (r.status === 'expired' ? 0 : settled);
  let price: number;
  if (r.status === 'expired') price = 0;
  else if (r.status === 'cancelled' || r.status === 'no-show') price = penalties;
  else price = r.total + penalties;
  const charged = amountPaid(r.payment);
  const refunded = r.payment?.refunded ?? 0;
  const refundDue = r.payment?.refundDue ?? 0;
  return {
    price,
    penalties,
    charged,
    refunded,
    refundDue,
    due: price - (charged - refunded - refundDue),
  };
}
