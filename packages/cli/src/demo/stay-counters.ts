import type { Reservation } from '@innkeeper/core';

/** What the front desk did on the days played: every move counted once. */
export interface StayCounters {
  /** Confirmed stays on the arrivals lists of the days played: checked in or no-show. */
  arrivalsDue: number;
  checkIns: number;
  /** Checked out on the booked departure date. */
  checkOuts: number;
  /** Checked out before it: the remaining nights released, refunded by the captured terms. */
  earlyDepartures: number;
  noShows: number;
  /** Extensions by a night whose top-up the gateway charged. */
  extensions: number;
  /** Extensions whose top-up was declined: `PAYMENT_FAILED`, the change undone. */
  extensionsDeclined: number;
  /** Extensions refused because the next night was sold out (no money moved). */
  extensionsSoldOut: number;
  shortenings: number;
  /** `updateGuest` (a phone number) and `updateReservationDetails` (reference, notes). */
  guestCorrections: number;
  detailCorrections: number;
  /** Pages the front desk lists were read in (`nextCursor` followed to the end). */
  listPages: number;
  /** Of those, the pages after the first: read with the previous page's `nextCursor`. */
  cursorPages: number;
  /** Any other refusal or failure of a front desk call: a demo or engine bug if not 0. */
  failures: number;
  money: StayMoney;
}

/**
 * The money the stays moved, minor units, from each call's reservation before and after
 * (`balance`): what the report shows beside the booking day's money, and what the
 * reconciliation must then find at the gateway too.
 */
export interface StayMoney {
  /** Top-ups the gateway charged for extensions. */
  toppedUp: number;
  /** Refunds per cause. */
  refundedShortenings: number;
  refundedEarlyDepartures: number;
  refundedNoShows: number;
  /** Penalties the captured terms kept, per cause. */
  keptShortenings: number;
  keptEarlyDepartures: number;
  keptNoShows: number;
}

export function emptyStayCounters(): StayCounters {
  return {
    arrivalsDue: 0,
    checkIns: 0,
    checkOuts: 0,
    earlyDepartures: 0,
    noShows: 0,
    extensions: 0,
    extensionsDeclined: 0,
    extensionsSoldOut: 0,
    shortenings: 0,
    guestCorrections: 0,
    detailCorrections: 0,
    listPages: 0,
    cursorPages: 0,
    failures: 0,
    money: {
      toppedUp: 0,
      refundedShortenings: 0,
      refundedEarlyDepartures: 0,
      refundedNoShows: 0,
      keptShortenings: 0,
      keptEarlyDepartures: 0,
      keptNoShows: 0,
    },
  };
}

/** What one move changed in a reservation's balance: charged, refunded, penalties kept. */
export interface MoneyDelta {
  charged: number;
  refunded: number;
  kept: number;
}

export function moneyDelta(before: Reservation, after: Reservation): MoneyDelta {
  const b = before.balance;
  const a = after.balance;
  if (!a || !b) return { charged: 0, refunded: 0, kept: 0 };
  // Refunds owed but not yet confirmed count as refunded here: recovery sends them before
  // the reconciliation, and the report's reconciled line shows what the gateway confirmed.
  return {
    charged: a.charged - b.charged,
    refunded: a.refunded + a.refundDue - (b.refunded + b.refundDue),
    kept: a.penalties - b.penalties,
  };
}
