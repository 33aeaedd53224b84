/**
 * What the simulated clients saw. Every booking attempt ends in exactly one of
 * created / soldOut / declined / rejected / failed, so those five add up to `attempts`;
 * replays and cancellations are extra requests on top of the attempts.
 */
export interface DemoCounters {
  attempts: number;
  created: number;
  /** `SOLD_OUT`: not enough rooms left on some night, overbooking margin included. */
  soldOut: number;
  /** Payment declined (client-side today, `PAYMENT_FAILED` once the engine charges). */
  declined: number;
  /** Any other refusal by the engine (`VALIDATION`, `RESTRICTED`, ...): a demo bug if not 0. */
  rejected: number;
  /** `STORAGE` errors and anything unexpected. */
  failed: number;
  /** Requests sent again with an attempt's idempotency key. */
  replays: number;
  /** Replays that raced the original (sent before it answered). */
  racedReplays: number;
  /** Replays that returned the original's reservation id (or its same refusal). */
  replaysConsistent: number;
  /** Replays that answered differently from the original: must be 0. */
  replayMismatches: number;
  cancellations: number;
  cancelFailures: number;
  /** Room-nights of the reservations created (before cancellations). */
  roomNightsBooked: number;
}

export function emptyCounters(): DemoCounters {
  return {
    attempts: 0,
    created: 0,
    soldOut: 0,
    declined: 0,
    rejected: 0,
    failed: 0,
    replays: 0,
    racedReplays: 0,
    replaysConsistent: 0,
    replayMismatches: 0,
    cancellations: 0,
    cancelFailures: 0,
    roomNightsBooked: 0,
  };
}
