import {
  type AuditReport,
  auditCalendar,
  type BookingOutcome,
  type CalendarConflict,
  type CalendarDay,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDay,
  cloneReservation,
  type Decision,
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideExpire,
  decideModification,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
  eachDate,
  emptyCalendarDay,
  type Hotel,
  type InnkeeperEvent,
  type InnkeeperStore,
  type InventoryDelta,
  type ModificationChange,
  type NewEvent,
  type PaymentRecord,
  pendingPaymentOf,
  type RateCard,
  RESERVATION_EVENT_TYPES,
  type Reservation,
  type ReservationOutcome,
  type ReservationQuery,
  type RoomType,
  shortfallOf,
  type UnavailableNight,
} from '@innkeeper/core';
import { matchesFilter, newestFirst } from './memory-query.js';

function calendarKey(hotelId: string, roomTypeId: string): string {
  return `${hotelId}\u0000${roomTypeId}`;
}

/**
 * The reference store: plain maps in one process.
 *
 * Atomicity comes from JavaScript itself: every command runs start to finish without an
 * `await`, so no other call can observe or interleave with a half-applied change. Keep
 * it that way: an `await` inside a command would reintroduce exactly the race the
 * conformance suite's interleaving tests look for. Everything handed in is copied on
 * the way in and everything handed out is copied on the way out, so callers never share
 * objects with the store.
 */
export class MemoryStore implements InnkeeperStore {
  /** The store port this class implements (see `STORE_PORT_VERSION` in the core). */
  readonly portVersion = 1;
  private readonly hotels = new Map<string, Hotel>();
  private readonly roomTypes = new Map<string, Map<string, RoomType>>();
  /** (hotel, room type) → date → row. */
  private readonly calendar = new Map<string, Map<string, CalendarDay>>();
  private readonly reservations = new Map<string, Reservation>();
  /** (hotel, idempotency key) → reservation id. */
  private readonly byKey = new Map<string, string>();
  private readonly byHotel = new Map<string, string[]>();
  private readonly byGuest = new Map<string, string[]>();
  /** Ids of `held` reservations, so expiry never scans confirmed ones. */
  private readonly held = new Set<string>();
  /**
   * Ids of reservations waiting for a gateway call (`pendingPaymentOf(r) !== null`),
   * kept on every write, so the recovery sweep never scans every reservation.
   */
  private readonly pendingPayments = new Set<string>();
  /** Hotel id → its rate card (absent: never stored one). */
  private readonly rateCards = new Map<string, RateCard>();
  private readonly events: InnkeeperEvent[] = [];
  private closed = false;

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async insertHotel(hotel: Hotel): Promise<'created' | 'exists'> {
    this.assertOpen();
    if (this.hotels.has(hotel.id)) return 'exists';
    this.hotels.set(hotel.id, { ...hotel });
    return 'created';
  }

  async updateHotel(hotel: Hotel): Promise<'updated' | 'missing'> {
    this.assertOpen();
    if (!this.hotels.has(hotel.id)) return 'missing';
    this.hotels.set(hotel.id, { ...hotel });
    return 'updated';
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    this.assertOpen();
    const hotel = this.hotels.get(hotelId);
    return hotel ? { ...hotel } : null;
  }

  async listHotels(query: { afterId?: string; limit: number }): Promise<Hotel[]> {
    this.assertOpen();
    const after = query.afterId;
    return [...this.hotels.values()]
      .filter((h) => after === undefined || h.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, query.limit)
      .map((h) => ({ ...h }));
  }

  async insertRoomType(roomType: RoomType): Promise<'created' | 'exists'> {
    this.assertOpen();
    const types = this.roomTypes.get(roomType.hotelId) ?? new Map<string, RoomType>();
    this.roomTypes.set(roomType.hotelId, types);
    if (types.has(roomType.id)) return 'exists';
    types.set(roomType.id, { ...roomType });
    return 'created';
  }

  async updateRoomType(roomType: RoomType): Promise<'updated' | 'missing'> {
    this.assertOpen();
    const types = this.roomTypes.get(roomType.hotelId);
    if (!types?.has(roomType.id)) return 'missing';
    types.set(roomType.id, { ...roomType });
    return 'updated';
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    this.assertOpen();
    return this.sortedRoomTypes(hotelId).map((rt) => ({ ...rt }));
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    this.assertOpen();
    const card = this.rateCards.get(hotelId);
    return card ? structuredClone(card) : null;
  }

  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    this.assertOpen();
    if (!this.hotels.has(card.hotelId)) return 'missing';
    const storedRevision = this.rateCards.get(card.hotelId)?.revision ?? 0;
    if (storedRevision !== expectedRevision) return 'conflict';
    this.rateCards.set(card.hotelId, structuredClone(card));
    return 'updated';
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    this.assertOpen();
    const rows = this.rowsOf(update.hotelId, update.roomTypeId);
    const next: CalendarDay[] = [];
    const conflicts: CalendarConflict[] = [];
    // Decide every date first and write only if all pass: all-or-nothing.
    for (const date of update.dates) {
      const current = rows?.get(date) ?? emptyCalendarDay(update.hotelId, update.roomTypeId, date);
      const change = changeCalendarDay(current, update);
      if (change.ok) next.push(change.day);
      else conflicts.push(change.conflict);
    }
    if (conflicts.length > 0) return { kind: 'rejected', conflicts };
    const target = this.rowsOf(update.hotelId, update.roomTypeId, true);
    for (const day of next) target.set(day.date, day);
    this.append({
      type: 'inventory.changed',
      at,
      hotelId: update.hotelId,
      reservationId: null,
      days: next,
    });
    return { kind: 'updated', days: next.map((d) => ({ ...d })) };
  }

  async readStay(query: { hotelId: string; roomTypeIds?: string[]; from: string; to: string }) {
    this.assertOpen();
    const hotel = this.hotels.get(query.hotelId);
    if (!hotel) return null;
    const roomTypes = query.roomTypeIds
      ? this.pickRoomTypes(query.hotelId, query.roomTypeIds)
      : this.sortedRoomTypes(query.hotelId);
    const dates = eachDate(query.from, query.to);
    const days: CalendarDay[] = [];
    for (const roomType of roomTypes) {
      const rows = this.rowsOf(query.hotelId, roomType.id);
      if (!rows) continue;
      for (const date of dates) {
        const day = rows.get(date);
        if (day) days.push({ ...day });
      }
    }
    const rateCard = this.rateCards.get(query.hotelId);
    return {
      hotel: { ...hotel },
      roomTypes: roomTypes.map((rt) => ({ ...rt })),
      rateCard: rateCard ? structuredClone(rateCard) : null,
      days,
    };
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    this.assertOpen();
    const { reservation, deltas } = plan;
    const keyId = calendarKey(reservation.hotelId, reservation.idempotencyKey);
    const existingId = this.byKey.get(keyId);
    const existing = existingId === undefined ? undefined : this.reservations.get(existingId);
    if (existing) {
      const kind =
        existing.requestFingerprint === reservation.requestFingerprint ? 'replayed' : 'key-reused';
      return { kind, reservation: cloneReservation(existing) };
    }
    const shortfalls = this.shortfalls(reservation.hotelId, deltas);
    if (shortfalls.length > 0) return { kind: 'unavailable', nights: shortfalls };

    const stored = cloneReservation(reservation);
    const days = this.applyDeltas(stored.hotelId, deltas);
    this.reservations.set(stored.id, stored);
    this.byKey.set(keyId, stored.id);
    pushTo(this.byHotel, stored.hotelId, stored.id);
    pushTo(this.byGuest, stored.guest.email, stored.id);
    if (stored.status === 'held') this.held.add(stored.id);
    if (pendingPaymentOf(stored) !== null) this.pendingPayments.add(stored.id);
    this.append({
      type: 'reservation.created',
      at: stored.createdAt,
      hotelId: stored.hotelId,
      reservationId: stored.id,
      days,
    });
    // The plan's reservation is already the caller's own object and equals what was stored.
    return { kind: 'created', reservation };
  }

  async confirmHold(command: {
    reservationId: string;
    at: string;
    payment?: PaymentRecord;
  }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideConfirm(r, command.at, command.payment),
    );
  }

  async releaseHold(command: {
    reservationId: string;
    at: string;
    reason: string;
    payment: PaymentRecord | null;
  }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideRelease(r, command.at, command.reason, command.payment),
    );
  }

  async markNoShow(command: { reservationId: string; at: string }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) => decideNoShow(r, command.at));
  }

  async beginCharge(command: {
    reservationId: string;
    at: string;
    payment: PaymentRecord;
  }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideBeginCharge(r, command.at, command.payment),
    );
  }

  async recordRefund(command: {
    reservationId: string;
    at: string;
    refundId: string;
  }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideRefundRecorded(r, command.at, command.refundId),
    );
  }

  async applyCancellation(command: {
    reservationId: string;
    at: string;
    reason?: string;
  }): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideCancel(r, command.at, command.reason),
    );
  }

  async applyModification(
    command: ModificationChange & { reservationId: string; at: string },
  ): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.decideAndApply(command.reservationId, (r) =>
      decideModification(r, command, command.at),
    );
  }

  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    this.assertOpen();
    const expired: Reservation[] = [];
    // Every held reservation is looked at until `limit` have expired: a hold that
    // `decideExpire` leaves alone (not due yet, or its charge is pending) is skipped,
    // never counted, so it cannot starve the holds behind it.
    for (const id of this.held) {
      if (expired.length >= command.limit) break;
      const current = this.reservations.get(id);
      if (!current) continue;
      const decision = decideExpire(current, command.now);
      if (decision.kind !== 'apply') continue;
      const outcome = this.applyDecision(current, decision);
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
  }

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation | null> {
    this.assertOpen();
    const reservation = this.reservations.get(reservationId);
    return reservation ? cloneReservation(reservation) : null;
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    this.assertOpen();
    const id = this.byKey.get(calendarKey(hotelId, idempotencyKey));
    const reservation = id === undefined ? undefined : this.reservations.get(id);
    return reservation ? cloneReservation(reservation) : null;
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    this.assertOpen();
    const { filter, after } = query;
    const ids =
      filter.by === 'guest' ? this.byGuest.get(filter.email) : this.byHotel.get(filter.hotelId);
    const matches: Reservation[] = [];
    for (const id of ids ?? []) {
      const r = this.reservations.get(id);
      if (r && matchesFilter(r, filter)) matches.push(r);
    }
    matches.sort(newestFirst);
    const start = after ? matches.findIndex((r) => newestFirst(r, after) > 0) : 0;
    if (start < 0) return [];
    return matches.slice(start, start + query.limit).map(cloneReservation);
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    this.assertOpen();
    const due: Reservation[] = [];
    for (const id of this.pendingPayments) {
      const r = this.reservations.get(id);
      if (r && r.updatedAt <= query.updatedBefore) due.push(r);
    }
    due.sort(oldestChangeFirst);
    return due.slice(0, Math.max(query.limit, 0)).map(cloneReservation);
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    this.assertOpen();
    const hotelId = options?.hotelId;
    const days: CalendarDay[] = [];
    for (const rows of this.calendar.values()) {
      for (const day of rows.values())
        if (hotelId === undefined || day.hotelId === hotelId) days.push(day);
    }
    const reservations = [...this.reservations.values()].filter(
      (r) => hotelId === undefined || r.hotelId === hotelId,
    );
    return auditCalendar(days, reservations);
  }

  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    this.assertOpen();
    // seq n is stored at index n - 1, so the slice starts right after `afterSeq`.
    return this.events
      .slice(Math.max(afterSeq, 0), Math.max(afterSeq, 0) + limit)
      .map((e) => ({ ...e, days: e.days.map((d) => ({ ...d })) }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ── Internals (all synchronous: they run inside a command's critical section) ─────

  private decideAndApply(
    reservationId: string,
    decide: (current: Reservation) => Decision,
  ): ReservationOutcome {
    const current = this.reservations.get(reservationId);
    if (!current) return { kind: 'not-found' };
    const decision = decide(current);
    if (decision.kind !== 'apply')
      return { kind: decision.kind, reservation: cloneReservation(current) };
    return this.applyDecision(current, decision);
  }

  /** Writes an `apply` decision: its deltas, the new reservation, its indexes, its event. */
  private applyDecision(
    current: Reservation,
    decision: Extract<Decision, { kind: 'apply' }>,
  ): ReservationOutcome {
    const shortfalls = this.shortfalls(current.hotelId, decision.deltas);
    if (shortfalls.length > 0) return { kind: 'unavailable', nights: shortfalls };

    const next = cloneReservation(decision.next);
    const days = this.applyDeltas(next.hotelId, decision.deltas);
    this.reservations.set(next.id, next);
    if (next.status === 'held') this.held.add(next.id);
    else this.held.delete(next.id);
    if (pendingPaymentOf(next) !== null) this.pendingPayments.add(next.id);
    else this.pendingPayments.delete(next.id);
    this.append({
      type: RESERVATION_EVENT_TYPES[decision.action],
      at: next.updatedAt,
      hotelId: next.hotelId,
      reservationId: next.id,
      days,
    });
    return { kind: 'applied', reservation: cloneReservation(next) };
  }

  private shortfalls(hotelId: string, deltas: InventoryDelta[]): UnavailableNight[] {
    const found: UnavailableNight[] = [];
    for (const delta of deltas) {
      const shortfall = shortfallOf(this.rowsOf(hotelId, delta.roomTypeId)?.get(delta.date), delta);
      if (shortfall) found.push(shortfall);
    }
    return found;
  }

  /**
   * Applies deltas already checked by `shortfalls` and returns the new rows. Rows are
   * never mutated in place (each change stores a new object), so an event may keep
   * these very objects: what it recorded cannot change afterwards.
   */
  private applyDeltas(hotelId: string, deltas: InventoryDelta[]): CalendarDay[] {
    const after = deltas.map((delta) => {
      const row =
        this.rowsOf(hotelId, delta.roomTypeId)?.get(delta.date) ??
        emptyCalendarDay(hotelId, delta.roomTypeId, delta.date);
      const reserved = row.reserved + delta.rooms;
      if (reserved < 0) {
        // Releasing more than is reserved means drift already happened; refuse to hide it
        // (and write nothing: this check runs before any row changes).
        throw new Error(`Release below zero on ${hotelId}/${delta.roomTypeId}@${delta.date}`);
      }
      return { ...row, reserved };
    });
    for (const day of after) this.rowsOf(hotelId, day.roomTypeId, true).set(day.date, day);
    return after;
  }

  private rowsOf(hotelId: string, roomTypeId: string): Map<string, CalendarDay> | undefined;
  private rowsOf(hotelId: string, roomTypeId: string, create: true): Map<string, CalendarDay>;
  private rowsOf(hotelId: string, roomTypeId: string, create = false) {
    const key = calendarKey(hotelId, roomTypeId);
    const rows = this.calendar.get(key);
    if (rows || !create) return rows;
    const created = new Map<string, CalendarDay>();
    this.calendar.set(key, created);
    return created;
  }

  /** The named room types that exist, in id order (the booking path names one or two). */
  private pickRoomTypes(hotelId: string, ids: string[]): RoomType[] {
    const types = this.roomTypes.get(hotelId);
    const found: RoomType[] = [];
    for (const id of new Set(ids)) {
      const roomType = types?.get(id);
      if (roomType) found.push(roomType);
    }
    return found.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private sortedRoomTypes(hotelId: string): RoomType[] {
    return [...(this.roomTypes.get(hotelId)?.values() ?? [])].sort((a, b) =>
      a.id < b.id ? -1 : 1,
    );
  }

  private append(event: NewEvent): void {
    const { type, at, hotelId, reservationId, days } = event;
    this.events.push({ seq: this.events.length + 1, type, at, hotelId, reservationId, days });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('This memory store is closed');
  }
}

/** `updatedAt` ascending, then `id`: the order the payment recovery sweep works in. */
function oldestChangeFirst(a: Reservation, b: Reservation): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

function pushTo(index: Map<string, string[]>, key: string, id: string): void {
  const ids = index.get(key);
  if (ids) ids.push(id);
  else index.set(key, [id]);
}

/** A new, empty, fully isolated store: nothing is shared between two instances. */
export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
