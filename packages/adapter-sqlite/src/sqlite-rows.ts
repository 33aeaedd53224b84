import type {
  CalendarDay,
  Hotel,
  InnkeeperEvent,
  InnkeeperEventType,
  RateCard,
  Reservation,
  RoomType,
} from '@innkeeper/core';
import {
  hotelProfileOf,
  hotelSearchKeys,
  pendingPaymentOf,
  reservationIndexValues,
  roomTypeProfileOf,
} from '@innkeeper/core/store';
import type { DayTuple } from './sqlite-statements.js';

// Row shapes as SQLite returns them, and the mapping to and from the domain. Every
// mapping builds a new object, so nothing handed out is shared with anything kept.

export interface HotelRow {
  hotel_id: string;
  name: string;
  time_zone: string;
  currency: string;
  overbooking_percent: number;
  created_at: string;
  updated_at: string;
  /** Migration 9: see `pricingRevision` in the store port. */
  pricing_revision: number;
  /** Migration 10: 1 or 0, the profile as JSON, and the search keys derived from it. */
  active: number;
  profile: string;
}

/** `parsed`: the profile already parsed (a reader's memo), else parsed here. */
export function hotelFromRow(row: HotelRow, parsed?: object): Hotel {
  const profile = (parsed ?? JSON.parse(row.profile)) as ReturnType<typeof hotelProfileOf>;
  return {
    id: row.hotel_id,
    name: row.name,
    timeZone: row.time_zone,
    currency: row.currency,
    overbookingPercent: row.overbooking_percent,
    active: row.active === 1,
    ...profile,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Parameters of `insertHotel` / `updateHotel`, by name. */
export function hotelParams(h: Hotel): Record<string, unknown> {
  const keys = hotelSearchKeys(h);
  return {
    id: h.id,
    name: h.name,
    timeZone: h.timeZone,
    currency: h.currency,
    overbookingPercent: h.overbookingPercent,
    active: h.active ? 1 : 0,
    profile: JSON.stringify(hotelProfileOf(h)),
    cityKey: keys.cityKey,
    country: keys.country,
    lat: keys.lat,
    lon: keys.lon,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
  };
}

export interface RoomTypeRow {
  hotel_id: string;
  room_type_id: string;
  name: string;
  max_adults: number;
  max_children: number;
  max_occupancy: number;
  overbooking_percent: number | null;
  base_rate: number;
  created_at: string;
  updated_at: string;
  /** Migration 10. */
  active: number;
  display_order: number;
  profile: string;
}

/** `parsed`: the profile already parsed (a reader's memo), else parsed here. */
export function roomTypeFromRow(row: RoomTypeRow, parsed?: object): RoomType {
  const profile = (parsed ?? JSON.parse(row.profile)) as ReturnType<typeof roomTypeProfileOf>;
  return {
    id: row.room_type_id,
    hotelId: row.hotel_id,
    name: row.name,
    maxAdults: row.max_adults,
    maxChildren: row.max_children,
    maxOccupancy: row.max_occupancy,
    overbookingPercent: row.overbooking_percent,
    baseRate: row.base_rate,
    active: row.active === 1,
    ...profile,
    displayOrder: row.display_order,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Parameters of `insertRoomType` / `updateRoomType`, by name. */
export function roomTypeParams(rt: RoomType): Record<string, unknown> {
  return {
    hotelId: rt.hotelId,
    id: rt.id,
    name: rt.name,
    maxAdults: rt.maxAdults,
    maxChildren: rt.maxChildren,
    maxOccupancy: rt.maxOccupancy,
    overbookingPercent: rt.overbookingPercent,
    baseRate: rt.baseRate,
    active: rt.active ? 1 : 0,
    displayOrder: rt.displayOrder,
    profile: JSON.stringify(roomTypeProfileOf(rt)),
    createdAt: rt.createdAt,
    updatedAt: rt.updatedAt,
  };
}

/** The mutable part of a calendar row (what `UPDATE ... RETURNING` gives back). */
export interface CalendarValuesRow {
  total: number;
  overbooking_limit: number;
  reserved: number;
  stop_sell: number;
  rate: number | null;
}

export interface CalendarRow extends CalendarValuesRow {
  hotel_id: string;
  room_type_id: string;
  date: string;
}

export function dayFromRow(row: CalendarRow): CalendarDay {
  return dayFromValues(row.hotel_id, row.room_type_id, row.date, row);
}

export function dayFromValues(
  hotelId: string,
  roomTypeId: string,
  date: string,
  row: CalendarValuesRow,
): CalendarDay {
  return {
    hotelId,
    roomTypeId,
    date,
    total: row.total,
    overbookingLimit: row.overbooking_limit,
    reserved: row.reserved,
    // SQLite has no boolean: stop_sell is 0 or 1 (CHECK constraint).
    stopSell: row.stop_sell === 1,
    rate: row.rate,
  };
}

/** Parameters in the column order of `calendar`. */
export function dayParams(d: CalendarDay): unknown[] {
  return [
    d.hotelId,
    d.roomTypeId,
    d.date,
    d.total,
    d.overbookingLimit,
    d.reserved,
    d.stopSell ? 1 : 0,
    d.rate,
  ];
}

/** The row a reservation is read back from: its JSON, parsed into a fresh object. */
export interface ReservationDataRow {
  data: string;
}

export function reservationFromRow(row: ReservationDataRow): Reservation {
  return JSON.parse(row.data) as Reservation;
}

/**
 * Parameters in the order of `RESERVATION_COLUMNS`, `json` being the reservation's JSON.
 * `payment_pending` is derived here, on every write, from the reservation itself.
 */
export function reservationParams(r: Reservation, json: string): unknown[] {
  return [...reservationIndexValues(r), json, r.updatedAt, pendingPaymentOf(r)];
}

/** Parameters of `updateReservation`: the fields a state change may alter, then the key. */
export function reservationUpdateParams(r: Reservation, json: string): unknown[] {
  return [
    r.status,
    r.checkIn,
    r.checkOut,
    // A correction can change the guest's e-mail: its index follows.
    r.guest.email,
    r.holdExpiresAt,
    r.version,
    json,
    r.updatedAt,
    pendingPaymentOf(r),
    r.hotelId,
    r.id,
  ];
}

/** A stored rate card: its JSON, parsed into a fresh object on every read. */
export interface RateCardDataRow {
  data: string;
}

export function rateCardFromRow(row: RateCardDataRow): RateCard {
  return JSON.parse(row.data) as RateCard;
}

export interface EventRow {
  seq: number;
  type: string;
  at: string;
  hotel_id: string;
  reservation_id: string | null;
  days: string;
}

/**
 * An event's rows, stored compactly: one array per row without the hotel (it is the
 * event's) or field names. Every booking appends an event, and smaller rows mean fewer
 * new pages of the change feed to write.
 */
type CompactDay = [roomTypeId: string, ...day: DayTuple];

export function eventDaysJson(days: CalendarDay[]): string {
  return JSON.stringify(
    days.map(
      (d): CompactDay => [
        d.roomTypeId,
        d.date,
        d.total,
        d.overbookingLimit,
        d.reserved,
        d.stopSell ? 1 : 0,
        d.rate,
      ],
    ),
  );
}

export function eventFromRow(row: EventRow): InnkeeperEvent {
  const hotelId = row.hotel_id;
  return {
    seq: row.seq,
    type: row.type as InnkeeperEventType,
    at: row.at,
    hotelId,
    reservationId: row.reservation_id,
    days: (JSON.parse(row.days) as CompactDay[]).map(([roomTypeId, ...day]) =>
      dayFromTuple(hotelId, roomTypeId, day),
    ),
  };
}

/** A calendar row read as a `DayTuple` (or from an event's compact rows). */
export function dayFromTuple(hotelId: string, roomTypeId: string, row: DayTuple): CalendarDay {
  const [date, total, overbookingLimit, reserved, stopSell, rate] = row;
  return {
    hotelId,
    roomTypeId,
    date,
    total,
    overbookingLimit,
    reserved,
    stopSell: stopSell === 1,
    rate,
  };
}
