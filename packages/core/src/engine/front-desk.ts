import { todayIn } from '../calendar/calendar-date.js';
import { hoursBefore, instantAt } from '../calendar/zoned-time.js';
import { notFound } from '../errors.js';
import type { FrontDeskList } from '../port/front-desk-lists.js';
import type { ReservationOutcome } from '../port/store-outcomes.js';
import type { Reservation } from '../reservation/reservation.js';
import type { ReservationDecider } from '../reservation/reservation-decisions.js';
import {
  decideCheckIn,
  decideCheckOut,
  decideUndoCheckIn,
  decideUndoCheckOut,
  departureDate,
  type HotelMoment,
  type ShortenedStay,
} from '../reservation/stay-decisions.js';
import { type EngineContext, parse } from './engine-context.js';
import {
  type FrontDeskListInput,
  type FrontDeskOptions,
  frontDeskListInputSchema,
  frontDeskOptionsSchema,
  type StayMoveInput,
  stayMoveInputSchema,
  type UndoMoveInput,
  undoMoveInputSchema,
} from './front-desk-requests.js';
import { unwrapOutcome } from './outcome-errors.js';
import type { PaymentFlow } from './payment-flow.js';
import { pageOfReservations, type ReservationPage } from './reservation-pages.js';
import type { RoomAssignments } from './room-assignments.js';
import type { Selling } from './selling.js';

/** How often a check-out re-prices and tries again when the stay changed under it. */
const CHECK_OUT_ATTEMPTS = 3;

/**
 * The stay after booking: the guest arrives (`checkIn`), leaves (`checkOut`, early or
 * not), and a move made by mistake is undone within a window. Each is one of the core's
 * `decide*` rules run by the store's `changeReservation`; this class supplies what those
 * rules must not compute themselves: the hotel's "now" in its time zone and, for an early
 * departure, the stay re-priced with its new shape.
 */
export class FrontDesk {
  private readonly options: Required<FrontDeskOptions>;

  constructor(
    private readonly context: EngineContext,
    private readonly selling: Selling,
    private readonly payments: PaymentFlow | null,
    private readonly rooms: RoomAssignments,
    options: FrontDeskOptions = {},
  ) {
    this.options = parse(frontDeskOptionsSchema, options);
  }

  async checkIn(input: StayMoveInput): Promise<Reservation> {
    const { reservationId } = parse(stayMoveInputSchema, input);
    const current = await this.get(reservationId);
    const { moment, timeZone } = await this.momentAt(current.hotelId);
    // Arrival opens at the arrival date's local midnight, less the early-arrival allowance.
    const midnight = instantAt(current.checkIn, '00:00', timeZone);
    const opensAt = hoursBefore(midnight, this.options.earlyArrivalHours);
    // A hotel that uses rooms hands over a key: a stay that may check in gets its rooms
    // first (nothing is assigned for a check-in the rules refuse).
    const mayArrive =
      current.status === 'confirmed' && moment.at >= opensAt && current.checkOut > moment.today;
    if (mayArrive) await this.rooms.roomsForCheckIn(current);
    const outcome = await this.change(reservationId, (r) =>
      decideCheckIn(r, { ...moment, opensAt }),
    );
    return unwrapOutcome(outcome, reservationId, 'check in', undefined, (r) => {
      if (r.status !== 'confirmed') return undefined;
      if (moment.at < opensAt) return `arrival opens at ${opensAt}`;
      return `its departure date ${r.checkOut} has come`;
    });
  }

  /**
   * Checks the guest out. Before the booked departure the stay is first re-priced for the
   * nights up to today (at least the first night), and the store applies it only to the
   * version that was priced; a stay changed meanwhile is priced again.
   */
  async checkOut(input: StayMoveInput): Promise<Reservation> {
    const { reservationId } = parse(stayMoveInputSchema, input);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(reservationId);
      const { moment } = await this.momentAt(current.hotelId);
      const leavesOn = departureDate(current, moment.today);
      const shortened =
        current.status === 'checked-in' && leavesOn < current.checkOut
          ? await this.shortened(current, leavesOn, moment)
          : undefined;
      const outcome = await this.change(reservationId, (r) => decideCheckOut(r, moment, shortened));
      if (outcome.kind === 'conflict' && attempt < CHECK_OUT_ATTEMPTS) continue;
      const reservation = unwrapOutcome(outcome, reservationId, 'check out');
      return this.payments ? this.payments.settleRefund(reservation) : reservation;
    }
  }

  async undoCheckIn(input: UndoMoveInput): Promise<Reservation> {
    const { reservationId, reason, by } = parse(undoMoveInputSchema, input);
    const at = this.context.clock.now().toISOString();
    const window = { minutes: this.options.undoWindowMinutes };
    const note = { reason, ...(by ? { by } : {}) };
    const outcome = await this.change(reservationId, (r) => decideUndoCheckIn(r, at, window, note));
    return unwrapOutcome(outcome, reservationId, 'undo the check-in of', undefined, (r) =>
      r.status === 'checked-in' ? `more than ${window.minutes} minutes have passed` : undefined,
    );
  }

  async undoCheckOut(input: UndoMoveInput): Promise<Reservation> {
    const { reservationId, reason, by } = parse(undoMoveInputSchema, input);
    const at = this.context.clock.now().toISOString();
    const window = { minutes: this.options.undoWindowMinutes };
    const note = { reason, ...(by ? { by } : {}) };
    const outcome = await this.change(reservationId, (r) =>
      decideUndoCheckOut(r, at, window, note),
    );
    // 'unavailable' (the nights given back were sold meanwhile) becomes SOLD_OUT here.
    return unwrapOutcome(outcome, reservationId, 'undo the check-out of', undefined, (r) => {
      if (r.status !== 'checked-out') return undefined;
      return r.checkedOutAt && Date.parse(at) - Date.parse(r.checkedOutAt) > window.minutes * 60_000
        ? `more than ${window.minutes} minutes have passed`
        : 'its early departure gave money back, which cannot be called back from the gateway';
    });
  }

  /**
   * One of the front desk's lists (`FRONT_DESK_LISTS`) of a hotel on a date, today at
   * the hotel by default: newest booking first, paged like `listReservations`.
   */
  async list(which: FrontDeskList, input: FrontDeskListInput): Promise<ReservationPage> {
    const { hotelId, date, limit, cursor } = parse(frontDeskListInputSchema, input);
    const on = date ?? (await this.momentAt(hotelId)).moment.today;
    return pageOfReservations(this.context.store, { by: which, hotelId, date: on }, limit, cursor);
  }

  /** The stay cut to the nights up to today (at least its first night), re-priced. */
  private async shortened(
    current: Reservation,
    checkOut: string,
    moment: HotelMoment,
  ): Promise<ShortenedStay> {
    const { plan } = await this.selling.planRequest(
      {
        hotelId: current.hotelId,
        checkIn: current.checkIn,
        checkOut,
        lines: current.lines.map(({ roomTypeId, ratePlanId, rooms, adults, children }) => ({
          roomTypeId,
          ratePlanId,
          rooms,
          adults,
          children,
        })),
      },
      {
        pastCheckIn: true,
        // Judged at the departure's own moment: the clock may have passed midnight since.
        now: new Date(moment.at),
        // Leaving early is never refused for a minimum stay: restrictions govern sales.
        planning: {
          checkRestrictions: false,
          sellsNights: false,
          arrivalJudged: true,
          before: current.lines,
          bookedAt: current.createdAt,
        },
      },
    );
    return {
      checkOut,
      lines: plan.lines,
      cancellation: plan.cancellation,
      expectedVersion: current.version,
    };
  }

  private async momentAt(hotelId: string): Promise<{ moment: HotelMoment; timeZone: string }> {
    const hotel = await this.context.store.getHotel(hotelId);
    if (!hotel) throw notFound('hotel', hotelId);
    const now = this.context.clock.now();
    return {
      moment: { at: now.toISOString(), today: todayIn(hotel.timeZone, now) },
      timeZone: hotel.timeZone,
    };
  }

  private async get(reservationId: string): Promise<Reservation> {
    const reservation = await this.context.store.getReservation(reservationId);
    if (!reservation) throw notFound('reservation', reservationId);
    return reservation;
  }

  private change(reservationId: string, decide: ReservationDecider): Promise<ReservationOutcome> {
    return this.context.store.changeReservation(reservationId, decide);
  }
}
