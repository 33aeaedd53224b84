import type { CatalogEventType, InnkeeperEventType, ReservationStatus } from '@innkeeper/core';

/**
 * The reservation's state table (docs/concepts.md, "Reservation history and versions"),
 * written out again here rather than taken from the core: the model judges the store's
 * change feed against the documented table, so a rule the core got wrong is caught too.
 *
 * Each event of the feed is one move; `from` lists the statuses it may leave, `to` the
 * status it leads to (`same`: the status does not change). Only the moves marked
 * `linesMayChange` may change the nights a reservation claims.
 */
export interface Move {
  from: readonly ReservationStatus[];
  to: ReservationStatus | 'same';
  linesMayChange?: true;
}

const EVERY_STATUS: readonly ReservationStatus[] = [
  'held',
  'confirmed',
  'checked-in',
  'checked-out',
  'cancelled',
  'expired',
  'no-show',
];

export type ReservationMove = Exclude<
  InnkeeperEventType,
  'reservation.created' | 'inventory.changed' | CatalogEventType
>;

export const MOVES: Readonly<Record<ReservationMove, Move>> = {
  'reservation.confirmed': { from: ['held'], to: 'confirmed' },
  'reservation.cancelled': { from: ['held', 'confirmed'], to: 'cancelled' },
  'reservation.expired': { from: ['held'], to: 'expired' },
  /** A hold whose payment failed is released unsold. */
  'reservation.released': { from: ['held'], to: 'expired' },
  'reservation.no-show': { from: ['confirmed'], to: 'no-show' },
  /** A change of the stay; also the undo of a change whose top-up was declined. */
  'reservation.modified': {
    from: ['held', 'confirmed', 'checked-in'],
    to: 'same',
    linesMayChange: true,
  },
  /**
   * Money recorded: a charge started or answered, a top-up answered, a refund confirmed
   * (also on a stay cancelled, a no-show, a guest gone, or a released hold whose charge
   * landed late).
   */
  'reservation.payment': { from: EVERY_STATUS, to: 'same' },
  'reservation.checked-in': { from: ['confirmed'], to: 'checked-in' },
  /** An early departure gives back the nights after today. */
  'reservation.checked-out': { from: ['checked-in'], to: 'checked-out', linesMayChange: true },
  'reservation.check-in-undone': { from: ['checked-in'], to: 'confirmed' },
  /** After an early departure the stay as booked comes back. */
  'reservation.check-out-undone': {
    from: ['checked-out'],
    to: 'checked-in',
    linesMayChange: true,
  },
  /** Guest details and notes: any status, never the stay. */
  'reservation.corrected': { from: EVERY_STATUS, to: 'same' },
  /** Rooms given, moved or taken back: a stay that holds its nights, never the stay itself. */
  'reservation.rooms-changed': { from: ['held', 'confirmed', 'checked-in'], to: 'same' },
  /** The guest's personal data erased: any status, never the stay. */
  'reservation.erased': { from: EVERY_STATUS, to: 'same' },
};

/** Statuses whose nights went back on sale: nothing is left to release. */
export const RELEASED_STATUSES: readonly ReservationStatus[] = ['cancelled', 'expired', 'no-show'];

export function isMove(type: InnkeeperEventType): type is ReservationMove {
  return type in MOVES;
}
