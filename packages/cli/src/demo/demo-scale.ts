/**
 * How big a demo run is. The full scale is the seed's: 5,000 hotels with 1M rooms and
 * a booking day of ~250k reservations; `--quick` is a few seconds on a laptop.
 */
export interface DemoScale {
  hotels: number;
  /** Booking attempts (each one new idempotency key); replays and cancellations come on top. */
  bookings: number;
  /** Concurrent simulated clients in this process. */
  clients: number;
  /** The first `hotHotels` hotels are the popular ones. */
  hotHotels: number;
  /** The hot dates: `hotNights` nights from day `hotFromDay` of the calendar. */
  hotFromDay: number;
  hotNights: number;
}

export const FULL_SCALE: DemoScale = {
  hotels: 5_000,
  bookings: 250_000,
  clients: 24,
  hotHotels: 100,
  hotFromDay: 30,
  hotNights: 14,
};

export const QUICK_SCALE: DemoScale = {
  hotels: 50,
  bookings: 2_000,
  clients: 16,
  hotHotels: 2,
  hotFromDay: 10,
  hotNights: 7,
};

/** The mix of a booking day, as fractions. */
export interface TrafficMix {
  /** Wanted share of the hot window's rooms still sold at the end of the day. */
  targetOccupancy: number;
  /** Of the reservations made, the share cancelled later the same day. */
  cancelRate: number;
  /** Of the booking attempts, the share whose payment is declined. */
  declineRate: number;
  /** Of the booking attempts, the share sent again with the same idempotency key. */
  replayRate: number;
  /** Of the booking attempts, the share on the non-refundable saver plan (the rest: flexible). */
  saverShare: number;
}

export const DEFAULT_MIX: TrafficMix = {
  targetOccupancy: 0.7,
  cancelRate: 0.1,
  declineRate: 0.03,
  replayRate: 0.05,
  saverShare: 0.3,
};
