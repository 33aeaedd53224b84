import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { InnkeeperError, isInnkeeperError } from '../errors.js';
import { parse } from './engine-context.js';

/**
 * # Aborting a call
 *
 * Every public call takes `{ signal }` as its last argument. The signal is checked
 * before the call starts and follows it (through `AsyncLocalStorage`) into each store and
 * gateway call it makes: once aborted, the call stops waiting and rejects with `ABORTED`,
 * whose `mayHaveApplied` says what the caller needs to know.
 *
 * - `false`: nothing was written. The signal was aborted before the call started, before
 *   a write was sent, or during a read.
 * - `true`: a write (a store command, a gateway charge or refund) was in flight. It was
 *   not cancelled, only no longer awaited: it is atomic, so it either happened whole or not
 *   at all. Look the reservation up (or retry with the same idempotency key, which never
 *   books twice); a charge whose answer was lost is settled by a retry or by
 *   `recoverPendingPayments()`, never charged again.
 */
export const callOptionsSchema = z.strictObject({
  signal: z.instanceof(AbortSignal).optional(),
});
export type CallOptions = z.input<typeof callOptionsSchema>;

const active = new AsyncLocalStorage<AbortSignal>();

export function abortedError(
  operation: string,
  mayHaveApplied: boolean,
  cause: unknown,
): InnkeeperError<'ABORTED'> {
  return new InnkeeperError(
    'ABORTED',
    mayHaveApplied
      ? `Aborted during ${operation}: it was in flight and may have been applied`
      : `Aborted before ${operation}: nothing was applied`,
    { operation, mayHaveApplied },
    { cause },
  );
}

/**
 * Runs a public call with its options: without a signal, `run` as is; with one, refused
 * at once if already aborted, else run with the signal active for the store and gateway
 * calls. A payment whose gateway call was aborted (the flow's "unknown outcome") is
 * reported as `ABORTED` that may have been applied, with the payment error as its cause.
 */
export function withSignal<T>(
  operation: string,
  options: CallOptions | undefined,
  run: () => Promise<T>,
): Promise<T> {
  // Not `async` for the usual call, without options: that would wrap its promise in another.
  return options !== undefined ? withOptions(operation, options, run) : promiseOf(run);
}

/**
 * What `run` answers, always as a promise, as from an `async` function (a throw rejects,
 * a value resolves) but without wrapping a promise it returns in another one.
 */
export function promiseOf<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

async function withOptions<T>(
  operation: string,
  options: CallOptions,
  run: () => Promise<T>,
): Promise<T> {
  const { signal } = parse(callOptionsSchema, options);
  if (!signal) return run();
  if (signal.aborted) throw abortedError(operation, false, signal.reason);
  try {
    return await active.run(signal, run);
  } catch (error) {
    if (isInnkeeperError(error, 'PAYMENT_FAILED') && isInnkeeperError(error.cause, 'ABORTED')) {
      throw abortedError(error.cause.details.operation, true, error);
    }
    throw error;
  }
}

/**
 * A store or gateway call raced against the active call's signal (none: the call as is).
 * `writes`: whether the call may change something, for `mayHaveApplied`.
 */
export function raceSignal<T>(
  operation: string,
  writes: boolean,
  call: () => Promise<T>,
): Promise<T> {
  const signal = active.getStore();
  if (!signal) return call();
  if (signal.aborted) return Promise.reject(abortedError(operation, false, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(operation, writes, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    call().then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The engine with every public call run under its options (`withSignal`). A call's options
 * are its last declared parameter, so they are the argument at `method.length - 1` when
 * the caller passed that many: engine methods declare no parameter defaults (a default
 * would shorten `length`), which a test checks for every method.
 */
export function signalCalls<T extends object>(engine: T): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (property === 'constructor' || property === 'close') return value;
      const known = wrapped.get(property);
      if (known) return known;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      const optionsAt = method.length - 1;
      const signalled = (...args: unknown[]) =>
        withSignal(property, args[optionsAt] as CallOptions | undefined, () =>
          method.apply(object, args),
        );
      wrapped.set(property, signalled);
      return signalled;
    },
  });
}
