import { type ChainShape, FLEX_PLAN, SAVER_PLAN } from '../chain-shape.js';
import { cumulativeOf, pickWeighted, type Random } from '../seeded-random.js';
import type { DemoScale, TrafficMix } from './demo-scale.js';

/** One stay a simulated guest asks for (indexes into the chain shape). */
export interface StayRequest {
  hotel: number;
  roomType: number;
  /** Day offset of the check-in from the calendar's start. */
  checkInDay: number;
  nights: number;
  rooms: number;
  adults: number;
  /** The rate plan the guest picks: the flexible base plan or the non-refundable saver. */
  ratePlanId: string;
  hot: boolean;
}

/** Stay lengths and their weights: 1 to 7 nights, about 3 on average. */
const NIGHTS = [1, 2, 3, 4, 5, 7];
const NIGHT_WEIGHTS = [0.22, 0.22, 0.26, 0.14, 0.08, 0.08];
/** Rooms per booking: mostly one. */
const ROOMS = [1, 2, 3];
const ROOM_WEIGHTS = [0.88, 0.1, 0.02];
/** Popularity falls off with rank as rank^-SKEW: the top hotels are asked far past their rooms. */
const HOTEL_SKEW = 0.6;
/** Ordinary demand books ahead with this mean lead time, in days. */
const MEAN_LEAD_DAYS = 45;

const mean = (values: number[], weights: number[]) =>
  values.reduce((sum, v, i) => sum + v * (weights[i] ?? 0), 0);

/**
 * The booking day's demand. A share of it (`hotShare`) goes to the hot window, the
 * popular hotels on the hot dates, skewed by hotel rank so that the top few are asked for
 * several times their rooms: those sell out and sell into the overbooking margin. The
 * share is sized so that, after refusals, declines and cancellations, about
 * `targetOccupancy` of the window's rooms end up sold. The rest is ordinary demand:
 * any hotel, booked some weeks ahead.
 */
export class BookingTraffic {
  readonly hotShare: number;
  private readonly hotHotelCumulative: number[];
  private readonly roomTypeCumulative: number[];
  private readonly nightCumulative = cumulativeOf(NIGHT_WEIGHTS);
  private readonly roomCumulative = cumulativeOf(ROOM_WEIGHTS);

  constructor(
    private readonly shape: ChainShape,
    private readonly scale: DemoScale,
    private readonly mix: TrafficMix,
    private readonly random: Random,
  ) {
    const hotWeights = Array.from({ length: scale.hotHotels }, (_, r) => (r + 1) ** -HOTEL_SKEW);
    this.hotHotelCumulative = cumulativeOf(hotWeights);
    this.roomTypeCumulative = cumulativeOf(shape.roomTypes.map((rt) => rt.rooms));
    this.hotShare = sizeHotShare(shape, scale, mix, hotWeights);
  }

  next(): StayRequest {
    const r = this.random;
    const hot = r() < this.hotShare;
    const nights = NIGHTS[pickWeighted(this.nightCumulative, r)] as number;
    const roomType = pickWeighted(this.roomTypeCumulative, r);
    const rooms = ROOMS[pickWeighted(this.roomCumulative, r)] as number;
    const maxAdults = this.shape.roomTypes[roomType]?.maxAdults ?? 1;
    const adults = 1 + Math.floor(r() * maxAdults);
    const ratePlanId = r() < this.mix.saverShare ? SAVER_PLAN : FLEX_PLAN;
    if (hot) {
      const stayNights = Math.min(nights, this.scale.hotNights);
      const hotel = pickWeighted(this.hotHotelCumulative, r);
      const checkInDay =
        this.scale.hotFromDay + Math.floor(r() * (this.scale.hotNights - stayNights + 1));
      return {
        hotel,
        roomType,
        checkInDay,
        nights: stayNights,
        rooms,
        adults,
        ratePlanId,
        hot,
      };
    }
    const hotel = Math.floor(r() * this.shape.hotels);
    const lastCheckIn = this.shape.days - nights;
    const lead = Math.floor(-Math.log(1 - r()) * MEAN_LEAD_DAYS);
    const checkInDay = Math.min(lead, lastCheckIn);
    return { hotel, roomType, checkInDay, nights, rooms, adults, ratePlanId, hot };
  }
}

/**
 * The share of attempts aimed at the hot window. Each hot hotel absorbs its demand up to
 * its rooms plus the overbooking margin and refuses the rest, so the demand that leaves
 * `targetOccupancy` sold is found by bisection over that clipped sum.
 */
function sizeHotShare(
  shape: ChainShape,
  scale: DemoScale,
  mix: TrafficMix,
  hotWeights: number[],
): number {
  const roomsPerHotel = shape.roomTypes.reduce((sum, rt) => sum + rt.rooms, 0);
  const capacity = roomsPerHotel * scale.hotNights;
  const cap = capacity * (1 + shape.overbookingPercent / 100);
  const weightSum = hotWeights.reduce((a, b) => a + b, 0);
  const wanted = mix.targetOccupancy * capacity * scale.hotHotels;
  const keptAfter = (1 - mix.declineRate) * (1 - mix.cancelRate);
  const sold = (demand: number) =>
    hotWeights.reduce((sum, w) => sum + Math.min(cap, (demand * w) / weightSum), 0) * keptAfter;
  let lo = 0;
  let hi = wanted * 100;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (sold(mid) < wanted) lo = mid;
    else hi = mid;
  }
  const roomNightsPerBooking =
    mean(
      NIGHTS.map((n) => Math.min(n, scale.hotNights)),
      NIGHT_WEIGHTS,
    ) * mean(ROOMS, ROOM_WEIGHTS);
  return Math.min(0.9, hi / (scale.bookings * roomNightsPerBooking));
}
