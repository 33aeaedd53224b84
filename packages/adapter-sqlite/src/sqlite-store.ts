import {
  type AuditFinding,
  type AuditReport,
  type BookingOutcome,
  type CalendarConflict,
  type CalendarDay,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDay,
  type Decision,
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideExpire,
  decideModification,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
  emptyCalendarDay,
  type Hotel,
  InnkeeperError,
  type InnkeeperEvent,
  type InnkeeperEventType,
  type InnkeeperStore,
  type InventoryDelta,
  type ModificationChange,
  type PaymentRecord,
  type RateCard,
  RESERVATION_EVENT_TYPES,
  type Reservation,
  type ReservationOutcome,
  type ReservationQuery,
  type RoomType,
} from '@innkeeper/core';
import { connect } from './sqlite-connection.js';
import { isIdempotencyKeyConflict, toStorageError } from './sqlite-errors.js';
import { applyDeltas, Shortfall } from './sqlite-inventory.js';
import { retryBusy } from './sqlite-retry.js';
import {
  dayFromRow,
  dayFromValues,
  dayParams,
  eventDaysJson,
  eventFromRow,
  hotelFromRow,
  hotelParams,
  hotelUpdateParams,
  rateCardFromRow,
  reservationFromRow,
  reservationParams,
  reservationUpdateParams,
  roomTypeFromRow,
  roomTypeParams,
  roomTypeUpdateParams,
} from './sqlite-rows.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';
import type {
  ResolvedSqliteOptions,
  SqliteDatabase,
  SqliteStoreConfig,
  SqliteStoreOptions,
  SqliteTransaction,
} from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * The SQLite store, on one better-sqlite3 connection.
 *
 * Every command is one synchronous `transaction(...).immediate()`: `BEGIN IMMEDIATE`
 * takes the database's write lock up front, so the reads that decide (the idempotency
 * key, the reservation's status, capacity) and the writes that follow are one step that
 * no other connection, in this process or another, can interleave with. Nothing inside
 * ever awaits, so concurrent async callers sharing this connection can never find
 * themselves inside each other's transaction. Multi-statement reads run in a deferred
 * transaction: one consistent snapshot under WAL, without blocking writers.
 *
 * Reservations are stored as JSON and parsed on every read, so whatever is handed out is
 * a fresh object by construction.
 */
export class SqliteStore implements InnkeeperStore {
  /** The store port this class implements (see `STORE_PORT_VERSION` in the core). */
  readonly portVersion = 1;
  private readonly st: SqliteStatements;
  private readonly tx: {
    book: SqliteTransaction<
      (plan: { reservation: Reservation; deltas: InventoryDelta[] }) => BookingOutcome
    >;
    decide: SqliteTransaction<
      (reservationId: string, decide: (r: Reservation) => Decision) => ReservationOutcome
    >;
    expire: SqliteTransaction<(now: string, limit: number) => Reservation[]>;
    calendar: SqliteTransaction<(update: CalendarUpdate, at: string) => CalendarUpdateOutcome>;
    putRateCard: SqliteTransaction<
      (card: RateCard, expectedRevision: number) => 'updated' | 'conflict' | 'missing'
    >;
    read: SqliteTransaction<(read: () => unknown) => unknown>;
  };
  private closed = false;
  /**
   * The names of this store's tables (from its `tablePrefix`), for SQL of your own on
   * `database`: `store.tables.reservations`, ...
   */
  readonly tables: SqliteTableNames;

  constructor(
    /** The connection, e.g. for `db.backup()`; leave its transactions to the store. */
    readonly database: SqliteDatabase,
    private readonly options: ResolvedSqliteOptions & { file: string; ownsDatabase: boolean },
  ) {
    const db = database;
    this.tables = options.tables;
    this.st = prepareStatements(db, options.tables);
    this.tx = {
      book: db.transaction((plan) => this.bookInside(plan.reservation, plan.deltas)),
      decide: db.transaction((id: string, decide: (r: Reservation) => Decision) =>
        this.decideInside(id, decide),
      ),
      expire: db.transaction((now: string, limit: number) => this.expireInside(now, limit)),
      calendar: db.transaction((update: CalendarUpdate, at: string) =>
        this.calendarInside(update, at),
      ),
      putRateCard: db.transaction((card: RateCard, expectedRevision: number) =>
        this.putRateCardInside(card, expectedRevision),
      ),
      read: db.transaction((read: () => unknown) => read()),
    };
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async insertHotel(hotel: Hotel): Promise<'created' | 'exists'> {
    return this.write('insertHotel', () =>
      this.st.insertHotel.run(...hotelParams(hotel)).changes === 1 ? 'created' : 'exists',
    );
  }

  async updateHotel(hotel: Hotel): Promise<'updated' | 'missing'> {
    return this.write('updateHotel', () =>
      this.st.updateHotel.run(...hotelUpdateParams(hotel)).changes === 1 ? 'updated' : 'missing',
    );
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    return this.read('getHotel', () => {
      const row = this.st.getHotel.get(hotelId);
      return row ? hotelFromRow(row) : null;
    });
  }

  async listHotels(query: { afterId?: string; limit: number }): Promise<Hotel[]> {
    return this.read('listHotels', () => {
      const rows =
        query.afterId === undefined
          ? this.st.listHotels.all(query.limit)
          : this.st.listHotelsAfter.all(query.afterId, query.limit);
      return rows.map(hotelFromRow);
    });
  }

  async insertRoomType(roomType: RoomType): Promise<'created' | 'exists'> {
    return this.write('insertRoomType', () =>
      this.st.insertRoomType.run(...roomTypeParams(roomType)).changes === 1 ? 'created' : 'exists',
    );
  }

  async updateRoomType(roomType: RoomType): Promise<'updated' | 'missing'> {
    return this.write('updateRoomType', () =>
      this.st.updateRoomType.run(...roomTypeUpdateParams(roomType)).changes === 1
        ? 'updated'
        : 'missing',
    );
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    return this.read('listRoomTypes', () =>
      this.st.listRoomTypes.all(hotelId).map(roomTypeFromRow),
    );
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    return this.read('getRateCard', () => {
      const row = this.st.getRateCard.get(hotelId);
      return row ? rateCardFromRow(row) : null;
    });
  }

  /** Compare-and-set on the stored revision, read and written under one write lock. */
  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    return this.write('putRateCard', () => this.tx.putRateCard.immediate(card, expectedRevision));
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    return this.write('updateCalendar', () => this.tx.calendar.immediate(update, at));
  }

  async readStay(query: { hotelId: string; roomTypeIds?: string[]; from: string; to: string }) {
    return this.snapshot('readStay', () => {
      const hotel = this.st.getHotel.get(query.hotelId);
      if (!hotel) return null;
      const wanted = query.roomTypeIds ? new Set(query.roomTypeIds) : null;
      const roomTypes = this.st.listRoomTypes
        .all(query.hotelId)
        .filter((rt) => !wanted || wanted.has(rt.room_type_id))
        .map(roomTypeFromRow);
      const days: CalendarDay[] = [];
      for (const roomType of roomTypes) {
        for (const row of this.st.listDays.all(query.hotelId, roomType.id, query.from, query.to)) {
          days.push(dayFromRow(row));
        }
      }
      const rateCard = this.st.getRateCard.get(query.hotelId);
      return {
        hotel: hotelFromRow(hotel),
        roomTypes,
        rateCard: rateCard ? rateCardFromRow(rateCard) : null,
        days,
      };
    });
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    return this.write('applyBooking', () => {
      try {
        return this.tx.book.immediate(plan);
      } catch (error) {
        if (error instanceof Shortfall) return { kind: 'unavailable', nights: error.nights };
        // Only reachable if something wrote the key outside BEGIN IMMEDIATE; answer as if
        // the key had been seen first, which is what the caller would get a moment later.
        if (isIdempotencyKeyConflict(error, this.tables.reservations)) {
          const replay = this.replayOf(plan.reservation);
          if (replay) return replay;
        }
        throw error;
      }
    });
  }

  async confirmHold(command: {
    reservationId: string;
    at: string;
    payment?: PaymentRecord;
  }): Promise<ReservationOutcome> {
    return this.decide('confirmHold', command.reservationId, (r) =>
      decideConfirm(r, command.at, command.payment),
    );
  }

  async releaseHold(command: {
    reservationId: string;
    at: string;
    reason: string;
    payment: PaymentRecord | null;
  }): Promise<ReservationOutcome> {
    return this.decide('releaseHold', command.reservationId, (r) =>
      decideRelease(r, command.at, command.reason, command.payment),
    );
  }

  async markNoShow(command: { reservationId: string; at: string }): Promise<ReservationOutcome> {
    return this.decide('markNoShow', command.reservationId, (r) => decideNoShow(r, command.at));
  }

  async beginCharge(command: {
    reservationId: string;
    at: string;
    payment: PaymentRecord;
  }): Promise<ReservationOutcome> {
    return this.decide('beginCharge', command.reservationId, (r) =>
      decideBeginCharge(r, command.at, command.payment),
    );
  }

  async recordRefund(command: {
    reservationId: string;
    at: string;
    refundId: string;
  }): Promise<ReservationOutcome> {
    return this.decide('recordRefund', command.reservationId, (r) =>
      decideRefundRecorded(r, command.at, command.refundId),
    );
  }

  async applyCancellation(command: {
    reservationId: string;
    at: string;
    reason?: string;
  }): Promise<ReservationOutcome> {
    return this.decide('applyCancellation', command.reservationId, (r) =>
      decideCancel(r, command.at, command.reason),
    );
  }

  async applyModification(
    command: ModificationChange & { reservationId: string; at: string },
  ): Promise<ReservationOutcome> {
    return this.decide('applyModification', command.reservationId, (r) =>
      decideModification(r, command, command.at),
    );
  }

  /** One transaction for the batch: the holds are read, decided and released under one lock. */
  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    return this.write('expireHolds', () => this.tx.expire.immediate(command.now, command.limit));
  }

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation | null> {
    return this.read('getReservation', () => {
      const row = this.st.getReservation.get(reservationId);
      return row ? reservationFromRow(row) : null;
    });
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    return this.read('findReservationByKey', () => {
      const row = this.st.getReservationByKey.get(hotelId, idempotencyKey);
      return row ? reservationFromRow(row) : null;
    });
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    return this.read('listReservations', () => {
      const { filter, after, limit } = query;
      const cursor = after ? { createdAt: after.createdAt, id: after.id } : {};
      const rows =
        filter.by === 'guest'
          ? (after ? this.st.byGuestAfter : this.st.byGuest).all({
              email: filter.email,
              hotelId: filter.hotelId ?? null,
              limit,
              ...cursor,
            })
          : (after ? this.st.byHotelAfter : this.st.byHotel).all({
              hotelId: filter.hotelId,
              from: filter.from ?? null,
              to: filter.to ?? null,
              statuses: filter.statuses ? JSON.stringify(filter.statuses) : null,
              limit,
              ...cursor,
            });
      return rows.map(reservationFromRow);
    });
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    return this.read('listPendingPayments', () =>
      this.st.pendingPayments.all(query.updatedBefore, query.limit).map(reservationFromRow),
    );
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    const hotelId = options?.hotelId;
    return this.snapshot('audit', () => {
      const scoped = hotelId !== undefined;
      const rows = scoped ? this.st.auditHotel.all({ hotelId }) : this.st.auditAll.all();
      const findings: AuditFinding[] = [];
      for (const row of rows) {
        const base = {
          hotelId: row.hotel_id,
          roomTypeId: row.room_type_id,
          date: row.date,
          reserved: row.reserved,
          expected: row.expected,
          capacity: row.capacity,
        };
        // Same findings, in the same order per row, as the core's auditCalendar.
        if (row.has_row === 0 || row.reserved !== row.expected) {
          findings.push({ ...base, problem: 'drift' });
        }
        if (row.reserved < 0) findings.push({ ...base, problem: 'negative' });
        if (row.reserved > row.capacity && row.has_row === 1) {
          findings.push({ ...base, problem: 'over-capacity' });
        }
      }
      const count = (n: { n: number } | undefined) => n?.n ?? 0;
      return {
        ok: findings.length === 0,
        rowsChecked: count(scoped ? this.st.countHotelDays.get(hotelId) : this.st.countDays.get()),
        reservationsChecked: count(
          scoped ? this.st.countHotelReservations.get(hotelId) : this.st.countReservations.get(),
        ),
        findings,
      };
    });
  }

  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    return this.read('readEvents', () => this.st.readEvents.all(afterSeq, limit).map(eventFromRow));
  }

  /**
   * An online backup to `destination` through better-sqlite3's `db.backup()`: consistent,
   * and the store keeps serving while it runs.
   */
  async backup(destination: string): Promise<void> {
    this.assertOpen('backup');
    const { backup } = this.database;
    if (!backup) throw new Error('This connection has no backup() (it is not better-sqlite3)');
    try {
      await backup.call(this.database, destination);
    } catch (error) {
      throw toStorageError(error, this.errorContext('backup'));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.ownsDatabase && this.database.open) this.database.close();
  }

  // ── Inside transactions (synchronous, never awaiting) ───────────────────────────

  private bookInside(reservation: Reservation, deltas: InventoryDelta[]): BookingOutcome {
    // The key first, so a retry gets its reservation back even after the rooms sold out.
    const replay = this.replayOf(reservation);
    if (replay) return replay;
    const days = applyDeltas(this.st, reservation.hotelId, deltas);
    const json = JSON.stringify(reservation);
    this.st.insertReservation.run(...reservationParams(reservation, json));
    this.appendEvent('reservation.created', reservation.createdAt, reservation, days);
    // The plan's reservation is already the caller's own object and is what was stored.
    return { kind: 'created', reservation };
  }

  private replayOf(reservation: Reservation): BookingOutcome | null {
    const row = this.st.getReservationByKey.get(reservation.hotelId, reservation.idempotencyKey);
    if (!row) return null;
    const kind =
      row.request_fingerprint === reservation.requestFingerprint ? 'replayed' : 'key-reused';
    return { kind, reservation: reservationFromRow(row) };
  }

  private decideInside(
    reservationId: string,
    decide: (current: Reservation) => Decision,
  ): ReservationOutcome {
    const row = this.st.getReservation.get(reservationId);
    if (!row) return { kind: 'not-found' };
    const current = reservationFromRow(row);
    return this.applyDecision(current, decide(current));
  }

  private applyDecision(current: Reservation, decision: Decision): ReservationOutcome {
    // `current` was parsed for this call alone, so it can be handed out as it is.
    if (decision.kind !== 'apply') return { kind: decision.kind, reservation: current };
    const days = applyDeltas(this.st, current.hotelId, decision.deltas);
    const next = decision.next;
    this.st.updateReservation.run(...reservationUpdateParams(next, JSON.stringify(next)));
    this.appendEvent(RESERVATION_EVENT_TYPES[decision.action], next.updatedAt, next, days);
    return { kind: 'applied', reservation: next };
  }

  private expireInside(now: string, limit: number): Reservation[] {
    const expired: Reservation[] = [];
    for (const row of this.st.dueHolds.all(now, limit)) {
      const current = reservationFromRow(row);
      const outcome = this.applyDecision(current, decideExpire(current, now));
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
  }

  private putRateCardInside(
    card: RateCard,
    expectedRevision: number,
  ): 'updated' | 'conflict' | 'missing' {
    if (!this.st.hotelExists.get(card.hotelId)) return 'missing';
    const stored = this.st.getRateCardRevision.get(card.hotelId)?.revision ?? 0;
    if (stored !== expectedRevision) return 'conflict';
    this.st.upsertRateCard.run(card.hotelId, card.revision, JSON.stringify(card));
    return 'updated';
  }

  private calendarInside(update: CalendarUpdate, at: string): CalendarUpdateOutcome {
    const { hotelId, roomTypeId } = update;
    const next: CalendarDay[] = [];
    const conflicts: CalendarConflict[] = [];
    // Decide every date on the rows as they are under the lock, then write only if all pass.
    for (const date of update.dates) {
      const row = this.st.getDay.get(hotelId, roomTypeId, date);
      const current = row
        ? dayFromValues(hotelId, roomTypeId, date, row)
        : emptyCalendarDay(hotelId, roomTypeId, date);
      const change = changeCalendarDay(current, update);
      if (change.ok) next.push(change.day);
      else conflicts.push(change.conflict);
    }
    if (conflicts.length > 0) return { kind: 'rejected', conflicts };
    for (const day of next) this.st.upsertDay.run(...dayParams(day));
    this.st.insertEvent.run('inventory.changed', at, hotelId, null, eventDaysJson(next));
    return { kind: 'updated', days: next };
  }

  private appendEvent(
    type: InnkeeperEventType,
    at: string,
    reservation: Reservation,
    days: CalendarDay[],
  ): void {
    this.st.insertEvent.run(type, at, reservation.hotelId, reservation.id, eventDaysJson(days));
  }

  // ── Running statements ───────────────────────────────────────────────────────────

  private decide(
    operation: string,
    reservationId: string,
    decide: (current: Reservation) => Decision,
  ): Promise<ReservationOutcome> {
    return this.write(operation, () => {
      try {
        return this.tx.decide.immediate(reservationId, decide);
      } catch (error) {
        if (error instanceof Shortfall) return { kind: 'unavailable', nights: error.nights };
        throw error;
      }
    });
  }

  /**
   * Runs a command: `run` holds one whole `BEGIN IMMEDIATE` transaction (or one
   * statement), retried on `SQLITE_BUSY`; failures become `STORAGE` errors.
   */
  private async write<T>(operation: string, run: () => T): Promise<T> {
    this.assertOpen(operation);
    if (this.database.inTransaction) {
      // Only code outside the store can leave this shared connection inside a
      // transaction; running a command now would silently join it.
      throw new InnkeeperError(
        'STORAGE',
        `SQLite connection to "${this.options.file}" is inside a transaction begun outside the store; ` +
          `${operation} must run in a transaction of its own. Do not hold transactions open on a ` +
          'connection you share with the store.',
        { operation },
      );
    }
    try {
      return await retryBusy(run, this.options.busyRetries);
    } catch (error) {
      throw toStorageError(error, this.errorContext(operation));
    }
  }

  /** Runs a read of one statement, which SQLite already answers from one snapshot. */
  private async read<T>(operation: string, read: () => T): Promise<T> {
    this.assertOpen(operation);
    try {
      return await retryBusy(read, this.options.busyRetries);
    } catch (error) {
      throw toStorageError(error, this.errorContext(operation));
    }
  }

  /**
   * Runs a read of several statements in one deferred transaction, so they all see the
   * same snapshot (under WAL this blocks no writer), even while other processes commit.
   */
  private snapshot<T>(operation: string, read: () => T): Promise<T> {
    return this.read(operation, () => this.tx.read.deferred(read) as T);
  }

  private errorContext(operation: string) {
    return {
      operation,
      file: this.options.file,
      busyTimeoutMs: this.options.busyTimeoutMs,
      busyRetries: this.options.busyRetries,
    };
  }

  private assertOpen(operation: string): void {
    if (!this.closed) return;
    throw new InnkeeperError(
      'STORAGE',
      `The SQLite store on "${this.options.file}" is closed; ${operation} needs an open store.`,
      { operation },
    );
  }
}

/**
 * Opens a SQLite store on a file (`{ filename }`, created if missing; `':memory:'` for a
 * private in-memory database) or on a better-sqlite3 connection you own (`{ database }`),
 * sets WAL, `busy_timeout`, `synchronous` and foreign keys, and migrates the schema.
 * Throws a `STORAGE` error naming the file when it cannot be opened.
 */
export function createSqliteStore(
  config: SqliteStoreConfig,
  options?: SqliteStoreOptions,
): SqliteStore {
  const { db, owned, file, options: resolved } = connect(config, options);
  try {
    return new SqliteStore(db, { ...resolved, file, ownsDatabase: owned });
  } catch (error) {
    // Preparing the statements reads the schema: a damaged file can still fail here.
    if (owned) db.close();
    throw toStorageError(error, {
      operation: 'open',
      file,
      busyTimeoutMs: resolved.busyTimeoutMs,
      busyRetries: resolved.busyRetries,
    });
  }
}
