import type { PaymentGateway } from '../port/payments.js';
import { raceSignal } from './call-signal.js';

/**
 * A gateway call that did not answer within the engine's deadline. The engine treats it
 * like any call that did not answer: the outcome is unknown (the money may have moved),
 * so a charge stays pending and `recoverPendingPayments` settles it by asking the
 * gateway, and a refund stays owed and is retried.
 */
export class GatewayDeadlineError extends Error {
  override readonly name = 'GatewayDeadlineError';
  constructor(
    readonly operation: keyof PaymentGateway,
    readonly deadlineMs: number,
  ) {
    super(`The payment gateway's ${operation} did not answer within ${deadlineMs} ms`);
  }
}

/**
 * `gateway` with every call bounded by `deadlineMs` of wall-clock time (not the engine's
 * clock: a deadline is about real waiting). A late answer is ignored; since every call
 * carries an idempotency key, settling it later by lookup or retry cannot move money twice.
 */
export function withDeadline(gateway: PaymentGateway, deadlineMs: number): PaymentGateway {
  const bounded =
    <A, R>(operation: keyof PaymentGateway, call: (arg: A) => Promise<R>) =>
    (arg: A): Promise<R> =>
      // Raced against the caller's `signal` too: a charge or refund aborted in flight may
      // have moved money (the flow settles it like any unanswered call).
      raceSignal(`gateway.${operation}`, operation !== 'findCharge', () =>
        deadline(operation, arg, call),
      );
  const deadline = <A, R>(operation: keyof PaymentGateway, arg: A, call: (arg: A) => Promise<R>) =>
    new Promise<R>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new GatewayDeadlineError(operation, deadlineMs)),
        deadlineMs,
      );
      // A pending deadline never keeps a process alive on its own.
      timer.unref?.();
      call(arg).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  return {
    charge: bounded('charge', (request) => gateway.charge(request)),
    refund: bounded('refund', (request) => gateway.refund(request)),
    findCharge: bounded('findCharge', (key: string) => gateway.findCharge(key)),
  };
}
