import { InnkeeperError } from '../errors.js';
import type { Reservation } from '../reservation/reservation.js';

// The PAYMENT_FAILED errors the payment flow throws: what the caller is told, with what
// happened to the reservation (`outcome`: declined, or unknown until settled).

export function topUpUnknown(reservation: Reservation, cause: unknown) {
  return new InnkeeperError(
    'PAYMENT_FAILED',
    `The payment gateway did not answer for the change of reservation ${reservation.id}; the change stands with its charge pending until a retry or recoverPendingPayments() settles it`,
    { reason: 'gateway unavailable', reservationId: reservation.id, outcome: 'unknown' },
    { cause },
  );
}

export function topUpDeclined(reservation: Reservation, reason: string) {
  const undone = reservation.history.at(-1)?.action === 'modified';
  return new InnkeeperError(
    'PAYMENT_FAILED',
    `Payment for the change of reservation ${reservation.id} declined: ${reason}; ${
      undone
        ? 'the change was undone'
        : `the nights it gave up were sold since, so it stands with ${reservation.balance?.due ?? 0} due`
    }`,
    { reason, reservationId: reservation.id, outcome: 'declined' },
  );
}

export function unknownOutcome(reservation: Reservation, cause: unknown) {
  return new InnkeeperError(
    'PAYMENT_FAILED',
    `The payment gateway did not answer for reservation ${reservation.id}; it stays held until a retry or recoverPendingPayments() settles it`,
    { reason: 'gateway unavailable', reservationId: reservation.id, outcome: 'unknown' },
    { cause },
  );
}

export function declined(reservation: Reservation, reason: string) {
  return new InnkeeperError(
    'PAYMENT_FAILED',
    `Payment declined for reservation ${reservation.id}: ${reason}; the rooms were released`,
    { reason, reservationId: reservation.id, outcome: 'declined' },
  );
}
