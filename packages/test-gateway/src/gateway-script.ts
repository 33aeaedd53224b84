/** What the next new charge does. */
export type ChargeOutcome =
  /** Charge and answer `approved`. */
  | 'approve'
  /** Answer `declined`; the decline is recorded, so a repeat of the key gets it again. */
  | 'decline'
  /** Throw `GatewayTimeoutError` without charging. */
  | 'timeout'
  /** Throw `SimulatedCrashError` without charging: the caller died before the request left. */
  | 'crash-before-charge'
  /** Charge, then throw `GatewayTimeoutError`: the answer was lost on the way back. */
  | 'timeout-after-charge'
  /** Charge, then throw `SimulatedCrashError`: the caller died before it heard back. */
  | 'crash-after-charge';

/** What the next new refund does. */
export type RefundOutcome =
  /** Refund and answer `refunded` (or `failed` when the refund is not possible). */
  | 'refund'
  /** Answer `failed` without refunding; nothing is recorded, so the key can be retried. */
  | 'fail'
  /** Throw `GatewayTimeoutError` without refunding. */
  | 'timeout'
  /** Refund, then throw `GatewayTimeoutError`. */
  | 'timeout-after-refund'
  /** Refund, then throw `SimulatedCrashError`. */
  | 'crash-after-refund';

/** What the next `findCharge` does. */
export type LookupOutcome =
  /** Answer truthfully from the gateway's records. */
  | 'answer'
  /** Throw `GatewayUnavailableError`. */
  | 'unavailable';

/** Chooses an outcome from the request, for scripts that depend on amount, key or reservation. */
export type OutcomeResponder<O, R> = (request: R) => O;

/**
 * The outcomes scripted for one kind of call: a FIFO queue first, then a responder
 * function if one is set, then the default.
 */
export class GatewayScript<O, R> {
  readonly #queue: O[] = [];
  #responder: OutcomeResponder<O, R> | null = null;
  readonly #fallback: O;

  constructor(fallback: O) {
    this.#fallback = fallback;
  }

  /** Appends outcomes to the queue, or sets the responder used once the queue is empty. */
  script(outcomes: (O | OutcomeResponder<O, R>)[]): void {
    for (const outcome of outcomes) {
      if (typeof outcome === 'function') this.#responder = outcome as OutcomeResponder<O, R>;
      else this.#queue.push(outcome);
    }
  }

  /** Takes the outcome for one call. */
  next(request: R): O {
    if (this.#queue.length > 0) return this.#queue.shift() as O;
    return this.#responder ? this.#responder(request) : this.#fallback;
  }

  /** Queued outcomes not used yet. */
  get pending(): number {
    return this.#queue.length;
  }
}
