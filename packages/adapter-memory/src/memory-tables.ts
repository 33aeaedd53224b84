import type {
  AuditReport,
  CalendarDay,
  Hotel,
  HotelListQuery,
  RateCard,
  Reservation,
  ReservationQuery,
  RoomType,
} from '@innkeeper/core';
import {
  auditCalendar,
  DayColumns,
  deepFreeze,
  emptyCalendarDay,
  externalRefOf,
  type HotelSearchKeys,
  hotelSearchKeys,
  type InventoryDelta,
  keysMatchFilter,
  pendingPaymentOf,
} from '@innkeeper/core/store';

import { MemoryChangeFeed } from './memory-change-feed.js';
import { MemoryHotel } from './memory-hotel.js';
import { addTo, idCount, removeFrom } from './memory-indexes.js';
import { matchesFilter, newestFirst, oldestChangeFirst } from './memory-query.js';

/**
 * The memory store's data: plain maps, the indexes kept beside them, and the synchronous
 * steps its commands are made of. Nothing here copies or checks that the store is open:
 * `MemoryStore` does that at the port. Nothing here awaits, so a command built from
 * these steps stays one critical section.
 */
export class MemoryTables {
  /** Stored frozen: `readStay` hands a hotel out read-only, without a copy. */
  readonly hotels = new Map<string, Hotel>();
  /** Each hotel's search keys (city, country, location), derived once on save. */
  private readonly hotelKeys = new Map<string, HotelSearchKeys>();
  /** Hotel ids in order, for `listHotels`' paging; `null` after a hotel is added. */
  private hotelOrder: string[] | null = [];
  /** Hotel id → room type id → room type (stored frozen, like hotels). */
  private readonly roomTypes = new Map<string, Map<string, RoomType>>();
  /** Each hotel's room types in id order, kept on save: every `readStay` lists them. */
  private readonly roomTypeOrder = new Map<string, readonly RoomType[]>();
  /** Hotel id → its rate card (absent: never stored one). */
  readonly rateCards = new Map<string, RateCard>();
  /**
   * Each hotel's revision, calendar and reservation indexes, in one object (see
   * `MemoryHotel`); absent: nothing written for the hotel yet.
   */
  private readonly perHotel = new Map<string, MemoryHotel>();
  readonly reservations = new Map<string, Reservation>();
  /** Ids of `held` reservations, so expiry never scans confirmed ones. */
  readonly held = new Set<string>();
  /** Guest e-mail → ids (sets, for the reason a hotel's ids are: see `MemoryHotel`). */
  private readonly byGuest = new Map<string, Set<string>>();
  /**
   * Ids of reservations waiting for a gateway call (`pendingPaymentOf(r) !== null`),
   * kept on every write, so the recovery sweep never scans every reservation.
   */
  private readonly pendingPayments = new Set<string>();
  /** The change feed, written in the same synchronous section as each change. */
  readonly feed = new MemoryChangeFeed();

  // ── Each hotel's part ────────────────────────────────────────────────────────────

  /** The hotel's part, made empty at its first write. */
  private hotelPart(hotelId: string): MemoryHotel {
    let part = this.perHotel.get(hotelId);
    if (!part) {
      part = new MemoryHotel(hotelId);
      this.perHotel.set(hotelId, part);
    }
    return part;
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  row(hotelId: string, roomTypeId: string, date: string): CalendarDay | undefined {
    return this.perHotel.get(hotelId)?.calendar.get(roomTypeId, date);
  }

  /**
   * Stores rows: their values are copied in, so an event may keep the very objects
   * written, and what they recorded cannot change afterwards. All or nothing: a row whose
   * counts the calendar cannot hold (beyond 32 bits) refuses the whole write first.
   */
  setRows(days: CalendarDay[]): void {
    for (const day of days) DayColumns.check(day);
    let part: MemoryHotel | undefined;
    for (const day of days) {
      // Rows mostly come from one hotel: one lookup per run of them.
      if (part?.calendar.hotelId !== day.hotelId) part = this.hotelPart(day.hotelId);
      part.calendar.set(day);
    }
  }

  /** Adds deltas already checked for capacity and returns the rows after (for the event). */
  addReserved(hotelId: string, deltas: InventoryDelta[]): CalendarDay[] {
    // The hotel's calendar looked up once for all its nights, not once a night.
    const calendar = this.perHotel.get(hotelId)?.calendar;
    const after = deltas.map((delta) => {
      // A row read is a new object, the store's to change before writing it back.
      const row =
        calendar?.get(delta.roomTypeId, delta.date) ??
        emptyCalendarDay(hotelId, delta.roomTypeId, delta.date);
      row.reserved += delta.rooms;
      if (row.reserved < 0) {
        // Releasing more than is reserved means drift already happened; refuse to hide it
        // (and write nothing: this check runs before any row changes).
        throw new Error(`Release below zero on ${hotelId}/${delta.roomTypeId}@${delta.date}`);
      }
      return row;
    });
    this.setRows(after);
    return after;
  }

  pricingRevision(hotelId: string): number {
    return this.perHotel.get(hotelId)?.pricingRevision ?? 0;
  }

  /** A write a price is computed from: the hotel's pricing revision moves on. */
  reprice(hotelId: string): void {
    this.hotelPart(hotelId).pricingRevision += 1;
  }

  /** The stored rows of `roomTypes` for dates in `[from, to)`, by room type then date. */
  stayDays(hotelId: string, roomTypes: RoomType[], from: string, to: string): CalendarDay[] {
    const days: CalendarDay[] = [];
    const rows = this.perHotel.get(hotelId)?.calendar;
    for (const roomType of roomTypes) rows?.collect(roomType.id, from, to, days);
    return days;
  }

  /** The hotel's rows dated before `before`, by room type then date, after `after`. */
  rowsBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }): CalendarDay[] {
    const { hotelId, before, after, limit } = query;
    const found: CalendarDay[] = [];
    for (const roomType of this.roomTypesOf(hotelId)) {
      if (after && roomType.id < after.roomTypeId) continue;
      const rows = this.perHotel.get(hotelId)?.calendar.values(roomType.id) ?? [];
      for (const day of rows) {
        if (day.date >= before) break;
        if (after && roomType.id === after.roomTypeId && day.date <= after.date) continue;
        found.push(day);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /** Deletes a row (archived); a room type's column goes with its last row. */
  deleteRow(day: CalendarDay): void {
    this.perHotel.get(day.hotelId)?.calendar.delete(day.roomTypeId, day.date);
  }

  saveHotel(hotel: Hotel): void {
    if (!this.hotels.has(hotel.id)) this.hotelOrder = null;
    this.hotels.set(hotel.id, deepFreeze(structuredClone(hotel)));
    this.hotelKeys.set(hotel.id, hotelSearchKeys(hotel));
  }

  /**
   * `listHotels`: the hotels after `afterId` in id order that pass the filters. Memory
   * has no index to serve them: it walks the hotels in order, which at a chain's size
   * (thousands) is a fraction of a millisecond.
   */
  listHotels(query: HotelListQuery): Hotel[] {
    this.hotelOrder ??= [...this.hotels.keys()].sort((a, b) => (a < b ? -1 : 1));
    const found: Hotel[] = [];
    for (const id of this.hotelOrder) {
      if (found.length >= query.limit) break;
      if (query.afterId !== undefined && id <= query.afterId) continue;
      const hotel = this.hotels.get(id) as Hotel;
      if (keysMatchFilter(hotel.active, this.hotelKeys.get(id) as HotelSearchKeys, query)) {
        found.push(hotel);
      }
    }
    return found;
  }

  hasRoomType(hotelId: string, roomTypeId: string): boolean {
    return this.roomTypes.get(hotelId)?.has(roomTypeId) ?? false;
  }

  /** Stores a room type, frozen by the caller, in place of the one with its id. */
  putRoomType(roomType: RoomType): void {
    let types = this.roomTypes.get(roomType.hotelId);
    if (!types) {
      types = new Map();
      this.roomTypes.set(roomType.hotelId, types);
    }
    types.set(roomType.id, roomType);
    this.roomTypeOrder.set(roomType.hotelId, [...types.values()].sort(byId));
  }

  /** The hotel's room types in id order: all of them, or the named ones that exist. */
  roomTypesOf(hotelId: string, ids?: string[]): RoomType[] {
    if (ids === undefined) return [...(this.roomTypeOrder.get(hotelId) ?? [])];
    const types = this.roomTypes.get(hotelId);
    const found: RoomType[] = [];
    for (const id of ids.length === 1 ? ids : new Set(ids)) {
      const roomType = types?.get(id);
      if (roomType) found.push(roomType);
    }
    return found.length > 1 ? found.sort(byId) : found;
  }

  // ── Reservations ─────────────────────────────────────────────────────────────────

  byIdempotencyKey(hotelId: string, idempotencyKey: string): Reservation | undefined {
    const id = this.perHotel.get(hotelId)?.byKey.get(idempotencyKey);
    return id === undefined ? undefined : this.reservations.get(id);
  }

  /** Stores a new reservation (the store's own copy) with every index. */
  insertReservation(stored: Reservation): void {
    const part = this.hotelPart(stored.hotelId);
    this.reservations.set(stored.id, stored);
    part.byKey.set(stored.idempotencyKey, stored.id);
    part.ids.add(stored.id);
    addTo(this.byGuest, stored.guest.email, stored.id);
    const ref = externalRefOf(stored);
    if (ref !== null) part.byExternalRef.set(ref, stored.id);
    if (stored.status === 'held') this.held.add(stored.id);
    if (pendingPaymentOf(stored) !== null) this.pendingPayments.add(stored.id);
    indexStay(part, stored);
  }

  /** The id of the hotel's reservation holding `externalRef`, if any. */
  externalRefHolder(hotelId: string, externalRef: string): string | undefined {
    return this.perHotel.get(hotelId)?.byExternalRef.get(externalRef);
  }

  /**
   * Stores a new state of a reservation (the store's own copy): hotel and key stay; a
   * correction can change the guest's e-mail and the external reference.
   */
  replaceReservation(stored: Reservation): void {
    const part = this.hotelPart(stored.hotelId);
    const before = this.reservations.get(stored.id);
    if (before) {
      unindexStay(part, before);
      this.reindexGuest(part, before, stored);
    }
    indexStay(part, stored);
    this.reservations.set(stored.id, stored);
    if (stored.status === 'held') this.held.add(stored.id);
    else this.held.delete(stored.id);
    if (pendingPaymentOf(stored) !== null) this.pendingPayments.add(stored.id);
    else this.pendingPayments.delete(stored.id);
  }

  /** Deletes a reservation (archived) and every index entry that names it. */
  deleteReservation(r: Reservation): void {
    const part = this.perHotel.get(r.hotelId);
    if (part) {
      unindexStay(part, r);
      part.byKey.delete(r.idempotencyKey);
      part.ids.delete(r.id);
      const ref = externalRefOf(r);
      if (ref !== null) part.byExternalRef.delete(ref);
    }
    this.reservations.delete(r.id);
    removeFrom(this.byGuest, r.guest.email, r.id);
    this.held.delete(r.id);
    this.pendingPayments.delete(r.id);
  }

  /** `listReservations`, on the stored objects (the caller copies). */
  matching(query: ReservationQuery): Reservation[] {
    const { filter, after } = query;
    const ids = this.candidates(filter);
    const matches: Reservation[] = [];
    for (const id of ids ?? []) {
      const r = this.reservations.get(id);
      if (r && matchesFilter(r, filter)) matches.push(r);
    }
    matches.sort(newestFirst);
    const start = after ? matches.findIndex((r) => newestFirst(r, after) > 0) : 0;
    if (start < 0) return [];
    return matches.slice(start, start + query.limit);
  }

  /** The ids a listing looks at: the index its filter is served by. */
  private candidates(filter: ReservationQuery['filter']): Iterable<string> | undefined {
    switch (filter.by) {
      case 'guest':
        return this.byGuest.get(filter.email);
      case 'hotel':
        return this.perHotel.get(filter.hotelId)?.ids;
      case 'arrivals':
        return this.perHotel.get(filter.hotelId)?.arrivals.get(filter.date);
      case 'departures':
        return this.perHotel.get(filter.hotelId)?.departures.get(filter.date);
      case 'in-house':
        return this.perHotel.get(filter.hotelId)?.inHouse;
      case 'external-ref': {
        const id = this.perHotel.get(filter.hotelId)?.byExternalRef.get(filter.externalRef);
        return id === undefined ? [] : [id];
      }
    }
  }

  private reindexGuest(part: MemoryHotel, before: Reservation, after: Reservation): void {
    if (before.guest.email !== after.guest.email) {
      removeFrom(this.byGuest, before.guest.email, after.id);
      addTo(this.byGuest, after.guest.email, after.id);
    }
    const [was, now] = [externalRefOf(before), externalRefOf(after)];
    if (was === now) return;
    if (was !== null) part.byExternalRef.delete(was);
    if (now !== null) part.byExternalRef.set(now, after.id);
  }

  /** The calendar's hotels, room types and rows held (for tests and diagnostics). */
  calendarSizes(): { hotels: number; roomTypes: number; rows: number } {
    let hotels = 0;
    let roomTypes = 0;
    let rows = 0;
    for (const { calendar } of this.perHotel.values()) {
      if (calendar.size === 0) continue;
      hotels += 1;
      roomTypes += calendar.roomTypeIds().length;
      rows += calendar.size;
    }
    return { hotels, roomTypes, rows };
  }

  /**
   * How many ids each index holds (for tests and diagnostics): after everything is
   * archived, what is left must be what an empty store holds.
   */
  indexSizes(): Record<string, number> {
    const parts = [...this.perHotel.values()];
    const sum = (count: (part: MemoryHotel) => number) =>
      parts.reduce((n, part) => n + count(part), 0);
    return {
      reservations: this.reservations.size,
      held: this.held.size,
      byKey: sum((part) => part.byKey.size),
      byHotel: sum((part) => part.ids.size),
      byGuest: idCount(this.byGuest),
      byExternalRef: sum((part) => part.byExternalRef.size),
      byArrival: sum((part) => idCount(part.arrivals)),
      byDeparture: sum((part) => idCount(part.departures)),
      inHouse: sum((part) => part.inHouse.size),
      pendingPayments: this.pendingPayments.size,
    };
  }

  /** `listPendingPayments`, on the stored objects (the caller copies). */
  pendingBefore(updatedBefore: string, limit: number): Reservation[] {
    const due: Reservation[] = [];
    for (const id of this.pendingPayments) {
      const r = this.reservations.get(id);
      if (r && r.updatedAt <= updatedBefore) due.push(r);
    }
    due.sort(oldestChangeFirst);
    return due.slice(0, Math.max(limit, 0));
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  audit(hotelId: string | undefined, horizons: ReadonlyMap<string, string>): AuditReport {
    const days: CalendarDay[] = [];
    for (const [id, { calendar: rows }] of this.perHotel) {
      if (hotelId !== undefined && id !== hotelId) continue;
      for (const roomTypeId of rows.roomTypeIds())
        for (const day of rows.values(roomTypeId)) days.push(day);
    }
    const reservations = [...this.reservations.values()].filter(
      (r) => hotelId === undefined || r.hotelId === hotelId,
    );
    return auditCalendar(days, reservations, horizons);
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : 1;
}

/** Lists a stay in its hotel's front-desk indexes. */
function indexStay(part: MemoryHotel, r: Reservation): void {
  addTo(part.arrivals, r.checkIn, r.id);
  addTo(part.departures, r.checkOut, r.id);
  if (r.status === 'checked-in') part.inHouse.add(r.id);
}

function unindexStay(part: MemoryHotel, r: Reservation): void {
  removeFrom(part.arrivals, r.checkIn, r.id);
  removeFrom(part.departures, r.checkOut, r.id);
  part.inHouse.delete(r.id);
}
