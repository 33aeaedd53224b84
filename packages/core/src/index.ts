export * from './calendar-date.js';
export * from './calendar-day.js';
export * from './call-arguments.js';
export * from './cancellation-terms.js';
export * from './capacity-check.js';
export * from './clock.js';
export * from './cursor.js';
export * from './errors.js';
export * from './fingerprint.js';
export * from './hotel.js';
export * from './ids.js';
export type {
  InnkeeperOptions,
  PaymentRecoveryReport,
  Quote,
  ReservationPage,
  SearchResult,
} from './innkeeper.js';
export { createInnkeeper, Innkeeper } from './innkeeper.js';
export * from './inventory-delta.js';
export * from './money.js';
export * from './overbooking.js';
export * from './payment-record.js';
export * from './port/audit.js';
export * from './port/events.js';
export * from './port/payments.js';
export * from './port/store.js';
export * from './port/store-helpers.js';
export * from './pricing.js';
export * from './rate-card.js';
export * from './requests.js';
export * from './reservation.js';
export * from './reservation-decisions.js';
export * from './room-type.js';
export * from './search-offers.js';
export * from './stay-rules.js';
export * from './text.js';
