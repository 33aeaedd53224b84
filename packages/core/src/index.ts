/**
 * `@innkeeper/core`: what an application needs. The engine (`createInnkeeper`), clocks,
 * errors, the input schemas and types, the domain's types and schemas, and the port's
 * interface types (to pass a store, a cache or a payment gateway). What a store author
 * needs besides (the `decide*` rules, the store helpers, the outcome types) is in
 * `@innkeeper/core/store`.
 */

// The domain
export * from './archive/archive-records.js';
export * from './archive/archive-rules.js';
export type { ArchiveSink } from './archive/archive-sink.js';
export { ARCHIVE_MANIFEST, createFileArchiveSink } from './archive/file-archive-sink.js';
export * from './archive/key-retention.js';
export { createMemoryArchiveSink } from './archive/memory-archive-sink.js';
export * from './calendar/calendar-date.js';
export { type CalendarDay, calendarDaySchema } from './calendar/calendar-day.js';
export {
  DEFAULT_OVERBOOKING_PERCENT,
  MAX_OVERBOOKING_PERCENT,
  overbookingPercentSchema,
} from './calendar/overbooking.js';
export * from './catalog/catalog-profile.js';
export {
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  type HotelProfile,
  type RoomTypeProfile,
} from './catalog/catalog-rows.js';
export * from './catalog/hotel.js';
export {
  boxAround,
  cityKey,
  distanceKm,
  type GeoBox,
  type HotelFilter,
  isInBox,
} from './catalog/hotel-location.js';
export * from './catalog/ids.js';
export * from './catalog/room-type.js';
export * from './catalog/text.js';
export { createTimeOrderedIds } from './catalog/time-ordered-ids.js';
export * from './engine/archive-requests.js';
export * from './engine/call-arguments.js';
export type { InnkeeperLogger, LogFields } from './engine/call-logging.js';
export type { HotelPage } from './engine/catalog.js';
export {
  changeFeedOptionsSchema,
  DEFAULT_ABANDON_CURSOR_DAYS,
  DEFAULT_FEED_RETENTION_DAYS,
  type SaveFeedCursorInput,
  saveFeedCursorInputSchema,
} from './engine/change-feed.js';
export * from './engine/clock.js';
export * from './engine/correction-requests.js';
export * from './engine/front-desk-requests.js';
export { GatewayDeadlineError } from './engine/gateway-deadline.js';
export { eraseGuestInputSchema } from './engine/guest-erasure.js';
export { type HotelSearchResult, MAX_SEARCH_CANDIDATES } from './engine/hotel-search.js';
export * from './engine/hotel-search-requests.js';
export type {
  ArchivedPage,
  ArchiveOptions,
  ArchiveRun,
  ChangeFeedOptions,
  EraseGuestInput,
  FeedPruneRun,
  GuestErasureReport,
  InnkeeperOptions,
  PaymentRecoveryReport,
  PricingCacheOptions,
  PricingCacheWarmUp,
  Quote,
  ReservationPage,
  RoomAssignmentRun,
  RoomCalendarNight,
  SearchResult,
} from './engine/innkeeper.js';
// The engine
export { createInnkeeper, Innkeeper } from './engine/innkeeper.js';
export {
  type WarmPricingCacheInput,
  warmPricingCacheInputSchema,
} from './engine/pricing-cache-warming.js';
export * from './engine/requests.js';
export * from './engine/room-requests.js';
// Errors
export {
  type AnyInnkeeperError,
  type ErrorCode,
  type ErrorDetails,
  InnkeeperError,
  isInnkeeperError,
  type UnavailableNight,
  type ValidationIssue,
} from './errors.js';
// The port's interfaces, to pass a store, an availability cache or a payment gateway
export type { AuditFinding, AuditReport } from './port/audit.js';
export {
  CATALOG_EVENT_TYPES,
  type CatalogEventType,
  type InnkeeperEvent,
  type InnkeeperEventType,
  isCatalogEvent,
} from './port/events.js';
export type * from './port/payments.js';
export type {
  AvailabilitySource,
  AvailabilityView,
  InnkeeperStore,
  StayQuery,
  StaysQuery,
  StayView,
} from './port/store.js';
export type {
  FeedCursor,
  HotelListQuery,
  ReservationFilter,
  ReservationQuery,
} from './port/store-arguments.js';
export type { StorePortVersion } from './port/store-port-version.js';
export * from './rate-card/rate-card.js';
export * from './reservation/balance.js';
export * from './reservation/cancellation-terms.js';
export {
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  ERASED_GUEST_NAME,
  isErased,
} from './reservation/erasure.js';
export * from './reservation/payment-reconciliation.js';
export {
  amountPaid,
  type PaymentRecord,
  paymentRecordSchema,
  type Settlement,
  settlementSchema,
} from './reservation/payment-record.js';
export * from './reservation/reservation.js';
export { cloneReservation } from './reservation/reservation-copy.js';
export * from './reservation/reservation-details.js';
export * from './rooms/room.js';
export * from './rooms/room-assignment.js';
export {
  type PlannerStay,
  planRoomAssignments,
  type Relocation,
  type RoomPlan,
  type RoomPlanInput,
} from './rooms/room-planner.js';
export type { HotelMatch } from './stay/hotel-matches.js';
export * from './stay/money.js';
export {
  keepSoldPrices,
  type LineRequest,
  lengthOfStayPercent,
  lineTotal,
  nightlyRate,
  planRate,
  priceLine,
} from './stay/pricing.js';
export * from './stay/search-offers.js';
export * from './stay/stay-rules.js';
export {
  createWorker,
  DEFAULT_INTERVALS,
  type JobStatus,
  type Worker,
  type WorkerLogFields,
  type WorkerOptions,
} from './worker/worker.js';
export type { JobName, JobResult } from './worker/worker-jobs.js';
export type { LockName, WorkerLock } from './worker/worker-lock.js';
