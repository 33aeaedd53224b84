import { InnkeeperError, notFound } from '../errors.js';
import {
  type Correction,
  decideCorrection,
  lineGuestsIssue,
} from '../reservation/correction-decisions.js';
import type { Reservation } from '../reservation/reservation.js';
import {
  type UpdateGuestInput,
  type UpdateReservationDetailsInput,
  updateGuestInputSchema,
  updateReservationDetailsInputSchema,
} from './correction-requests.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { unwrapOutcome } from './outcome-errors.js';

/**
 * Corrections: the guest's name, e-mail and phone, and the reservation's details
 * (notes, requests, arrival time, channel, external reference, the names on each line).
 * Each is one `decideCorrection` run by the store's `changeReservation`; the store keeps
 * its e-mail and external-reference indexes right and refuses an external reference
 * another reservation of the hotel holds.
 */
export class ReservationCorrections {
  constructor(private readonly context: EngineContext) {}

  async updateGuest(input: UpdateGuestInput): Promise<Reservation> {
    const { reservationId, expectedVersion, reason, by, ...guest } = parse(
      updateGuestInputSchema,
      input,
    );
    return this.correct(
      reservationId,
      { guest, expectedVersion, reason, by },
      'correct the guest of',
    );
  }

  async updateDetails(input: UpdateReservationDetailsInput): Promise<Reservation> {
    const { reservationId, expectedVersion, reason, by, ...details } = parse(
      updateReservationDetailsInputSchema,
      input,
    );
    if (details.lineGuests) {
      // Checked on the reservation as read: its lines only change by `modify`, which
      // drops the names of lines it removes, so a line's names never outgrow it.
      const current = await this.context.store.getReservation(reservationId);
      if (!current) throw notFound('reservation', reservationId);
      const issue = lineGuestsIssue(current.lines, details.lineGuests);
      if (issue) {
        throw new InnkeeperError('VALIDATION', `Invalid lineGuests: ${issue.message}`, {
          issues: [issue],
        });
      }
    }
    return this.correct(
      reservationId,
      { details, expectedVersion, reason, by },
      'correct the details of',
    );
  }

  private async correct(
    reservationId: string,
    correction: Correction,
    action: string,
  ): Promise<Reservation> {
    const at = nowIso(this.context);
    const outcome = await this.context.store.changeReservation(reservationId, (r) =>
      decideCorrection(r, correction, at),
    );
    return unwrapOutcome(outcome, reservationId, action, correction.expectedVersion);
  }
}
