import { z } from 'zod';

/**
 * The cancellation terms captured on a reservation when it is booked: the windows of
 * its policy turned into instants (from the hotel's check-in time in its time zone) and
 * amounts (from the prices just charged). Later edits to the policy or the card never
 * change them, and judging a cancellation needs no time zone and no price: only the
 * instant it happens.
 */
export const penaltyWindowSchema = z.object({
  /** From this instant (ISO 8601, UTC) on, cancelling costs `penalty`. */
  from: z.string(),
  penalty: z.number().int().nonnegative(),
});
export type PenaltyWindow = z.infer<typeof penaltyWindowSchema>;

export const cancellationTermsSchema = z.object({
  /** Check-in at the hotel, as an instant. */
  checkInAt: z.string(),
  /**
   * Cancelling before this instant is free (the first window's start; the booking
   * instant for a non-refundable rate); `null` when cancelling is always free.
   */
  freeUntil: z.string().nullable(),
  /** Ascending by `from`, penalties non-decreasing. */
  windows: z.array(penaltyWindowSchema),
  noShowFee: z.number().int().nonnegative(),
});
export type CancellationTerms = z.infer<typeof cancellationTermsSchema>;

/** What cancelling at `at` costs under `terms`: the penalty of the last window begun. */
export function penaltyAt(terms: CancellationTerms, at: string): number {
  let penalty = 0;
  for (const window of terms.windows) {
    if (window.from <= at) penalty = Math.max(penalty, window.penalty);
  }
  return penalty;
}

/** Terms with no penalty at all (no policy on the rate plan). */
export function freeCancellation(checkInAt: string): CancellationTerms {
  return { checkInAt, freeUntil: null, windows: [], noShowFee: 0 };
}
