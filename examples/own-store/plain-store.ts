/**
 * The smallest store that passes the conformance suite: every table a plain array or map,
 * every read a scan, no indexes. It is the "write your own store" example of
 * docs/store-port.md; packages/adapter-memory/test/own-store-example.test.ts runs the
 * whole suite on it.
 *
 * What makes it correct is what any store needs:
 * - Each command is one atomic section. Here that is free: a command runs start to end
 *   without an `await`, so no other call can see it half done. (A database store opens a
 *   transaction and locks the rows instead.)
 * - The core decides, the store applies. `runDecider` calls the decider on the stored
 *   reservation and checks its answer; `shortfallOf` is the capacity rule;
 *   `changeCalendarDays` the calendar edits; `bookingReplay` the idempotency rule;
 *   `auditCalendar` the audit. The store writes what they return, all or nothing.
 * - Nothing is shared with the caller: values are copied on the way in and out.
 */
import type {
  ArchivedReservation,
  CalendarDay,
  Hotel,
  HotelListQuery,
  InnkeeperEvent,
  RateCard,
  Reservation,
  Room,
  RoomType,
} from '@innkeeper/core';
import {
  type ApplyDecision,
  type ArchivedQuery,
  type ArchiveRemoval,
  archivedEntryOf,
  auditCalendar,
  availabilityView,
  type BookingOutcome,
  bookingReplay,
  type CalendarUpdate,
  changeCalendarDays,
  checkRateCardRevision,
  decideExpire,
  departedRooms,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  emptyCalendarDay,
  externalRefOf,
  type FeedCursor,
  type ForgetArchivedKeys,
  feedPrunedError,
  type InnkeeperStore,
  type InventoryDelta,
  inNightRanges,
  isArchivable,
  matchesHotelFilter,
  nightsMadeUnusable,
  onFrontDeskList,
  pendingPaymentOf,
  RESERVATION_EVENT_TYPES,
  type ReservationDecider,
  type ReservationOutcome,
  type ReservationQuery,
  type RoomNightClaim,
  type RoomSaveGuard,
  roomClaimRefusal,
  roomNightChanges,
  roomNightsOf,
  runDecider,
  type SaveMode,
  STORE_PORT_VERSION,
  sameCalendarDay,
  saveOutcome,
  shortfallOf,
  storeClosedError,
} from '@innkeeper/core/store';

const copy = <T>(value: T): T => structuredClone(value);
const key = (...parts: string[]) => parts.join('\u0000');
/** Code-point order, as SQL's `ORDER BY` on text with a binary collation. */
const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Newest first: `createdAt` descending, then `id` descending (the listing cursor's order). */
const newestFirst = (a: Reservation, b: { createdAt: string; id: string }) =>
  ascending(b.createdAt, a.createdAt) || ascending(b.id, a.id);

export class PlainStore implements InnkeeperStore {
  readonly portVersion = STORE_PORT_VERSION;
  private hotels = new Map<string, Hotel>();
  private roomTypes = new Map<string, RoomType>(); // key(hotel, room type)
  private rooms = new Map<string, Room>(); // key(hotel, room)
  private rateCards = new Map<string, RateCard>(); // hotel id
  private calendar = new Map<string, CalendarDay>(); // key(hotel, room type, date)
  private reservations = new Map<string, Reservation>(); // reservation id
  private events: InnkeeperEvent[] = [];
  private lastSeq = 0; // seqs are never reused, even after pruning
  private prunedThrough = 0;
  private cursors = new Map<string, FeedCursor>(); // consumer name: its position
  private archived = new Map<string, ArchivedReservation>(); // reservation id: the archive index
  private horizons = new Map<string, string>(); // hotel id: its archive horizon
  private pricingRevisions = new Map<string, number>(); // hotel id: its pricing revision
  private closed = false;

  // ── Catalog ────────────────────────────────────────────────────────────────────
  async saveHotel<M extends SaveMode>(hotel: Hotel, mode: M) {
    this.open('saveHotel');
    const write = this.hotels.has(hotel.id) === (mode === 'update');
    if (write) this.hotels.set(hotel.id, copy(hotel));
    if (write && mode === 'update') this.reprice(hotel.id);
    const type = mode === 'create' ? 'hotel.created' : 'hotel.updated';
    if (write) this.write([], type, hotel.updatedAt, hotel.id, null);
    return saveOutcome(mode, write);
  }
  async getHotel(hotelId: string) {
    this.open('getHotel');
    return copy(this.hotels.get(hotelId) ?? null);
  }
  async listHotels({ afterId, limit, ...filter }: HotelListQuery) {
    this.open('listHotels');
    // A real store serves the filters from indexes; a few hotels in a map need none.
    const ids = [...this.hotels.keys()].filter((id) => afterId === undefined || id > afterId);
    return ids
      .sort()
      .map((id) => this.hotels.get(id) as Hotel)
      .filter((hotel) => matchesHotelFilter(hotel, filter))
      .slice(0, limit)
      .map(copy);
  }
  async saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M) {
    this.open('saveRoomType');
    const at = key(roomType.hotelId, roomType.id);
    const write = this.roomTypes.has(at) === (mode === 'update');
    if (write) this.roomTypes.set(at, copy(roomType));
    if (write) this.reprice(roomType.hotelId);
    const type = mode === 'create' ? 'room-type.created' : 'room-type.updated';
    if (write) this.write([], type, roomType.updatedAt, roomType.hotelId, null);
    return saveOutcome(mode, write);
  }
  async listRoomTypes(hotelId: string) {
    this.open('listRoomTypes');
    return this.roomTypesOf(hotelId).map(copy);
  }
  async saveRoom<M extends SaveMode>(room: Room, mode: M, guard: RoomSaveGuard) {
    this.open('saveRoom');
    const at = key(room.hotelId, room.id);
    const stored = this.rooms.get(at);
    const write = (stored !== undefined) === (mode === 'update');
    if (!write) return saveOutcome(mode, false);
    const others = [...this.rooms.values()].filter((r) => r.hotelId === room.hotelId);
    if (others.some((r) => r.id !== room.id && r.number === room.number))
      return 'number-taken' as const;
    // The nights this save makes unusable must not be held (a new type, a spell out of order).
    const unusable = stored ? nightsMadeUnusable(stored, room, guard.assignedFrom) : [];
    const held = this.roomNights(room.hotelId).filter((n) => n.roomId === room.id);
    if (held.some((n) => inNightRanges(unusable, n.date))) return 'assigned' as const;
    if (guard.calendar) {
      const { hotelId, roomTypeId } = guard.calendar;
      const outcome = changeCalendarDays(guard.calendar, (date) =>
        this.calendar.get(key(hotelId, roomTypeId, date)),
      );
      if (outcome.kind === 'rejected') return copy(outcome);
      this.write(outcome.days, 'inventory.changed', room.updatedAt, hotelId, null);
    }
    this.rooms.set(at, copy(room));
    return saveOutcome(mode, true);
  }
  async listRooms(hotelId: string) {
    this.open('listRooms');
    return [...this.rooms.values()]
      .filter((r) => r.hotelId === hotelId)
      .sort((a, b) => ascending(a.id, b.id))
      .map(copy);
  }
  async listRoomNights(query: { hotelId: string; from: string; to: string; roomIds?: string[] }) {
    this.open('listRoomNights');
    return this.roomNights(query.hotelId)
      .filter((n) => n.date >= query.from && n.date < query.to)
      .filter((n) => query.roomIds === undefined || query.roomIds.includes(n.roomId))
      .sort((a, b) => ascending(a.roomId, b.roomId) || ascending(a.date, b.date));
  }
  async getRateCard(hotelId: string) {
    this.open('getRateCard');
    return copy(this.rateCards.get(hotelId) ?? null);
  }
  async putRateCard(card: RateCard, expectedRevision: number) {
    this.open('putRateCard');
    checkRateCardRevision(card, expectedRevision);
    if (!this.hotels.has(card.hotelId)) return 'missing' as const;
    if ((this.rateCards.get(card.hotelId)?.revision ?? 0) !== expectedRevision)
      return 'conflict' as const;
    this.rateCards.set(card.hotelId, copy(card));
    this.reprice(card.hotelId);
    this.write([], 'rate-card.updated', card.updatedAt, card.hotelId, null);
    return 'updated' as const;
  }

  // ── Calendar ───────────────────────────────────────────────────────────────────
  async updateCalendar(update: CalendarUpdate, at: string) {
    this.open('updateCalendar');
    const { hotelId, roomTypeId } = update;
    const outcome = changeCalendarDays(update, (date) =>
      this.calendar.get(key(hotelId, roomTypeId, date)),
    );
    if (outcome.kind === 'updated') {
      this.write(outcome.days, 'inventory.changed', at, hotelId, null);
      if (update.rate !== undefined) this.reprice(hotelId);
    }
    return copy(outcome);
  }
  async readStay(query: { hotelId: string; roomTypeIds?: string[]; from: string; to: string }) {
    this.open('readStay');
    const hotel = this.hotels.get(query.hotelId);
    if (!hotel) return null;
    const roomTypes = this.roomTypesOf(query.hotelId, query.roomTypeIds);
    const days = roomTypes.flatMap((rt) =>
      [...this.calendar.values()]
        .filter((d) => d.hotelId === hotel.id && d.roomTypeId === rt.id)
        .filter((d) => d.date >= query.from && d.date < query.to)
        .sort((a, b) => ascending(a.date, b.date)),
    );
    const rateCard = this.rateCards.get(hotel.id) ?? null;
    const pricingRevision = this.pricingRevisions.get(hotel.id) ?? 0;
    return copy({ hotel, roomTypes, rateCard, days, pricingRevision });
  }
  async readStays(query: { hotelIds: string[]; from: string; to: string }) {
    this.open('readStays');
    const stays = [];
    for (const hotelId of query.hotelIds) {
      const stay = await this.readStay({ hotelId, from: query.from, to: query.to });
      if (stay !== null) stays.push(availabilityView(stay));
    }
    return stays;
  }

  // ── Reservations ───────────────────────────────────────────────────────────────
  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }) {
    this.open('applyBooking');
    const { reservation: r, deltas } = plan;
    const existing = [...this.reservations.values()].find(
      (e) => e.hotelId === r.hotelId && e.idempotencyKey === r.idempotencyKey,
    );
    if (existing) return bookingReplay(copy(existing), r.requestFingerprint);
    const archived = [...this.archived.values()].find(
      (e) =>
        e.hotelId === r.hotelId &&
        e.idempotencyKey !== null &&
        e.idempotencyKey === r.idempotencyKey,
    );
    if (archived) return { kind: 'key-archived' as const, archived: copy(archived) };
    // Priced on what has changed since (a rate, the card, a room type, the hotel)?
    const pricingRevision = this.pricingRevisions.get(r.hotelId) ?? 0;
    if (plan.pricingRevision !== undefined && plan.pricingRevision !== pricingRevision)
      return { kind: 'repriced' as const, pricingRevision };
    const refused = this.refusal(r.hotelId, deltas);
    if (refused) return refused;
    const days = this.reserve(r.hotelId, deltas);
    this.reservations.set(r.id, copy(r));
    this.write(days, 'reservation.created', r.createdAt, r.hotelId, r.id);
    return { kind: 'created', reservation: copy(r) } satisfies BookingOutcome;
  }
  async changeReservation(reservationId: string, decide: ReservationDecider) {
    this.open('changeReservation');
    const stored = this.reservations.get(reservationId);
    if (!stored) return { kind: 'not-found' } as const;
    const decision = runDecider(copy(stored), decide);
    if (decision.kind !== 'apply') return { kind: decision.kind, reservation: copy(stored) };
    return this.apply(stored, decision);
  }
  async expireHolds({ now, limit }: { now: string; limit: number }) {
    this.open('expireHolds');
    const expired: Reservation[] = [];
    for (const r of this.reservations.values()) {
      if (expired.length >= limit) break;
      const decision = decideExpire(r, now);
      if (decision.kind !== 'apply') continue;
      const outcome = this.apply(r, decision);
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
  }
  async getReservation(reservationId: string) {
    this.open('getReservation');
    return copy(this.reservations.get(reservationId) ?? null);
  }
  async findReservationByKey(hotelId: string, idempotencyKey: string) {
    this.open('findReservationByKey');
    const found = [...this.reservations.values()].find(
      (r) => r.hotelId === hotelId && r.idempotencyKey === idempotencyKey,
    );
    return copy(found ?? null);
  }
  async listReservations({ filter, limit, after }: ReservationQuery) {
    this.open('listReservations');
    const matches = [...this.reservations.values()].filter((r) => {
      if (filter.by === 'guest') {
        return r.guest.email === filter.email && (filter.hotelId ?? r.hotelId) === r.hotelId;
      }
      if (r.hotelId !== filter.hotelId) return false;
      if (filter.by === 'external-ref') return externalRefOf(r) === filter.externalRef;
      // The front desk's lists: the core's rule says who is on them.
      if (filter.by !== 'hotel') return onFrontDeskList(r, filter.by, filter.date);
      return (
        (filter.from === undefined || r.checkOut > filter.from) &&
        (filter.to === undefined || r.checkIn < filter.to) &&
        (filter.statuses === undefined || filter.statuses.includes(r.status))
      );
    });
    return matches
      .filter((r) => after === undefined || newestFirst(r, after) > 0)
      .sort(newestFirst)
      .slice(0, limit)
      .map(copy);
  }
  async listPendingPayments({ updatedBefore, limit }: { updatedBefore: string; limit: number }) {
    this.open('listPendingPayments');
    return [...this.reservations.values()]
      .filter((r) => pendingPaymentOf(r) !== null && r.updatedAt <= updatedBefore)
      .sort((a, b) => ascending(a.updatedAt, b.updatedAt) || ascending(a.id, b.id))
      .slice(0, Math.max(limit, 0))
      .map(copy);
  }

  // ── Archive ────────────────────────────────────────────────────────────────────
  async listArchivable(query: {
    hotelId: string;
    before: string;
    afterId?: string;
    limit: number;
  }) {
    this.open('listArchivable');
    const { hotelId, before, afterId, limit } = query;
    return [...this.reservations.values()]
      .filter((r) => r.hotelId === hotelId && isArchivable(r, before))
      .filter((r) => afterId === undefined || r.id > afterId)
      .sort((a, b) => ascending(a.id, b.id))
      .slice(0, Math.max(limit, 0))
      .map(copy);
  }
  async listCalendarBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }) {
    this.open('listCalendarBefore');
    const { hotelId, before, after, limit } = query;
    const position = (d: { roomTypeId: string; date: string }) => key(d.roomTypeId, d.date);
    return [...this.calendar.values()]
      .filter((d) => d.hotelId === hotelId && d.date < before)
      .filter((d) => after === undefined || position(d) > position(after))
      .sort((a, b) => ascending(position(a), position(b)))
      .slice(0, Math.max(limit, 0))
      .map(copy);
  }
  async removeArchived(command: ArchiveRemoval) {
    this.open('removeArchived');
    const { hotelId, file, archivedAt, calendar } = command;
    const outcome = { removed: [] as string[], kept: [] as string[], daysRemoved: 0, daysKept: 0 };
    for (const { id, version } of command.reservations) {
      const stored = this.reservations.get(id);
      if (stored?.hotelId !== hotelId || stored.version !== version) {
        outcome.kept.push(id);
        continue;
      }
      this.reservations.delete(id); // its room-nights are derived: they go with it
      this.archived.set(id, archivedEntryOf(stored, file, archivedAt));
      outcome.removed.push(id);
    }
    for (const day of calendar?.days ?? []) {
      const at = key(hotelId, day.roomTypeId, day.date);
      const stored = this.calendar.get(at);
      const same = day.hotelId === hotelId && stored && sameCalendarDay(stored, day);
      if (same) this.calendar.delete(at);
      outcome[same ? 'daysRemoved' : 'daysKept']++;
    }
    const horizon = this.horizons.get(hotelId);
    if (calendar && (horizon === undefined || horizon < calendar.before)) {
      this.horizons.set(hotelId, calendar.before);
    }
    return outcome;
  }
  async findArchived(query: ArchivedQuery) {
    this.open('findArchived');
    const entries = [...this.archived.values()].sort((a, b) =>
      ascending(a.reservationId, b.reservationId),
    );
    switch (query.by) {
      case 'ids':
        return copy(entries.filter((e) => query.reservationIds.includes(e.reservationId)));
      case 'key':
        return copy(
          entries.filter(
            (e) => e.hotelId === query.hotelId && e.idempotencyKey === query.idempotencyKey,
          ),
        );
      case 'guest':
        return copy(
          entries
            .filter((e) => e.guestEmail === query.email)
            .filter((e) => query.hotelId === undefined || e.hotelId === query.hotelId)
            .filter((e) => query.afterId === undefined || e.reservationId > query.afterId)
            .slice(0, Math.max(query.limit, 0)),
        );
    }
  }
  async getArchiveHorizon(hotelId: string) {
    this.open('getArchiveHorizon');
    return this.horizons.get(hotelId) ?? null;
  }
  async forgetArchivedKeys(command: ForgetArchivedKeys) {
    this.open('forgetArchivedKeys');
    const { archivedBy, limit, key } = command;
    const due = [...this.archived.values()]
      .filter((e) => e.idempotencyKey !== null && e.archivedAt <= archivedBy)
      .filter((e) => !key || (e.hotelId === key.hotelId && e.idempotencyKey === key.idempotencyKey))
      .sort((a, b) => ascending(a.archivedAt, b.archivedAt))
      .slice(0, Math.max(limit, 0));
    for (const e of due) this.archived.set(e.reservationId, { ...e, idempotencyKey: null });
    return due.length;
  }

  // ── Integrity, change feed, lifecycle ──────────────────────────────────────────
  async audit(options?: { hotelId?: string }) {
    this.open('audit');
    const mine = (x: { hotelId: string }) => (options?.hotelId ?? x.hotelId) === x.hotelId;
    return auditCalendar(
      [...this.calendar.values()].filter(mine),
      [...this.reservations.values()].filter(mine),
      this.horizons,
    );
  }
  async eraseArchivedEntries(reservationIds: string[]) {
    this.open('eraseArchivedEntries');
    let erased = 0;
    for (const id of new Set(reservationIds)) {
      const entry = this.archived.get(id);
      if (!entry || entry.guestEmail === ERASED_GUEST_EMAIL) continue;
      this.archived.set(id, {
        ...entry,
        guestEmail: ERASED_GUEST_EMAIL,
        requestFingerprint: ERASED_FINGERPRINT,
      });
      erased++;
    }
    return erased;
  }
  async readEvents(afterSeq: number, limit: number) {
    this.open('readEvents');
    if (afterSeq < this.prunedThrough) throw feedPrunedError(afterSeq, this.prunedThrough);
    return copy(this.events.filter((e) => e.seq > afterSeq).slice(0, limit));
  }
  async pruneEvents(command: { before: string; throughSeq?: number; limit: number }) {
    this.open('pruneEvents');
    const { before, throughSeq = Number.POSITIVE_INFINITY, limit } = command;
    // A prefix in seq order, never the newest event.
    let n = 0;
    for (const e of this.events.slice(0, Math.max(0, this.events.length - 1))) {
      if (n >= limit || e.at >= before || e.seq > throughSeq) break;
      n++;
    }
    if (n > 0) this.prunedThrough = Math.max(this.prunedThrough, this.events[n - 1]?.seq ?? 0);
    this.events = this.events.slice(n);
    return { pruned: n, prunedThrough: this.prunedThrough };
  }
  async saveFeedCursor(cursor: FeedCursor) {
    this.open('saveFeedCursor');
    this.cursors.set(cursor.name, copy(cursor));
  }
  async listFeedCursors() {
    this.open('listFeedCursors');
    return copy([...this.cursors.values()].sort((a, b) => ascending(a.name, b.name)));
  }
  async deleteFeedCursor(name: string) {
    this.open('deleteFeedCursor');
    return this.cursors.delete(name);
  }
  async close() {
    this.closed = true;
  }

  // ── Internals: synchronous, so a command that calls them stays one atomic section ──
  private apply(current: Reservation, decision: ApplyDecision): ReservationOutcome {
    const { next, deltas, action } = decision;
    // External references are unique per hotel (a correction can set one).
    const externalRef = externalRefOf(next);
    const holder = [...this.reservations.values()].find(
      (r) => r.id !== next.id && r.hotelId === next.hotelId && externalRefOf(r) === externalRef,
    );
    if (externalRef !== null && holder) {
      return { kind: 'external-ref-taken', externalRef, holderId: holder.id };
    }
    const refused = this.refusal(next.hotelId, deltas) ?? this.roomRefusal(current, next);
    if (refused) return refused;
    const days = this.reserve(next.hotelId, deltas);
    this.reservations.set(next.id, copy(next));
    // A departure leaves its rooms to housekeeping.
    for (const roomId of departedRooms(current, next)) {
      const at = key(next.hotelId, roomId);
      const room = this.rooms.get(at);
      if (room) this.rooms.set(at, { ...room, housekeeping: 'dirty', updatedAt: next.updatedAt });
    }
    this.write(days, RESERVATION_EVENT_TYPES[action], next.updatedAt, next.hotelId, next.id);
    return { kind: 'applied', reservation: copy(next) };
  }
  /** Every night a positive delta does not fit (the core's capacity rule), or none. */
  private refusal(hotelId: string, deltas: InventoryDelta[]) {
    const nights = deltas.flatMap(
      (d) => shortfallOf(this.calendar.get(key(hotelId, d.roomTypeId, d.date)), d) ?? [],
    );
    return nights.length > 0 ? ({ kind: 'unavailable', nights } as const) : null;
  }
  /** What the core's rule says of the room-nights `next` newly claims. */
  private roomRefusal(current: Reservation, next: Reservation): ReservationOutcome | null {
    const held = this.roomNights(next.hotelId);
    return roomClaimRefusal(roomNightChanges(current, next).claimed, next.id, {
      room: (roomId) => this.rooms.get(key(next.hotelId, roomId)),
      holder: (roomId, date) =>
        held.find((n) => n.roomId === roomId && n.date === date)?.reservationId,
    });
  }
  /** Every room-night claimed by the hotel's reservations (derived, never stored). */
  private roomNights(hotelId: string): RoomNightClaim[] {
    return [...this.reservations.values()]
      .filter((r) => r.hotelId === hotelId)
      .flatMap((r) =>
        roomNightsOf(r.status, r.rooms ?? []).map((n) => ({ ...n, reservationId: r.id })),
      );
  }
  /**
   * The rows after adding the deltas (already checked by `refusal`), before anything is
   * written. A release below zero means the books already disagree: refuse it, not hide it.
   */
  private reserve(hotelId: string, deltas: InventoryDelta[]): CalendarDay[] {
    return deltas.map((d) => {
      const row =
        this.calendar.get(key(hotelId, d.roomTypeId, d.date)) ??
        emptyCalendarDay(hotelId, d.roomTypeId, d.date);
      const reserved = row.reserved + d.rooms;
      if (reserved < 0)
        throw new Error(`Release below zero on ${hotelId}/${d.roomTypeId}@${d.date}`);
      return { ...row, reserved };
    });
  }
  /** Stores the rows and appends the one event that describes the change. */
  private write(
    days: CalendarDay[],
    type: InnkeeperEvent['type'],
    at: string,
    hotelId: string,
    reservationId: string | null,
  ) {
    for (const day of days)
      this.calendar.set(key(day.hotelId, day.roomTypeId, day.date), copy(day));
    this.lastSeq++;
    this.events.push(copy({ seq: this.lastSeq, type, at, hotelId, reservationId, days }));
  }
  private roomTypesOf(hotelId: string, ids?: string[]): RoomType[] {
    return [...this.roomTypes.values()]
      .filter((rt) => rt.hotelId === hotelId && (ids === undefined || ids.includes(rt.id)))
      .sort((a, b) => ascending(a.id, b.id));
  }
  /** A write that prices are computed from: the hotel's pricing revision moves on. */
  private reprice(hotelId: string): void {
    this.pricingRevisions.set(hotelId, (this.pricingRevisions.get(hotelId) ?? 0) + 1);
  }
  private open(operation: string): void {
    if (this.closed) throw storeClosedError('plain store', operation);
  }
}
