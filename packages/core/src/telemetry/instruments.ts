import type { Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import { type OpenTelemetry, SCOPE } from './open-telemetry.js';

/**
 * The library's metrics. Durations are in seconds (OpenTelemetry's convention); the
 * attributes are low-cardinality on purpose (operation, outcome, job; never a hotel or
 * reservation id: those belong on spans).
 *
 * | instrument                    | kind      | attributes                                                  |
 * | ----------------------------- | --------- | ----------------------------------------------------------- |
 * | `innkeeper.operation.duration`| histogram | `innkeeper.operation`, `innkeeper.outcome`                  |
 * | `innkeeper.bookings`          | counter   | `innkeeper.operation` (book, hold), `innkeeper.outcome`     |
 * | `innkeeper.store.duration`    | histogram | `innkeeper.store.call`, `innkeeper.outcome`                 |
 * | `innkeeper.store.retries`     | counter   | `innkeeper.store`, `innkeeper.store.call`, `innkeeper.retry.reason` |
 * | `innkeeper.gateway.duration`  | histogram | `innkeeper.gateway.call`, `innkeeper.outcome`               |
 * | `innkeeper.holds.expired`     | counter   |                                                             |
 * | `innkeeper.payments.recovered`| counter   | `innkeeper.result` (confirmed, released, refunded, ...)     |
 * | `innkeeper.worker.job.duration` | histogram | `innkeeper.worker.job`, `innkeeper.outcome`               |
 * | `innkeeper.worker.lag`        | histogram | `innkeeper.worker.job`                                      |
 */
export interface Instruments {
  operationDuration: Histogram;
  bookings: Counter;
  storeDuration: Histogram;
  storeRetries: Counter;
  gatewayDuration: Histogram;
  holdsExpired: Counter;
  paymentsRecovered: Counter;
  workerJobDuration: Histogram;
  workerLag: Histogram;
}

/** Buckets for call latencies, in seconds: 0.5 ms to 10 s. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
/** Buckets for how late a maintenance job handled its oldest item, in seconds: 1 s to 1 day. */
const LAG_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86_400];

/**
 * The instruments of the meter provider registered now. Unlike a tracer, a meter taken
 * before a provider is registered stays a no-op forever, so they are created again when
 * the global provider changes (in practice once: at the application's start).
 */
let cached: { provider: MeterProvider; instruments: Instruments; registered: boolean } | undefined;

export function instrumentsOf(api: OpenTelemetry): Instruments {
  return current(api).instruments;
}

/**
 * Whether a meter provider is registered: without one the API hands out its one no-op
 * meter (the same object `createNoopMeter()` returns).
 */
export function metricsRegistered(api: OpenTelemetry): boolean {
  return current(api).registered;
}

function current(api: OpenTelemetry) {
  const provider = api.metrics.getMeterProvider();
  if (cached?.provider === provider) return cached;
  const meter = provider.getMeter(SCOPE);
  const seconds = (name: string, description: string, buckets = LATENCY_BUCKETS) =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      advice: { explicitBucketBoundaries: buckets },
    });
  const instruments: Instruments = {
    operationDuration: seconds('innkeeper.operation.duration', 'Duration of a public engine call'),
    bookings: meter.createCounter('innkeeper.bookings', {
      description: 'Booking attempts (book and hold) by outcome: ok or the error code',
    }),
    storeDuration: seconds('innkeeper.store.duration', 'Duration of a store port call'),
    storeRetries: meter.createCounter('innkeeper.store.retries', {
      description: 'Store transactions run again after a transient failure',
    }),
    gatewayDuration: seconds('innkeeper.gateway.duration', 'Duration of a payment gateway call'),
    holdsExpired: meter.createCounter('innkeeper.holds.expired', {
      description: 'Holds released because their time ran out',
    }),
    paymentsRecovered: meter.createCounter('innkeeper.payments.recovered', {
      description: 'Pending payments settled by recovery, by what became of them',
    }),
    workerJobDuration: seconds(
      'innkeeper.worker.job.duration',
      'Duration of one run of a maintenance job',
      [...LATENCY_BUCKETS, 30, 60, 300],
    ),
    workerLag: seconds(
      'innkeeper.worker.lag',
      'How long past due the oldest item a job run handled was',
      LAG_BUCKETS,
    ),
  };
  cached = { provider, instruments, registered: meter !== api.createNoopMeter() };
  return cached;
}
