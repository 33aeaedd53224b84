/**
 * `@innkeeper/core/store`: what a store author needs besides the application's entry
 * (`@innkeeper/core`): the port with its outcome types, the `decide*` rules and
 * `runDecider` / `checkDecision`, the rules every store applies the same way (store
 * helpers, capacity, inventory deltas, calendar edits, the audit), the change feed's event
 * types, and the errors a store throws (`storageError`, `storeClosedError`, ...).
 * docs/store-port.md describes the contract call by call.
 */

export { isArchivable } from './archive/archive-rules.js';
export {
  type CalendarConflict,
  type CalendarDayChange,
  type CalendarUpdate,
  changeCalendarDay,
  emptyCalendarDay,
} from './calendar/calendar-day.js';
export * from './calendar/capacity.js';
export { DayColumns } from './calendar/day-columns.js';
export * from './calendar/inventory-delta.js';
export { overbookingLimitFor } from './calendar/overbooking.js';
export {
  type HotelProfile,
  hotelProfileOf,
  type RoomTypeProfile,
  roomTypeProfileOf,
} from './catalog/catalog-rows.js';
export {
  type HotelSearchKeys,
  hotelSearchKeys,
  keysMatchFilter,
  leadingHotelFilter,
  matchesHotelFilter,
} from './catalog/hotel-location.js';
export {
  feedPrunedError,
  invalid,
  notFound,
  storageError,
  storeClosedError,
  validationError,
} from './errors.js';
export * from './port/archive-helpers.js';
export * from './port/audit.js';
export { deepFreeze } from './port/deep-freeze.js';
export * from './port/events.js';
export * from './port/front-desk-lists.js';
export { JsonMemo } from './port/json-memo.js';
export * from './port/payments.js';
export * from './port/room-nights.js';
export * from './port/store.js';
export * from './port/store-arguments.js';
export * from './port/store-helpers.js';
export * from './port/store-outcomes.js';
export * from './port/store-port-version.js';
export * from './reservation/correction-decisions.js';
export * from './reservation/cursor.js';
export * from './reservation/erasure.js';
export * from './reservation/fingerprint.js';
export {
  type DueRefund,
  dueRefunds,
  oweRefund,
  type PendingPayment,
  pendingPaymentOf,
  pendingTopUp,
} from './reservation/payment-record.js';
export * from './reservation/reservation-decisions.js';
export { detailsForLines, externalRefOf } from './reservation/reservation-details.js';
export { settle, shorteningMoney } from './reservation/settlement-money.js';
export * from './reservation/stay-decisions.js';
export * from './reservation/top-up-decisions.js';
export { withTopUp } from './reservation/top-ups.js';
export { roomNightsOf, trimAssignments } from './rooms/room-assignment.js';
export * from './rooms/room-decisions.js';
export { recordStoreRetry } from './telemetry/tracing.js';
