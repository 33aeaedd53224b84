/**
 * What the test gateway throws. A payment engine must treat every throw from a gateway
 * as "unknown outcome", so these classes exist for your assertions and your logs, not
 * for the engine to branch on.
 */

/** The gateway did not answer in time; whether money moved depends on the scripted outcome. */
export class GatewayTimeoutError extends Error {
  override readonly name = 'GatewayTimeoutError';
}

/**
 * Models the calling process dying right after the gateway took the money: the charge
 * (or refund) is recorded, and the caller only ever sees this throw.
 */
export class SimulatedCrashError extends Error {
  override readonly name = 'SimulatedCrashError';
}

/** `findCharge` could not reach the gateway (scripted `'unavailable'`). */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

/**
 * The caller broke the gateway contract: an amount that is not a positive integer, or an
 * idempotency key reused with a different request. A real processor rejects these too
 * (Stripe answers 400); here they point at a bug in the code under test.
 */
export class GatewayMisuseError extends Error {
  override readonly name = 'GatewayMisuseError';
}
