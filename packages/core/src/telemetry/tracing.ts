import type { Attributes, Span } from '@opentelemetry/api';
import { daysBetween } from '../calendar/calendar-date.js';
import { type ErrorCode, isInnkeeperError } from '../errors.js';
import { instrumentsOf, metricsRegistered } from './instruments.js';
import {
  loadOpenTelemetry,
  type OpenTelemetry,
  openTelemetryIfLoaded,
  SCOPE,
} from './open-telemetry.js';

/**
 * # Spans and metrics around every call
 *
 * A public engine call runs in a span `innkeeper.<call>`; the store port calls and the
 * payment gateway calls it makes run in child spans (`innkeeper.store.<call>`,
 * `innkeeper.gateway.<call>`), and the drivers' own spans (pg, ioredis instrumentation)
 * nest under those. Attributes are identifiers and counts only, like the logs: never a
 * guest's name, e-mail, phone or note, and never an error's message (a driver's message
 * can quote a row's values), so an exception is recorded by its error code alone.
 *
 * Without `@opentelemetry/api` installed a call goes straight through; without a
 * registered provider the API's no-op tracer and meter cost a few hundred nanoseconds.
 */

/** `ok`, an `InnkeeperError` code, or `error` for anything else. */
export type Outcome = 'ok' | ErrorCode | 'error';

export function outcomeOf(error: unknown): Outcome {
  return isInnkeeperError(error) ? error.code : 'error';
}

/** Outcomes that are a failure of the system rather than a refusal by the rules. */
const FAILURES: readonly Outcome[] = ['STORAGE', 'error'];

/**
 * Runs `run` in a span named `name` (made the active one, so spans opened inside nest
 * under it); `end` sees how it ended, for the metrics. Sync throws and rejections both
 * end the span with the outcome and pass through unchanged.
 */
function inSpan<T>(
  api: OpenTelemetry,
  name: string,
  kind: 'internal' | 'client',
  attributes: () => Attributes,
  run: () => Promise<T>,
  end: (outcome: Outcome, seconds: number, value: T | undefined, span: Span) => void,
): Promise<T> {
  const tracer = api.trace.getTracer(SCOPE);
  const spanKind = kind === 'client' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL;
  return tracer.startActiveSpan(name, { kind: spanKind }, async (span) => {
    const started = performance.now();
    if (span.isRecording()) span.setAttributes(attributes());
    const finish = (outcome: Outcome, value: T | undefined) => {
      const seconds = (performance.now() - started) / 1000;
      try {
        end(outcome, seconds, value, span);
        if (span.isRecording() && outcome !== 'ok') {
          span.setAttributes({ 'innkeeper.outcome': outcome, 'error.type': outcome });
          if (FAILURES.includes(outcome)) {
            span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome });
          }
        } else if (span.isRecording()) {
          span.setAttribute('innkeeper.outcome', outcome);
        }
      } finally {
        span.end();
      }
    };
    try {
      const value = await run();
      finish('ok', value);
      return value;
    } catch (error) {
      finish(outcomeOf(error), undefined);
      throw error;
    }
  });
}

/**
 * Wraps each method of `target` named by `shouldTrace`: the call runs through `traced`
 * once the API is loaded (the first calls wait for the load), straight through when the
 * package is missing. A method that does not return a promise is never traced.
 */
function wrapMethods<T extends object>(
  target: T,
  shouldTrace: (name: string) => boolean,
  traced: (
    api: OpenTelemetry,
    name: string,
    args: unknown[],
    run: () => Promise<unknown>,
  ) => Promise<unknown>,
): T {
  void loadOpenTelemetry();
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (!shouldTrace(property)) return value;
      const known = wrapped.get(property);
      if (known) return known;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      const call = (api: OpenTelemetry | null, args: unknown[]): Promise<unknown> =>
        api === null || !recording(api)
          ? method.apply(object, args)
          : traced(api, property, args, () => method.apply(object, args));
      const wrapper = (...args: unknown[]) => {
        const api = openTelemetryIfLoaded();
        return api === undefined
          ? loadOpenTelemetry().then((loaded) => call(loaded, args))
          : call(api, args);
      };
      wrapped.set(property, wrapper);
      return wrapper;
    },
  });
}

/**
 * Whether anything would record a span or a metric: a tracer provider or a meter provider
 * registered. Without either a call goes straight through (no no-op span, no clock read).
 * An unregistered global tracer provider delegates to the API's one no-op provider, the
 * delegate of any fresh `ProxyTracerProvider`.
 */
function recording(api: OpenTelemetry): boolean {
  const provider = api.trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = provider.getDelegate?.();
  noopTracerProvider ??= new api.ProxyTracerProvider().getDelegate();
  return delegate !== noopTracerProvider || metricsRegistered(api);
}
let noopTracerProvider: unknown;

/** The engine's methods that are not calls to trace. */
const NOT_TRACED = new Set(['constructor', 'close']);

/**
 * The engine with each public call in a span `innkeeper.<call>` and timed in
 * `innkeeper.operation.duration`; bookings, expired holds and recovered payments counted.
 */
export function traceEngineCalls<T extends object>(engine: T): T {
  return wrapMethods(
    engine,
    (name) => !NOT_TRACED.has(name),
    (api, name, args, run) => {
      const operation = `innkeeper.${name}`;
      return inSpan(
        api,
        operation,
        'internal',
        () => requestAttributes(args[0]),
        run,
        (outcome, seconds, value, span) => {
          const metrics = instrumentsOf(api);
          metrics.operationDuration.record(seconds, {
            'innkeeper.operation': operation,
            'innkeeper.outcome': outcome,
          });
          if (name === 'book' || name === 'hold') {
            metrics.bookings.add(1, {
              'innkeeper.operation': operation,
              'innkeeper.outcome': outcome,
            });
          }
          if (name === 'expireHolds' && Array.isArray(value)) {
            metrics.holdsExpired.add(value.length);
          }
          if (name === 'recoverPendingPayments' && value && typeof value === 'object') {
            for (const [result, items] of Object.entries(value)) {
              if (Array.isArray(items) && items.length > 0) {
                metrics.paymentsRecovered.add(items.length, { 'innkeeper.result': result });
              }
            }
          }
          if (span.isRecording() && value !== undefined)
            span.setAttributes(resultAttributes(value));
        },
      );
    },
  );
}

/**
 * A dependency of the engine (the store, an availability cache, the payment gateway) with
 * each call in a child span `innkeeper.<kind>.<call>`, timed in `innkeeper.store.duration`
 * (a cache read as `cache.readStay`) or `innkeeper.gateway.duration`.
 */
export function traceDependencyCalls<T extends object>(
  target: T,
  kind: 'store' | 'cache' | 'gateway',
  calls: readonly string[],
): T {
  const names = new Set(calls);
  return wrapMethods(
    target,
    (name) => names.has(name),
    (api, name, _args, run) =>
      inSpan(
        api,
        `innkeeper.${kind}.${name}`,
        kind === 'gateway' ? 'client' : 'internal',
        () => ({ [`innkeeper.${kind}.call`]: name }),
        run,
        (outcome, seconds) => {
          const metrics = instrumentsOf(api);
          if (kind === 'gateway') {
            metrics.gatewayDuration.record(seconds, {
              'innkeeper.gateway.call': name,
              'innkeeper.outcome': outcome,
            });
          } else {
            // A cache read is timed with the store's, as a read of `innkeeper.cache`.
            metrics.storeDuration.record(seconds, {
              'innkeeper.store.call': kind === 'cache' ? `cache.${name}` : name,
              'innkeeper.outcome': outcome,
            });
          }
        },
      ),
  );
}

/** A span around one run of a maintenance job, timed in `innkeeper.worker.job.duration`. */
export function traceJobRun<T>(job: string, run: () => Promise<T>): Promise<T> {
  const api = openTelemetryIfLoaded();
  if (!api || !recording(api)) return run();
  return inSpan(
    api,
    `innkeeper.worker.${job}`,
    'internal',
    () => ({ 'innkeeper.worker.job': job }),
    run,
    (outcome, seconds) => {
      instrumentsOf(api).workerJobDuration.record(seconds, {
        'innkeeper.worker.job': job,
        'innkeeper.outcome': outcome,
      });
    },
  );
}

/** How late a job handled the oldest item of its run (seconds past due). */
export function recordJobLag(job: string, seconds: number): void {
  const api = openTelemetryIfLoaded();
  if (!api) return;
  instrumentsOf(api).workerLag.record(Math.max(0, seconds), { 'innkeeper.worker.job': job });
}

/**
 * For store adapters: a transaction run again after a transient failure (a serialization
 * failure, a deadlock, a busy database). Counted in `innkeeper.store.retries` and added as
 * an event to the active span (the store call's).
 */
export function recordStoreRetry(store: string, call: string, reason: string): void {
  const api = openTelemetryIfLoaded();
  if (!api) return;
  const attributes = {
    'innkeeper.store': store,
    'innkeeper.store.call': call,
    'innkeeper.retry.reason': reason,
  };
  instrumentsOf(api).storeRetries.add(1, attributes);
  api.trace.getActiveSpan()?.addEvent('innkeeper.store.retry', attributes);
}

function field(from: unknown, key: string): unknown {
  return from && typeof from === 'object' ? (from as Record<string, unknown>)[key] : undefined;
}

/** What a call's input says about its target: ids, nights and rooms. */
function requestAttributes(input: unknown): Attributes {
  const attributes: Attributes = {};
  const hotelId = field(input, 'hotelId');
  if (typeof hotelId === 'string') attributes['innkeeper.hotel.id'] = hotelId;
  const reservationId = field(input, 'reservationId');
  if (typeof reservationId === 'string') attributes['innkeeper.reservation.id'] = reservationId;
  Object.assign(attributes, stayAttributes(input));
  return attributes;
}

/** Where a call left a reservation (anything with a version is one). */
function resultAttributes(value: unknown): Attributes {
  if (field(value, 'version') === undefined) return {};
  const attributes: Attributes = {};
  for (const [key, name] of [
    ['id', 'innkeeper.reservation.id'],
    ['hotelId', 'innkeeper.hotel.id'],
    ['status', 'innkeeper.reservation.status'],
  ] as const) {
    const v = field(value, key);
    if (typeof v === 'string') attributes[name] = v;
  }
  return { ...attributes, ...stayAttributes(value) };
}

function stayAttributes(from: unknown): Attributes {
  const attributes: Attributes = {};
  const checkIn = field(from, 'checkIn');
  const checkOut = field(from, 'checkOut');
  if (typeof checkIn === 'string' && typeof checkOut === 'string') {
    try {
      attributes['innkeeper.stay.nights'] = daysBetween(checkIn, checkOut);
    } catch {
      // An invalid date is the validation's to report, not the span's.
    }
  }
  const lines = field(from, 'lines');
  if (Array.isArray(lines)) {
    let rooms = 0;
    for (const line of lines) {
      const n = field(line, 'rooms');
      rooms += typeof n === 'number' ? n : 1;
    }
    attributes['innkeeper.stay.rooms'] = rooms;
  }
  return attributes;
}
