import {
  addDays,
  type RateCard,
  type RateCardContent,
  rateCardContentSchema,
} from '@innkeeper/core';

/**
 * The shape of a hotel chain the demo and the bench load: `hotels` hotels `h0 … h{n-1}`,
 * each with the same room types, and a calendar row per (hotel, room type, date) for
 * `days` days from `start`, with seasonal rates. Every loader (SQL, COPY, public API)
 * writes exactly these rows, so the stores are compared on the same data.
 */
export interface ChainShape {
  hotels: number;
  roomTypes: readonly RoomTypeShape[];
  /** First date of inventory (ISO). */
  start: string;
  days: number;
  /** Overbooking percent of every hotel (the store stores the limit per row). */
  overbookingPercent: number;
  /** Nightly rates above the base rate on some dates. */
  seasons: readonly RateSeason[];
}

export interface RoomTypeShape {
  id: string;
  name: string;
  /** Sellable rooms on every date. */
  rooms: number;
  maxAdults: number;
  /** Minor units (EUR cents). */
  baseRate: number;
}

export interface RateSeason {
  /** Day offsets from `start`, inclusive. */
  fromDay: number;
  toDay: number;
  /** Rate as a percent of the base rate (integer math: base * percent / 100, floored). */
  percent: number;
}

/** 4 room types, 200 rooms a hotel: 5,000 hotels make the seed's million rooms. */
export const CHAIN_ROOM_TYPES: readonly RoomTypeShape[] = [
  { id: 'single', name: 'Single', rooms: 40, maxAdults: 1, baseRate: 8_000 },
  { id: 'double', name: 'Double', rooms: 70, maxAdults: 2, baseRate: 11_000 },
  { id: 'twin', name: 'Twin', rooms: 60, maxAdults: 2, baseRate: 11_500 },
  { id: 'family', name: 'Family', rooms: 30, maxAdults: 4, baseRate: 17_000 },
];

export function chainShape(hotels: number, start: string, days = 365): ChainShape {
  return {
    hotels,
    roomTypes: CHAIN_ROOM_TYPES,
    start,
    days,
    overbookingPercent: 10,
    // Summer (days 151-242 of a year starting 1 January) and the year-end holidays.
    seasons: [
      { fromDay: 151, toDay: Math.min(days - 1, 242), percent: 125 },
      { fromDay: 353, toDay: Math.min(days - 1, 364), percent: 140 },
    ].filter((s) => s.fromDay < days),
  };
}

export function hotelId(index: number): string {
  return `h${index}`;
}

const TIME_ZONES = ['Europe/Lisbon', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];

/** Hotels sit in a few time zones, so "today at the hotel" is not the same everywhere. */
export function timeZoneOf(index: number): string {
  return TIME_ZONES[index % TIME_ZONES.length] as string;
}

export function datesOf(shape: ChainShape): string[] {
  return Array.from({ length: shape.days }, (_, d) => addDays(shape.start, d));
}

/** The nightly rate on day `day`, or `null` for the base rate (how the calendar stores it). */
export function rateOn(shape: ChainShape, roomType: RoomTypeShape, day: number): number | null {
  const season = shape.seasons.find((s) => day >= s.fromDay && day <= s.toDay);
  return season ? Math.floor((roomType.baseRate * season.percent) / 100) : null;
}

export function overbookingLimitOf(shape: ChainShape, roomType: RoomTypeShape): number {
  return Math.floor((roomType.rooms * shape.overbookingPercent) / 100);
}

export function roomsOf(shape: ChainShape): number {
  return shape.hotels * shape.roomTypes.reduce((sum, rt) => sum + rt.rooms, 0);
}

export function calendarRowsOf(shape: ChainShape): number {
  return shape.hotels * shape.roomTypes.length * shape.days;
}

/** The demo's rate plans: the base plan every room type sells, and a cheaper non-refundable one. */
export const FLEX_PLAN = 'flex';
export const SAVER_PLAN = 'saver';

/**
 * Every hotel's rate card (the same in each): a flexible base plan at the calendar rate,
 * free to cancel until 48 hours before check-in (then the first night is kept); a saver
 * plan derived from it at -10%, non-refundable; VAT at 10% and a city tax per guest per
 * night. Loaders write it as each store keeps it (the memory store via `setRateCard`).
 */
export const CHAIN_RATE_CARD: RateCardContent = rateCardContentSchema.parse({
  checkInTime: '15:00',
  ratePlans: [
    { id: FLEX_PLAN, name: 'Flexible', cancellationPolicyId: 'free-48h' },
    {
      id: SAVER_PLAN,
      name: 'Non-refundable saver',
      derivedFrom: { ratePlanId: FLEX_PLAN, percent: -10 },
      cancellationPolicyId: 'non-refundable',
    },
  ],
  taxes: [
    { id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 1000 },
    { id: 'city-tax', name: 'City tax', kind: 'per-person-night', amount: 250 },
  ],
  cancellationPolicies: [
    {
      id: 'free-48h',
      name: 'Free until 48 h before arrival',
      windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } }],
    },
    { id: 'non-refundable', name: 'Non-refundable', nonRefundable: true },
  ],
});

/** The stored card of one hotel (revision 1), as the SQL loaders insert it. */
export function rateCardOf(hotel: string, at: string): RateCard {
  return { ...CHAIN_RATE_CARD, hotelId: hotel, revision: 1, updatedAt: at };
}
