import type { PaymentGateway } from '../port/payments.js';
import type { AvailabilitySource, InnkeeperStore } from '../port/store.js';
import type { StayLimits } from '../stay/stay-rules.js';
import type { ArchiveOptions } from './archive-requests.js';
import type { InnkeeperLogger } from './call-logging.js';
import type { ChangeFeedOptions } from './change-feed.js';
import type { Clock } from './clock.js';
import type { FrontDeskOptions } from './front-desk-requests.js';
import type { PricingCacheOptions } from './pricing-cache.js';

/** What `createInnkeeper` takes: the store, and everything else optional. */
export interface InnkeeperOptions {
  store: InnkeeperStore;
  /** Source of "now"; defaults to the system clock. */
  clock?: Clock;
  /**
   * Generates ids for reservations (and hotels / room types created without one). Default:
   * `createTimeOrderedIds()`, UUIDv7-shaped ids in creation order, which keep a store's id
   * indexes appending instead of writing a random page per booking.
   */
  generateId?: () => string;
  limits?: Partial<StayLimits>;
  /**
   * Serves `search` (and only `search`) from somewhere other than the store, e.g. a
   * Redis availability cache. Defaults to the store.
   */
  availability?: AvailabilitySource;
  /**
   * Charges at booking time. Without one, `book` confirms at once and records no
   * payment (the guest pays at the hotel).
   */
  payments?: PaymentGateway;
  /**
   * How long a gateway charge may take, with margin (default 300 s). A pending charge
   * older than this is settled by asking the gateway (`recoverPendingPayments`, or a
   * retry of `book`), never by charging again; younger ones are left to their booking.
   */
  paymentGraceSeconds?: number;
  /**
   * How long one gateway call may take before the engine stops waiting (default 10,000
   * ms; at most the grace period). A call past it is an unknown outcome: `book` throws
   * `PAYMENT_FAILED` (`unknown`) and leaves the charge pending for recovery, a refund
   * stays owed. A gateway that hangs never hangs `book`.
   */
  paymentTimeoutMs?: number;
  /**
   * Arrival and departure: `earlyArrivalHours` (0 to 24, default 0) lets a guest be
   * checked in that many hours before the arrival date's local midnight;
   * `undoWindowMinutes` (default 30) is how long a check-in or check-out may be undone.
   */
  frontDesk?: FrontDeskOptions;
  /**
   * Where each public call is logged as it ends (`debug` on success, `info` for an
   * expected refusal such as `SOLD_OUT`, `warn` for `PAYMENT_FAILED`, `error` for
   * `STORAGE`), with structured fields and never the guest's personal data. Takes pino,
   * `console` or anything with `debug/info/warn/error(fields, message)`. Silent without.
   */
  logger?: InnkeeperLogger;
  /**
   * Spans and metrics through `@opentelemetry/api` when the application has installed it
   * and registered a provider (default true): a span per public call with child spans
   * around store and gateway calls, and the metrics listed in `docs/operations.md`.
   * `false` leaves the engine unwrapped. Without the package or a provider nothing is
   * recorded either way.
   */
  telemetry?: boolean;
  /**
   * Cold storage for finished reservations and past calendar rows (`archive()`,
   * docs/archive.md): the sink, how long a finished stay stays hot (default 90 days after
   * check-out), the lock that keeps archivers from overlapping. Without it `archive()`
   * is refused and archived reservations cannot be read.
   */
  archive?: ArchiveOptions;
  /**
   * How long the change feed keeps events (docs/concepts.md, the change feed): at least `retentionDays`
   * (default 7), and past that until every live cursor has read them; a cursor idle for
   * `abandonCursorsAfterDays` (default 30) stops holding them.
   */
  changeFeed?: ChangeFeedOptions;
  /**
   * What `book` and `hold` price from between calls (docs/concepts.md, pricing from a
   * cache): the hotels, room types, rate cards and calendar rates of stays read recently,
   * up to `maxRows` calendar nights (default 1,000,000), filled as bookings read and ahead
   * by `warmPricingCache`. A booking priced from it is one call
   * of the store; the store refuses it when a price changed since (its pricing revision),
   * and the engine prices again on a fresh read. `false`: read the stay on every booking.
   */
  pricingCache?: PricingCacheOptions;
}
