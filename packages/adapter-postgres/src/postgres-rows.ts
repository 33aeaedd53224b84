import type {
  AuditFinding,
  AuditReport,
  AvailabilityView,
  CalendarDay,
  Hotel,
  InnkeeperEvent,
  RateCard,
  Reservation,
  RoomType,
  StayView,
  UnavailableNight,
} from '@innkeeper/core';
import {
  claimsOf,
  hotelProfileOf,
  hotelSearchKeys,
  type InventoryDelta,
  JsonMemo,
  type RoomTypeProfile,
  roomTypeProfileOf,
} from '@innkeeper/core/store';

/**
 * Between rows and domain objects.
 *
 * Reads come back as JSON text built by the schema's `*_json` functions (or the stored
 * reservation document) and are parsed here: every result is a fresh object, and the
 * mapping does not depend on the pool's type parsers (a pool that parses int8 as BigInt
 * or timestamps as strings reads the same). Writes go out as plain parameters, with
 * lists as parallel arrays for `unnest`.
 */

/** A JSON text column parsed as the domain type the schema's functions build. */
export function fromJson<T>(text: unknown): T {
  if (typeof text !== 'string') throw new TypeError(`Expected JSON text, got ${typeof text}`);
  return JSON.parse(text) as T;
}

export const toHotel = (text: unknown): Hotel => fromJson<Hotel>(text);
export const toRoomType = (text: unknown): RoomType => fromJson<RoomType>(text);
export const toCalendarDays = (text: unknown): CalendarDay[] => fromJson<CalendarDay[]>(text);
export const toReservation = (text: unknown): Reservation => fromJson<Reservation>(text);
/** A rate card column that may be NULL (no card stored). */
export const toRateCard = (text: unknown): RateCard | null =>
  text === null || text === undefined ? null : fromJson<RateCard>(text);
export const toNights = (json: unknown): UnavailableNight[] =>
  typeof json === 'string' ? fromJson<UnavailableNight[]>(json) : (json as UnavailableNight[]);

/** count(*) and friends: numbers whatever the int8 parser returns. */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Deltas (or claims) as the three parallel arrays the functions `unnest`. */
export function deltaArrays(deltas: InventoryDelta[]): [string[], string[], number[]] {
  return [deltas.map((d) => d.roomTypeId), deltas.map((d) => d.date), deltas.map((d) => d.rooms)];
}

/**
 * The nights a reservation claims, for `reservation_nights`: from its own lines, never
 * from the plan's deltas, so the audit compares `reserved` with what the reservations
 * say rather than with what the command did.
 */
export function nightArrays(reservation: Reservation): [string[], string[], number[]] {
  return deltaArrays(claimsOf(reservation.lines));
}

export function hotelParams(hotel: Hotel): unknown[] {
  const keys = hotelSearchKeys(hotel);
  return [
    hotel.id,
    hotel.name,
    hotel.timeZone,
    hotel.currency,
    hotel.overbookingPercent,
    hotel.createdAt,
    hotel.updatedAt,
    hotel.active,
    JSON.stringify(hotelProfileOf(hotel)),
    keys.cityKey,
    keys.country,
    keys.lat,
    keys.lon,
  ];
}

export function roomTypeParams(roomType: RoomType): unknown[] {
  return [
    roomType.hotelId,
    roomType.id,
    roomType.name,
    roomType.maxAdults,
    roomType.maxChildren,
    roomType.maxOccupancy,
    roomType.overbookingPercent,
    roomType.baseRate,
    roomType.createdAt,
    roomType.updatedAt,
    roomType.active,
    roomType.displayOrder,
    JSON.stringify(roomTypeProfileOf(roomType)),
  ];
}

export interface EventRow {
  seq: unknown;
  type: InnkeeperEvent['type'];
  at: string;
  hotel_id: string;
  reservation_id: string | null;
  days: string;
}

export function toEvent(row: EventRow): InnkeeperEvent {
  return {
    seq: toCount(row.seq),
    type: row.type,
    at: row.at,
    hotelId: row.hotel_id,
    reservationId: row.reservation_id,
    days: toCalendarDays(row.days),
  };
}

export interface AuditRow {
  rows_checked: unknown;
  reservations_checked: unknown;
  findings: string;
}

/** The audit statement's one row (none: nothing to check) as the port's report. */
export function toAuditReport(row: AuditRow | undefined): AuditReport {
  const findings = fromJson<AuditFinding[]>(row?.findings ?? '[]');
  return {
    ok: findings.length === 0,
    rowsChecked: toCount(row?.rows_checked ?? 0),
    reservationsChecked: toCount(row?.reservations_checked ?? 0),
    findings,
  };
}

export interface StayRow {
  hotel: string;
  room_types: string;
  rate_card: string | null;
  days: string;
  /** bigint, as text. */
  pricing_revision: string;
}

/** The `readStay` statement's one row (none: no such hotel). */
export function toStayView(row: StayRow | undefined): StayView | null {
  if (!row) return null;
  return {
    hotel: toHotel(row.hotel),
    roomTypes: fromJson<RoomType[]>(row.room_types),
    rateCard: toRateCard(row.rate_card),
    days: toCalendarDays(row.days),
    pricingRevision: Number(row.pricing_revision),
  };
}

type RoomTypeTuple = [
  string,
  string,
  number,
  number,
  number,
  number | null,
  number,
  boolean,
  number,
  RoomTypeProfile,
  string,
  string,
];
type DayTuple = [string, string, number, number, number, boolean, number | null];

/** A `readStays` row's room types, from their positional JSON. */
function roomTypesOf(hotelId: string, text: string): RoomType[] {
  return fromJson<RoomTypeTuple[]>(text).map(
    ([
      id,
      name,
      maxAdults,
      maxChildren,
      maxOccupancy,
      overbookingPercent,
      baseRate,
      active,
      displayOrder,
      profile,
      createdAt,
      updatedAt,
    ]): RoomType => ({
      id,
      hotelId,
      name,
      maxAdults,
      maxChildren,
      maxOccupancy,
      overbookingPercent,
      baseRate,
      active,
      ...profile,
      displayOrder,
      createdAt,
      updatedAt,
    }),
  );
}

/**
 * What `readStays` rows parse to besides the days, kept per hotel while the text stays
 * the same (see `JsonMemo`): one set per store, holding at most one of each per hotel.
 */
export interface StayMemos {
  hotels: JsonMemo<Hotel>;
  roomTypes: JsonMemo<RoomType[]>;
  rateCards: JsonMemo<RateCard>;
}

export function stayMemos(): StayMemos {
  return {
    hotels: new JsonMemo((text) => fromJson<Hotel>(text)),
    roomTypes: new JsonMemo((text, hotelId) => roomTypesOf(hotelId, text)),
    rateCards: new JsonMemo((text) => fromJson<RateCard>(text)),
  };
}

/** A row of the `readStays` statement: one hotel's stay, without a pricing revision. */
export function toAvailabilityView(
  row: Omit<StayRow, 'pricing_revision'> & { hotel_id: string },
  memos: StayMemos,
): AvailabilityView {
  const hotelId = row.hotel_id;
  const hotel = memos.hotels.get(hotelId, row.hotel);
  const roomTypes = memos.roomTypes.get(hotelId, row.room_types);
  const rateCard =
    typeof row.rate_card === 'string' ? memos.rateCards.get(hotelId, row.rate_card) : null;
  const days = fromJson<DayTuple[]>(row.days).map(
    ([roomTypeId, date, total, overbookingLimit, reserved, stopSell, rate]): CalendarDay => ({
      hotelId: hotel.id,
      roomTypeId,
      date,
      total,
      overbookingLimit,
      reserved,
      stopSell,
      rate,
    }),
  );
  return { hotel, roomTypes, rateCard, days };
}
