/**
 * What the simulated clients saw. Every booking attempt ends in exactly one of
 * created / soldOut / declined / rejected / failed / abandoned / paymentUnknown, so those
 * add up to `attempts`; replays and cancellations are extra requests on top of the attempts.
 */
export interface DemoCounters {
  attempts: number;
  created: number;
  /** `SOLD_OUT`: not enough rooms left on some night, overbooking margin included. */
  soldOut: number;
  /** Payment declined: `PAYMENT_FAILED` from `book` (the hold was released). */
  declined: number;
  /** Any other refusal by the engine (`VALIDATION`, `RESTRICTED`, ...): a demo bug if not 0. */
  rejected: number;
  /** `STORAGE` errors and anything unexpected. */
  failed: number;
  /** Holds made and never confirmed (the guest left at the payment page). */
  abandoned: number;
  /**
   * `PAYMENT_FAILED` with outcome `unknown` (the gateway's answer was lost): the hold
   * waits for the worker's recovery; `settled` says what became of them.
   */
  paymentUnknown: number;
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
  /** Reservations created on the flexible and on the saver plan. */
  flexBookings: number;
  saverBookings: number;
}

/**
 * The money, summed from the reservations `book` and `cancel` returned (their `payment`
 * and `settlement`), minor units (EUR cents). Each reservation is counted once: by the
 * attempt that created it, and by the cancellation that settled it.
 */
export interface DemoMoney {
  /** Σ payment.amount of the reservations charged (status `charged`). */
  charged: number;
  /** Of `charged`: room charges and taxes (VAT, city tax). */
  roomCharge: number;
  taxes: number;
  /** Σ settlement.penalty of the cancellations. */
  penalties: number;
  /** Σ payment.refunded: what the gateway confirmed giving back. */
  refunded: number;
  /** Σ payment.refundDue: owed back, not yet confirmed (must be 0 with the demo gateway). */
  refundDue: number;
  /** Cancellations that cost the guest nothing / some or all of what was paid. */
  freeCancellations: number;
  penalisedCancellations: number;
  /** Reservations whose refunds (confirmed + due) exceed what was charged: must be 0. */
  refundsOverCharge: number;
}

export function emptyMoney(): DemoMoney {
  return {
    charged: 0,
    roomCharge: 0,
    taxes: 0,
    penalties: 0,
    refunded: 0,
    refundDue: 0,
    freeCancellations: 0,
    penalisedCancellations: 0,
    refundsOverCharge: 0,
  };
}

export function emptyCounters(): DemoCounters {
  return {
    attempts: 0,
    created: 0,
    soldOut: 0,
    declined: 0,
    rejected: 0,
    failed: 0,
    abandoned: 0,
    paymentUnknown: 0,
    replays: 0,
    racedReplays: 0,
    replaysConsistent: 0,
    replayMismatches: 0,
    cancellations: 0,
    cancelFailures: 0,
    roomNightsBooked: 0,
    flexBookings: 0,
    saverBookings: 0,
  };
}

/** What the maintenance worker did during the booking day, summed from its log lines. */
export interface WorkerTally {
  runs: number;
  failedRuns: number;
  holdsExpired: number;
  paymentsConfirmed: number;
  paymentsReleased: number;
  /** Of the abandoned holds: expired by the end of the day (must be all of them). */
  abandonedExpired: number;
  /** Of the lost answers: confirmed (the money was taken) or released, or still pending. */
  unknownConfirmed: number;
  unknownReleased: number;
  unknownPending: number;
}

export function emptyWorkerTally(): WorkerTally {
  return {
    runs: 0,
    failedRuns: 0,
    holdsExpired: 0,
    paymentsConfirmed: 0,
    paymentsReleased: 0,
    abandonedExpired: 0,
    unknownConfirmed: 0,
    unknownReleased: 0,
    unknownPending: 0,
  };
}
