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
  /**
   * Of the booking attempts, the share that only hold the rooms and never come back (a
   * guest leaving at the payment page): the maintenance worker expires them.
   */
  abandonRate: number;
  /**
   * Of the booking charges, the share whose answer the gateway loses after taking the
   * money: the worker's payment recovery confirms those holds.
   */
  lostAnswerRate: number;
  /** Of the booking attempts, the share on the non-refundable saver plan (the rest: flexible). */
  saverShare: number;
  /**
   * The front desk's days (`stay-traffic.ts`). Of the confirmed arrivals: the share who
   * never come (no-show), and of those who come, the shares who ask on arrival for a night
   * more or a night less (stays of 3 nights or more), a phone correction, a correction of
   * the booking's details.
   */
  noShowRate: number;
  extensionRate: number;
  shorteningRate: number;
  guestCorrectionRate: number;
  detailCorrectionRate: number;
  /** Of the guests staying over a night: the shares who leave early, or extend by a night. */
  earlyDepartureRate: number;
  inHouseExtensionRate: number;
  /**
   * Of the top-ups (an extension's charge on the card given at booking, made later without
   * the guest entering it): the share declined. Higher than at checkout, as such
   * merchant-initiated charges are declined more often (limits reached, cards replaced).
   */
  topUpDeclineRate: number;
}

export const DEFAULT_MIX: TrafficMix = {
  targetOccupancy: 0.7,
  cancelRate: 0.1,
  declineRate: 0.03,
  replayRate: 0.05,
  abandonRate: 0.01,
  lostAnswerRate: 0.005,
  saverShare: 0.3,
  noShowRate: 0.06,
  extensionRate: 0.08,
  shorteningRate: 0.04,
  guestCorrectionRate: 0.04,
  detailCorrectionRate: 0.05,
  earlyDepartureRate: 0.05,
  inHouseExtensionRate: 0.03,
  topUpDeclineRate: 0.1,
};
