import type {
  ArchivedReservation,
  AuditReport,
  AvailabilityView,
  CalendarDay,
  Hotel,
  HotelListQuery,
  InnkeeperEvent,
  InnkeeperStore,
  RateCard,
  Reservation,
  ReservationQuery,
  Room,
  RoomType,
  StayQuery,
  StaysQuery,
} from '@innkeeper/core';
import {
  type ArchivedQuery,
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  type BookingOutcome,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  checkRateCardRevision,
  type FeedCursor,
  type ForgetArchivedKeys,
  type InventoryDelta,
  type ReservationDecider,
  type ReservationOutcome,
  type RoomNightClaim,
  type RoomSaveGuard,
  type RoomSaveOutcome,
  type SaveMode,
  type SaveOutcome,
  saveOutcome,
} from '@innkeeper/core/store';
import { SqliteArchive } from './sqlite-archive.js';
import { SqliteChangeFeed } from './sqlite-change-feed.js';
import { connect } from './sqlite-connection.js';
import { isIdempotencyKeyConflict, toStorageError } from './sqlite-errors.js';
import { Shortfall } from './sqlite-inventory.js';
import {
  listHotels,
  listReservations,
  readAudit,
  readStay,
  readStays,
  stayMemos,
} from './sqlite-reads.js';
import { SqliteReservationSteps } from './sqlite-reservation-steps.js';
import { SqliteRooms } from './sqlite-rooms.js';
import {
  hotelFromRow,
  hotelParams,
  rateCardFromRow,
  reservationFromRow,
  roomTypeFromRow,
  roomTypeParams,
} from './sqlite-rows.js';
import { SqliteRunner } from './sqlite-runner.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';
import type {
  ResolvedSqliteOptions,
  SqliteDatabase,
  SqliteStoreConfig,
  SqliteStoreOptions,
} from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';
import { type SqliteTransactions, storeTransactions } from './sqlite-transactions.js';

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
  readonly portVersion = 8;
  private readonly st: SqliteStatements;
  /** Parsed rate cards and profiles of the stay reads, reused while their text holds. */
  private readonly stayMemos = stayMemos();
  private readonly rooms: SqliteRooms;
  private readonly archive: SqliteArchive;
  private readonly feed: SqliteChangeFeed;
  private readonly steps: SqliteReservationSteps;
  private readonly run: SqliteRunner;
  /** The commands' transactions (`storeTransactions`). */
  private readonly tx: SqliteTransactions;
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
    this.rooms = new SqliteRooms(db, options.tables, this.st);
    this.archive = new SqliteArchive(db, options.tables);
    this.feed = new SqliteChangeFeed(db, options.tables);
    const steps = new SqliteReservationSteps(this.st, this.rooms, this.archive);
    this.steps = steps;
    const { file, busyTimeoutMs, busyRetries } = options;
    this.run = new SqliteRunner(db, { file, busyTimeoutMs, busyRetries });
    this.tx = storeTransactions(db, {
      st: this.st,
      steps,
      rooms: this.rooms,
      archive: this.archive,
      feed: this.feed,
    });
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async saveHotel<M extends SaveMode>(hotel: Hotel, mode: M): Promise<SaveOutcome<M>> {
    return this.run.write('saveHotel', () => {
      const written =
        mode === 'create'
          ? this.st.insertHotel.run(hotelParams(hotel))
          : this.st.updateHotel.run(hotelParams(hotel));
      return saveOutcome(mode, written.changes === 1);
    });
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    return this.run.read('getHotel', () => {
      const row = this.st.getHotel.get(hotelId);
      return row ? hotelFromRow(row) : null;
    });
  }

  async listHotels(query: HotelListQuery): Promise<Hotel[]> {
    return this.run.read('listHotels', () => listHotels(this.st, query));
  }

  async saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M): Promise<SaveOutcome<M>> {
    return this.run.write('saveRoomType', () => {
      const written =
        mode === 'create'
          ? this.st.insertRoomType.run(roomTypeParams(roomType))
          : this.st.updateRoomType.run(roomTypeParams(roomType));
      return saveOutcome(mode, written.changes === 1);
    });
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    return this.run.read('listRoomTypes', () =>
      this.st.listRoomTypes.all(hotelId).map((row) => roomTypeFromRow(row)),
    );
  }

  async saveRoom<M extends SaveMode>(
    room: Room,
    mode: M,
    guard: RoomSaveGuard,
  ): Promise<RoomSaveOutcome<M>> {
    return this.run.write(
      'saveRoom',
      () => this.tx.saveRoom.immediate(room, mode, guard) as RoomSaveOutcome<M>,
    );
  }

  async listRooms(hotelId: string): Promise<Room[]> {
    return this.run.read('listRooms', () => this.rooms.list(hotelId));
  }

  async listRoomNights(query: {
    hotelId: string;
    from: string;
    to: string;
    roomIds?: string[];
  }): Promise<RoomNightClaim[]> {
    return this.snapshot('listRoomNights', () => this.rooms.claims(query));
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    return this.run.read('getRateCard', () => {
      const row = this.st.getRateCard.get(hotelId);
      return row ? rateCardFromRow(row) : null;
    });
  }

  /** Compare-and-set on the stored revision, read and written under one write lock. */
  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    return this.run.write('putRateCard', () => {
      checkRateCardRevision(card, expectedRevision);
      return this.tx.putRateCard.immediate(card, expectedRevision);
    });
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    return this.run.write('updateCalendar', () => this.tx.calendar.immediate(update, at));
  }

  async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    return this.snapshot('readStays', () => readStays(this.st, query, this.stayMemos));
  }

  async readStay(query: StayQuery) {
    return this.snapshot('readStay', () => readStay(this.st, query, this.stayMemos));
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }): Promise<BookingOutcome> {
    return this.run.write('applyBooking', () => {
      try {
        return this.tx.book.immediate(plan);
      } catch (error) {
        if (error instanceof Shortfall) return { kind: 'unavailable', nights: error.nights };
        // Only reachable if something wrote the key outside BEGIN IMMEDIATE; answer as if
        // the key had been seen first, which is what the caller would get a moment later.
        if (isIdempotencyKeyConflict(error, this.tables.reservations)) {
          const replay = this.steps.replayOf(plan.reservation);
          if (replay) return replay;
        }
        throw error;
      }
    });
  }

  /** One `BEGIN IMMEDIATE` transaction: read, decide, check capacity, write. */
  async changeReservation(
    reservationId: string,
    decide: ReservationDecider,
  ): Promise<ReservationOutcome> {
    return this.run.write('changeReservation', () => {
      try {
        return this.tx.change.immediate(reservationId, decide);
      } catch (error) {
        if (error instanceof Shortfall) return { kind: 'unavailable', nights: error.nights };
        throw error;
      }
    });
  }

  /** One transaction for the batch: the holds are read, decided and released under one lock. */
  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    return this.run.write('expireHolds', () =>
      this.tx.expire.immediate(command.now, command.limit),
    );
  }

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation | null> {
    return this.run.read('getReservation', () => {
      const row = this.st.getReservation.get(reservationId);
      return row ? reservationFromRow(row) : null;
    });
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    return this.run.read('findReservationByKey', () => {
      const row = this.st.getReservationByKey.get(hotelId, idempotencyKey);
      return row ? reservationFromRow(row) : null;
    });
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    return this.run.read('listReservations', () => listReservations(this.st, query));
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    return this.run.read('listPendingPayments', () =>
      this.st.pendingPayments.all(query.updatedBefore, query.limit).map(reservationFromRow),
    );
  }

  // ── Archive ──────────────────────────────────────────────────────────────────────

  async listArchivable(query: {
    hotelId: string;
    before: string;
    afterId?: string;
    limit: number;
  }): Promise<Reservation[]> {
    return this.run.read('listArchivable', () => this.archive.archivable(query));
  }

  async listCalendarBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }): Promise<CalendarDay[]> {
    return this.run.read('listCalendarBefore', () => this.archive.daysBefore(query));
  }

  async removeArchived(command: ArchiveRemoval): Promise<ArchiveRemovalOutcome> {
    return this.run.write('removeArchived', () => this.tx.removeArchived.immediate(command));
  }

  async findArchived(query: ArchivedQuery): Promise<ArchivedReservation[]> {
    return this.run.read('findArchived', () => this.archive.find(query));
  }

  async getArchiveHorizon(hotelId: string): Promise<string | null> {
    return this.run.read('getArchiveHorizon', () => this.archive.horizon(hotelId));
  }

  async forgetArchivedKeys(command: ForgetArchivedKeys): Promise<number> {
    return this.run.write('forgetArchivedKeys', () => this.archive.forgetKeys(command));
  }

  async eraseArchivedEntries(reservationIds: string[]): Promise<number> {
    return this.run.write('eraseArchivedEntries', () =>
      this.tx.eraseArchived.immediate(reservationIds),
    );
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    return this.snapshot('audit', () => readAudit(this.st, options?.hotelId));
  }

  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    return this.run.read('readEvents', () => this.feed.read(afterSeq, limit));
  }

  async pruneEvents(command: { before: string; throughSeq?: number; limit: number }): Promise<{
    pruned: number;
    prunedThrough: number;
  }> {
    return this.run.write('pruneEvents', () => this.tx.pruneEvents.immediate(command));
  }

  async saveFeedCursor(cursor: FeedCursor): Promise<void> {
    await this.run.write('saveFeedCursor', () => this.feed.saveCursor(cursor));
  }

  async listFeedCursors(): Promise<FeedCursor[]> {
    return this.run.read('listFeedCursors', () => this.feed.cursors());
  }

  async deleteFeedCursor(name: string): Promise<boolean> {
    return this.run.write('deleteFeedCursor', () => this.feed.deleteCursor(name));
  }

  /**
   * An online backup to `destination` through better-sqlite3's `db.backup()`: consistent,
   * and the store keeps serving while it runs.
   */
  async backup(destination: string): Promise<void> {
    this.run.assertOpen('backup');
    const { backup } = this.database;
    if (!backup) throw new Error('This connection has no backup() (it is not better-sqlite3)');
    try {
      await backup.call(this.database, destination);
    } catch (error) {
      throw this.run.storageError('backup', error);
    }
  }

  async close(): Promise<void> {
    if (this.run.closed) return;
    this.run.closed = true;
    if (this.options.ownsDatabase && this.database.open) this.database.close();
  }

  /**
   * Runs a read of several statements in one deferred transaction, so they all see the
   * same snapshot (under WAL this blocks no writer), even while other processes commit.
   */
  private snapshot<T>(operation: string, read: () => T): Promise<T> {
    return this.run.read(operation, () => this.tx.read.deferred(read) as T);
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
