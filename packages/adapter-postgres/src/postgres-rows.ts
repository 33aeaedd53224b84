import type {
  AuditFinding,
  AuditReport,
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
  deepFreeze,
  hotelProfileOf,
  hotelSearchKeys,
  type InventoryDelta,
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

/** A hotel's catalog as a stay read returns it, with the stamp it was read at. */
interface StayCatalog {
  stamp: string;
  hotel: Hotel;
  roomTypes: RoomType[];
  rateCard: RateCard | null;
}

/**
 * The catalogs `readStays` returned, one per hotel, each with its stamp: the hotel row's
 * `xmin` and its pricing revision. Search across hotels reads the same hotels on every
 * search, and building their JSON was half of the statement's time on the server, so the
 * statement is told each hotel's stamp held here and leaves out the catalog of a hotel
 * whose stamp has not moved. The stamp moves on every catalog write: a hotel write makes
 * a new version of its row (a new `xmin`), and a room type or rate card write moves the
 * hotel's pricing revision in its own transaction (migration 11's triggers), which is a
 * write of the hotel row too. The pricing revision in the stamp keeps two versions made by
 * transaction ids 2^32 apart (wraparound) from looking alike. Values are frozen and
 * shared, as stay reads allow (read-only to their callers); one entry per hotel read.
 */
export class StayCatalogs {
  private readonly entries = new Map<string, StayCatalog>();

  /** What is held of a hotel, to send its stamp and to use it when unchanged. */
  held(hotelId: string): StayCatalog | undefined {
    return this.entries.get(hotelId);
  }

  /**
   * A stay read's row as a stay: its catalog parsed (and kept) when the row carries it,
   * else the one held when the read was sent (`held`, whose stamp the row says is
   * current); only the room types of `roomTypeIds` when given (the days are already).
   */
  stayOf(row: StayReadRow, held: StayCatalog | undefined, roomTypeIds?: string[]): StayView {
    const catalog = row.hotel === null ? held : this.parse(row);
    if (catalog === undefined || catalog.stamp !== row.stamp) {
      throw new Error(
        `A stay read left out the catalog of hotel ${row.hotel_id}, not held at ${row.stamp}`,
      );
    }
    const { hotel, rateCard } = catalog;
    const roomTypes =
      roomTypeIds === undefined
        ? catalog.roomTypes
        : catalog.roomTypes.filter((roomType) => roomTypeIds.includes(roomType.id));
    const days = daysOf(hotel.id, row.days);
    return { hotel, roomTypes, rateCard, days, pricingRevision: Number(row.pricing_revision) };
  }

  private parse(row: StayReadRow): StayCatalog {
    const catalog = deepFreeze({
      stamp: row.stamp,
      hotel: fromJson<Hotel>(row.hotel),
      roomTypes: roomTypesOf(row.hotel_id, row.room_types ?? '[]'),
      rateCard: typeof row.rate_card === 'string' ? fromJson<RateCard>(row.rate_card) : null,
    });
    this.entries.set(row.hotel_id, catalog);
    return catalog;
  }
}

/** A row of the stay reads (`readStay`, `readStays`); the catalog is null when left out. */
export interface StayReadRow {
  hotel_id: string;
  stamp: string;
  hotel: string | null;
  room_types: string | null;
  rate_card: string | null;
  days: string;
  /** bigint, as text. */
  pricing_revision: string;
}

/** A stay read's days, from their positional JSON. */
function daysOf(hotelId: string, text: string): CalendarDay[] {
  return fromJson<DayTuple[]>(text).map(
    ([roomTypeId, date, total, overbookingLimit, reserved, stopSell, rate]): CalendarDay => ({
      hotelId,
      roomTypeId,
      date,
      total,
      overbookingLimit,
      reserved,
      stopSell,
      rate,
    }),
  );
}
