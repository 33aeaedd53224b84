import { InnkeeperError, notFound, type UnavailableNight } from '../errors.js';
import type { BookingOutcome, ReservationOutcome } from '../port/store-outcomes.js';
import type { Reservation } from '../reservation/reservation.js';

/**
 * Stores answer expected results as tagged outcomes; the engine turns each one into the
 * reservation the caller asked for or the typed error that explains why not.
 */

export function conflict(entity: 'hotel' | 'roomType' | 'room', id: string, reason: string) {
  return new InnkeeperError('CONFLICT', `${reason}: ${id}`, { entity, id, reason });
}

export function unavailableError(nights: UnavailableNight[]) {
  const closed = nights.filter((n) => n.reason === 'stop-sell');
  if (closed.length > 0) {
    return new InnkeeperError(
      'RESTRICTED',
      `Closed to sale (stop-sell) on ${closed.map((n) => `${n.roomTypeId}@${n.date}`).join(', ')}`,
      {
        rule: 'stop-sell',
        date: closed[0]?.date ?? '',
        roomTypeId: closed[0]?.roomTypeId ?? '',
        nights: closed,
      },
    );
  }
  return new InnkeeperError(
    'SOLD_OUT',
    `Not enough rooms on ${nights.map((n) => `${n.roomTypeId}@${n.date} (${n.remaining} left)`).join(', ')}`,
    { nights },
  );
}

export function keyReused(idempotencyKey: string, reservationId: string) {
  return new InnkeeperError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency key "${idempotencyKey}" was already used for a different request`,
    { idempotencyKey, reservationId },
  );
}

export function unwrapBooking(outcome: BookingOutcome, idempotencyKey: string): Reservation {
  switch (outcome.kind) {
    case 'created':
    case 'replayed':
      return outcome.reservation;
    case 'key-reused':
      throw keyReused(idempotencyKey, outcome.reservation.id);
    case 'key-archived':
      // The engine answers this one from the archive before it gets here.
      throw keyReused(idempotencyKey, outcome.archived.reservationId);
    case 'unavailable':
      throw unavailableError(outcome.nights);
    case 'repriced':
      // The engine prices again on a fresh read before it gets here.
      throw new InnkeeperError(
        'CONFLICT',
        `The prices changed while booking "${idempotencyKey}"; try again`,
        { entity: 'price', id: idempotencyKey, reason: 'repriced' },
      );
  }
}

export function unwrapOutcome(
  outcome: ReservationOutcome,
  reservationId: string,
  action: string,
  expectedVersion?: number,
  /** Why the reservation's state refuses the action, when its status alone does not say. */
  explain?: (reservation: Reservation) => string | undefined,
): Reservation {
  switch (outcome.kind) {
    case 'applied':
    case 'unchanged':
      return outcome.reservation;
    case 'not-found':
      throw notFound('reservation', reservationId);
    case 'invalid-state': {
      const { status, holdExpiresAt } = outcome.reservation;
      const reason =
        explain?.(outcome.reservation) ??
        (status === 'held' && holdExpiresAt ? `hold expired at ${holdExpiresAt}` : undefined);
      const why = reason ? ` (${reason})` : '';
      throw new InnkeeperError(
        'INVALID_STATE',
        `Cannot ${action} reservation ${reservationId}: it is ${status}${why}`,
        {
          reservationId,
          status,
          action,
        },
      );
    }
    case 'conflict':
      throw new InnkeeperError(
        'CONFLICT',
        `Reservation ${reservationId} changed since it was read`,
        {
          entity: 'reservation',
          id: reservationId,
          reason: 'version mismatch',
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          actualVersion: outcome.reservation.version,
        },
      );
    case 'unavailable':
      throw unavailableError(outcome.nights);
    case 'external-ref-taken': {
      const { externalRef } = outcome;
      throw new InnkeeperError(
        'CONFLICT',
        `Cannot ${action} reservation ${reservationId}: reservation ${outcome.holderId} of its hotel already has the external reference "${externalRef}"`,
        {
          entity: 'reservation',
          id: reservationId,
          reason: 'external reference taken',
          externalRef,
          heldBy: outcome.holderId,
        },
      );
    }
    case 'room-taken': {
      const { roomId, nights, holderId } = outcome;
      throw new InnkeeperError(
        'CONFLICT',
        `Cannot ${action} reservation ${reservationId}: room ${roomId} is taken on ${nights.join(', ')} by reservation ${holderId}`,
        { entity: 'room', id: roomId, reason: 'room taken', dates: nights, heldBy: holderId },
      );
    }
    case 'room-unusable':
      throw new InnkeeperError(
        'CONFLICT',
        `Cannot ${action} reservation ${reservationId}: room ${outcome.roomId} changed meanwhile (another type, inactive or out of service)`,
        { entity: 'room', id: outcome.roomId, reason: 'room unusable' },
      );
  }
}
