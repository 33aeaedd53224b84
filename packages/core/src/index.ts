export * from './calendar/calendar-date.js';
export * from './calendar/calendar-day.js';
export * from './calendar/capacity.js';
export * from './calendar/inventory-delta.js';
export * from './calendar/overbooking.js';
export * from './catalog/hotel.js';
export * from './catalog/ids.js';
export * from './catalog/room-type.js';
export * from './catalog/text.js';
export * from './engine/call-arguments.js';
export * from './engine/clock.js';
export type {
  InnkeeperOptions,
  PaymentRecoveryReport,
  Quote,
  ReservationPage,
  SearchResult,
} from './engine/innkeeper.js';
export { createInnkeeper, Innkeeper } from './engine/innkeeper.js';
export * from './engine/requests.js';
export * from './errors.js';
export * from './port/audit.js';
export * from './port/events.js';
export * from './port/payments.js';
export * from './port/store.js';
export * from './port/store-helpers.js';
export * from './rate-card/rate-card.js';
export * from './reservation/cancellation-terms.js';
export * from './reservation/cursor.js';
export * from './reservation/fingerprint.js';
export * from './reservation/payment-record.js';
export * from './reservation/reservation.js';
export * from './reservation/reservation-decisions.js';
export * from './stay/money.js';
export * from './stay/pricing.js';
export * from './stay/search-offers.js';
export * from './stay/stay-rules.js';
