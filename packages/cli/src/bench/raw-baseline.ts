import type { PlannedBooking } from './planned-booking.js';

/**
 * A raw baseline books a target the way hand-written code against the same database
 * would: only what any correct booking needs (the guarded capacity update for every
 * night, all or nothing, and the reservation record), with no idempotency, audit trail
 * or change feed. The store's rate divided by this one is the bench's ratio.
 */
export interface RawBaseline {
  /** Writes the planned reservation (the engine's record for the target) and its claims. */
  book(plan: PlannedBooking): Promise<void>;
  close(): Promise<void>;
}
