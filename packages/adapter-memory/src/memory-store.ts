import {
  type ArchivedReservation,
  type AuditReport,
  type AvailabilityView,
  type CalendarDay,
  cloneReservation,
  type Hotel,
  type HotelListQuery,
  type InnkeeperEvent,
  type InnkeeperStore,
  type IsoDate,
  type RateCard,
  type Reservation,
  type ReservationQuery,
  type Room,
  type RoomType,
  type StaysQuery,
  type UnavailableNight,
} from '@innkeeper/core';
import {
  type ArchivedQuery,
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  availabilityView,
  type BookingOutcome,
  bookingReplay,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDays,
  checkRateCardRevision,
  decideExpire,
  deepFreeze,
  type FeedCursor,
  type ForgetArchivedKeys,
  type InventoryDelta,
  type ReservationDecider,
  type ReservationOutcome,
  type RoomNightClaim,
  type RoomSaveGuard,
  type RoomSaveOutcome,
  runDecider,
  type SaveMode,
  type SaveOutcome,
  saveOutcome,
  storeClosedError,
} from '@innkeeper/core/store';

import { MemoryArchive } from './memory-archive.js';
import { archivableReservations, removeArchived } from './memory-archiving.js';
import { applyDecision, type MemoryParts, shortfallsOf } from './memory-decisions.js';
import { MemoryRooms } from './memory-rooms.js';
import { MemoryTables } from './memory-tables.js';

/**
 * The reference store: plain maps in one process (`MemoryTables`).
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
  readonly portVersion = 8;
  private readonly tables = new MemoryTables();
  private readonly rooms = new MemoryRooms();
  private readonly archive = new MemoryArchive();
  /** What the commands of `memory-decisions.ts` and `memory-archiving.ts` write to. */
  private readonly parts: MemoryParts = {
    tables: this.tables,
    rooms: this.rooms,
    archive: this.archive,
  };
  private closed = false;

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async saveHotel<M extends SaveMode>(hotel: Hotel, mode: M): Promise<SaveOutcome<M>> {
    this.assertOpen('saveHotel');
    const exists = this.tables.hotels.has(hotel.id);
    const write = mode === 'create' ? !exists : exists;
    if (write) {
      this.tables.saveHotel(hotel);
      if (mode === 'update') this.tables.reprice(hotel.id);
      this.tables.feed.appendCatalog(
        mode === 'create' ? 'hotel.created' : 'hotel.updated',
        hotel.updatedAt,
        hotel.id,
      );
    }
    return saveOutcome(mode, write);
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    this.assertOpen('getHotel');
    const hotel = this.tables.hotels.get(hotelId);
    return hotel ? structuredClone(hotel) : null;
  }

  async listHotels(query: HotelListQuery): Promise<Hotel[]> {
    this.assertOpen('listHotels');
    return this.tables.listHotels(query).map((hotel) => structuredClone(hotel));
  }

  async saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M): Promise<SaveOutcome<M>> {
    this.assertOpen('saveRoomType');
    const exists = this.tables.hasRoomType(roomType.hotelId, roomType.id);
    const write = mode === 'create' ? !exists : exists;
    if (write) {
      // Stored frozen, like the rate card: `readStay` hands it out without a copy.
      this.tables.putRoomType(deepFreeze(structuredClone(roomType)));
      this.tables.reprice(roomType.hotelId);
      this.tables.feed.appendCatalog(
        mode === 'create' ? 'room-type.created' : 'room-type.updated',
        roomType.updatedAt,
        roomType.hotelId,
      );
    }
    return saveOutcome(mode, write);
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    this.assertOpen('listRoomTypes');
    return this.tables.roomTypesOf(hotelId).map((rt) => structuredClone(rt));
  }

  async saveRoom<M extends SaveMode>(
    room: Room,
    mode: M,
    guard: RoomSaveGuard,
  ): Promise<RoomSaveOutcome<M>> {
    this.assertOpen('saveRoom');
    const refused = this.rooms.refuseSave(room, mode, guard.assignedFrom);
    if (refused) return refused;
    if (guard.calendar) {
      const outcome = this.changeCalendar(guard.calendar, room.updatedAt);
      if (outcome.kind === 'rejected') return outcome;
    }
    return this.rooms.write(room, mode);
  }

  async listRooms(hotelId: string): Promise<Room[]> {
    this.assertOpen('listRooms');
    return this.rooms.list(hotelId);
  }

  async listRoomNights(query: {
    hotelId: string;
    from: IsoDate;
    to: IsoDate;
    roomIds?: string[];
  }): Promise<RoomNightClaim[]> {
    this.assertOpen('listRoomNights');
    return this.rooms.claims(query);
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    this.assertOpen('getRateCard');
    const card = this.tables.rateCards.get(hotelId);
    return card ? structuredClone(card) : null;
  }

  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    this.assertOpen('putRateCard');
    checkRateCardRevision(card, expectedRevision);
    if (!this.tables.hotels.has(card.hotelId)) return 'missing';
    const storedRevision = this.tables.rateCards.get(card.hotelId)?.revision ?? 0;
    if (storedRevision !== expectedRevision) return 'conflict';
    // Stored frozen: `readStay` hands this very object to the engine on every booking
    // (copying a rate card cost a fifth of a booking), and nothing can change it in place.
    this.tables.rateCards.set(card.hotelId, deepFreeze(structuredClone(card)));
    this.tables.reprice(card.hotelId);
    this.tables.feed.appendCatalog('rate-card.updated', card.updatedAt, card.hotelId);
    return 'updated';
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    this.assertOpen('updateCalendar');
    const outcome = this.changeCalendar(update, at);
    if (outcome.kind === 'rejected') return outcome;
    return { kind: 'updated', days: outcome.days.map((d) => ({ ...d })) };
  }

  /** `updateCalendar`'s step, also taken by `saveRoom` for a room out of order: all or nothing. */
  private changeCalendar(update: CalendarUpdate, at: string) {
    const { hotelId, roomTypeId } = update;
    const outcome = changeCalendarDays(update, (date) =>
      this.tables.row(hotelId, roomTypeId, date),
    );
    if (outcome.kind === 'rejected') return outcome;
    this.tables.setRows(outcome.days);
    if (update.rate !== undefined) this.tables.reprice(hotelId);
    this.tables.feed.append({
      type: 'inventory.changed',
      at,
      hotelId,
      reservationId: null,
      days: outcome.days,
    });
    return outcome;
  }

  async readStay(query: { hotelId: string; roomTypeIds?: string[]; from: string; to: string }) {
    this.assertOpen('readStay');
    const hotel = this.tables.hotels.get(query.hotelId);
    if (!hotel) return null;
    const roomTypes = this.tables.roomTypesOf(query.hotelId, query.roomTypeIds);
    const rateCard = this.tables.rateCards.get(query.hotelId);
    // The hotel, room types and card are the stored frozen objects, read-only to the caller
    // (see `readStay` in the port); the rows are built from the calendar's columns.
    return {
      hotel,
      roomTypes,
      rateCard: rateCard ?? null,
      days: this.tables.stayDays(query.hotelId, roomTypes, query.from, query.to),
      pricingRevision: this.tables.pricingRevision(query.hotelId),
    };
  }

  async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    this.assertOpen('readStays');
    const stays: AvailabilityView[] = [];
    for (const hotelId of query.hotelIds) {
      const stay = await this.readStay({ hotelId, from: query.from, to: query.to });
      if (stay !== null) stays.push(availabilityView(stay));
    }
    return stays;
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }): Promise<BookingOutcome> {
    this.assertOpen('applyBooking');
    const { reservation, deltas } = plan;
    const existing = this.tables.byIdempotencyKey(reservation.hotelId, reservation.idempotencyKey);
    if (existing) return bookingReplay(cloneReservation(existing), reservation.requestFingerprint);
    const [archived] = this.archive.find({
      by: 'key',
      hotelId: reservation.hotelId,
      idempotencyKey: reservation.idempotencyKey,
    });
    if (archived) return { kind: 'key-archived', archived };
    const pricingRevision = this.tables.pricingRevision(reservation.hotelId);
    if (plan.pricingRevision !== undefined && plan.pricingRevision !== pricingRevision) {
      return { kind: 'repriced', pricingRevision };
    }
    const shortfalls = this.shortfalls(reservation.hotelId, deltas);
    if (shortfalls.length > 0) return { kind: 'unavailable', nights: shortfalls };

    const stored = cloneReservation(reservation);
    const days = this.tables.addReserved(stored.hotelId, deltas);
    this.tables.insertReservation(stored);
    this.tables.feed.append({
      type: 'reservation.created',
      at: stored.createdAt,
      hotelId: stored.hotelId,
      reservationId: stored.id,
      days,
    });
    // The plan's reservation is already the caller's own object and equals what was stored.
    return { kind: 'created', reservation };
  }

  async changeReservation(
    reservationId: string,
    decide: ReservationDecider,
  ): Promise<ReservationOutcome> {
    this.assertOpen('changeReservation');
    const stored = this.tables.reservations.get(reservationId);
    if (!stored) return { kind: 'not-found' };
    // The decider gets a copy: nothing it does to its argument can reach the store.
    const current = cloneReservation(stored);
    const decision = runDecider(current, decide);
    if (decision.kind !== 'apply') return { kind: decision.kind, reservation: current };
    return applyDecision(this.parts, stored, decision);
  }

  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    this.assertOpen('expireHolds');
    const expired: Reservation[] = [];
    // Every held reservation is looked at until `limit` have expired: a hold that
    // `decideExpire` leaves alone (not due yet, or its charge is pending) is skipped,
    // never counted, so it cannot starve the holds behind it.
    for (const id of this.tables.held) {
      if (expired.length >= command.limit) break;
      const current = this.tables.reservations.get(id);
      if (!current) continue;
      // decideExpire only reads `current`; the `next` it builds replaces it below.
      const decision = decideExpire(current, command.now);
      if (decision.kind !== 'apply') continue;
      const outcome = applyDecision(this.parts, current, decision);
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
  }

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation | null> {
    this.assertOpen('getReservation');
    const reservation = this.tables.reservations.get(reservationId);
    return reservation ? cloneReservation(reservation) : null;
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    this.assertOpen('findReservationByKey');
    const reservation = this.tables.byIdempotencyKey(hotelId, idempotencyKey);
    return reservation ? cloneReservation(reservation) : null;
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    this.assertOpen('listReservations');
    return this.tables.matching(query).map(cloneReservation);
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    this.assertOpen('listPendingPayments');
    return this.tables.pendingBefore(query.updatedBefore, query.limit).map(cloneReservation);
  }

  // ── Archive ──────────────────────────────────────────────────────────────────────

  async listArchivable(query: {
    hotelId: string;
    before: IsoDate;
    afterId?: string;
    limit: number;
  }): Promise<Reservation[]> {
    this.assertOpen('listArchivable');
    return archivableReservations(this.tables, query);
  }

  async listCalendarBefore(query: {
    hotelId: string;
    before: IsoDate;
    after?: { roomTypeId: string; date: IsoDate };
    limit: number;
  }): Promise<CalendarDay[]> {
    this.assertOpen('listCalendarBefore');
    return this.tables.rowsBefore(query).map((day) => ({ ...day }));
  }

  async removeArchived(command: ArchiveRemoval): Promise<ArchiveRemovalOutcome> {
    this.assertOpen('removeArchived');
    return removeArchived(this.parts, command);
  }

  async findArchived(query: ArchivedQuery): Promise<ArchivedReservation[]> {
    this.assertOpen('findArchived');
    return this.archive.find(query);
  }

  async getArchiveHorizon(hotelId: string): Promise<IsoDate | null> {
    this.assertOpen('getArchiveHorizon');
    return this.archive.horizons.get(hotelId) ?? null;
  }

  async forgetArchivedKeys(command: ForgetArchivedKeys): Promise<number> {
    this.assertOpen('forgetArchivedKeys');
    return this.archive.forgetKeys(command);
  }

  async eraseArchivedEntries(reservationIds: string[]): Promise<number> {
    this.assertOpen('eraseArchivedEntries');
    return this.archive.eraseEntries(reservationIds);
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    this.assertOpen('audit');
    return this.tables.audit(options?.hotelId, this.archive.horizons);
  }

  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    this.assertOpen('readEvents');
    return this.tables.feed.after(afterSeq, limit);
  }

  async pruneEvents(command: { before: string; throughSeq?: number; limit: number }): Promise<{
    pruned: number;
    prunedThrough: number;
  }> {
    this.assertOpen('pruneEvents');
    return this.tables.feed.prune(command);
  }

  async saveFeedCursor(cursor: FeedCursor): Promise<void> {
    this.assertOpen('saveFeedCursor');
    this.tables.feed.saveCursor(cursor);
  }

  async listFeedCursors(): Promise<FeedCursor[]> {
    this.assertOpen('listFeedCursors');
    return this.tables.feed.listCursors();
  }

  async deleteFeedCursor(name: string): Promise<boolean> {
    this.assertOpen('deleteFeedCursor');
    return this.tables.feed.deleteCursor(name);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** How many ids each index holds, and the calendar's hotels, room types and rows (tests). */
  indexSizes(): Record<string, number> {
    return this.tables.indexSizes();
  }

  calendarSizes(): { hotels: number; roomTypes: number; rows: number } {
    return this.tables.calendarSizes();
  }

  // ── Internals (all synchronous: they run inside a command's critical section) ─────

  private assertOpen(operation: string): void {
    if (this.closed) throw storeClosedError('memory store', operation);
  }

  /**
   * A booking's capacity guard. A method of its own, not an inline call, because the
   * conformance suite's racy store shadows it to prove its storms catch a store without
   * one (`conformance/test/racy-store.ts`).
   */
  private shortfalls(hotelId: string, deltas: InventoryDelta[]): UnavailableNight[] {
    return shortfallsOf(this.tables, hotelId, deltas);
  }
}

/** A new, empty, fully isolated store: nothing is shared between two instances. */
export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
