import { type ErrorCode, isInnkeeperError } from '../errors.js';

/**
 * The logger the engine writes to: the `(fields, message)` shape pino, `console` and
 * most structured loggers accept (`logger.info({ hotelId }, 'innkeeper.book ok')`).
 * Without one, the engine logs nothing. The engine's calls write `LogFields`, the
 * maintenance worker `WorkerLogFields`.
 */
export interface InnkeeperLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * What one log line carries. Only these fields, picked by name from the call's input and
 * result, ever reach a logger: never the guest's name, e-mail, phone or notes, and never
 * an error's message (a driver's message can quote the values of a row).
 */
export interface LogFields {
  /** The public call, `innkeeper.book`. */
  operation: string;
  durationMs: number;
  outcome: 'ok' | ErrorCode | 'error';
  hotelId?: string;
  reservationId?: string;
  idempotencyKey?: string;
  /** The reservation's status after the call. */
  status?: string;
  /** For `STORAGE`: the port call that failed. For `PAYMENT_FAILED`: declined or unknown. */
  detail?: string;
  /** The name of a cause that is not ours (`GatewayDeadlineError`, a driver's error class). */
  cause?: string;
}

/** Outcomes that are part of normal business (a full hotel, a stale version): `info`. */
const EXPECTED: readonly ErrorCode[] = [
  'VALIDATION',
  'NOT_FOUND',
  'SOLD_OUT',
  'RESTRICTED',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_STATE',
  'CONFLICT',
  'ABORTED',
];

/**
 * `target` with every method call logged once it ends: `debug` when it succeeds, `info`
 * for an expected refusal, `warn` for a payment that failed, `error` for a storage
 * failure or anything unexpected. The log call itself never throws into the caller.
 */
export function logCalls<T extends object>(target: T, logger: InnkeeperLogger): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const known = wrapped.get(property);
      if (known) return known;
      const method = value as (...args: unknown[]) => unknown;
      const operation = `innkeeper.${property}`;
      const logged = function (this: unknown, ...args: unknown[]) {
        const started = performance.now();
        const done = (outcome: { value: unknown } | { error: unknown }) =>
          write(logger, fieldsOf(operation, started, args[0], outcome));
        let result: unknown;
        try {
          result = method.apply(object, args);
        } catch (error) {
          done({ error });
          throw error;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (value: unknown) => {
            done({ value });
            return value;
          },
          (error: unknown) => {
            done({ error });
            throw error;
          },
        );
      };
      wrapped.set(property, logged);
      return logged;
    },
  });
}

function fieldsOf(
  operation: string,
  started: number,
  input: unknown,
  outcome: { value: unknown } | { error: unknown },
): LogFields {
  const fields: LogFields = {
    operation,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    outcome: 'ok',
  };
  copyString(input, 'hotelId', fields);
  copyString(input, 'reservationId', fields);
  copyString(input, 'idempotencyKey', fields);
  if ('value' in outcome) {
    const value = outcome.value;
    // A reservation (it has a version): where the call left it.
    if (value && typeof value === 'object' && 'version' in value) {
      copyString(value, 'hotelId', fields);
      const id = (value as Record<string, unknown>).id;
      if (typeof id === 'string') fields.reservationId = id;
      copyString(value, 'status', fields);
    }
    return fields;
  }
  const error = outcome.error;
  if (!isInnkeeperError(error)) {
    fields.outcome = 'error';
    fields.cause = error instanceof Error ? error.name : typeof error;
    return fields;
  }
  fields.outcome = error.code;
  if (error.code === 'STORAGE') fields.detail = error.details.operation;
  if (error.code === 'PAYMENT_FAILED') fields.detail = error.details.outcome;
  if (error.cause instanceof Error && !isInnkeeperError(error.cause)) {
    fields.cause = error.cause.name;
  }
  return fields;
}

function copyString(
  from: unknown,
  key: 'hotelId' | 'reservationId' | 'idempotencyKey' | 'status',
  to: LogFields,
) {
  if (from && typeof from === 'object') {
    const value = (from as Record<string, unknown>)[key];
    if (typeof value === 'string') to[key] = value;
  }
}

function write(logger: InnkeeperLogger, fields: LogFields) {
  const message = `${fields.operation} ${fields.outcome}`;
  try {
    if (fields.outcome === 'ok') logger.debug(fields, message);
    else if (EXPECTED.includes(fields.outcome as ErrorCode)) logger.info(fields, message);
    else if (fields.outcome === 'PAYMENT_FAILED') logger.warn(fields, message);
    else logger.error(fields, message);
  } catch {
    // A broken logger must not break a booking.
  }
}
