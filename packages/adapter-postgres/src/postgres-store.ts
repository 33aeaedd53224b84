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
  StayView,
} from '@innkeeper/core';
import {
  type ArchivedQuery,
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  type BookingOutcome,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
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
  storeClosedError,
} from '@innkeeper/core/store';
import { PostgresArchive } from './postgres-archive.js';
import { readSettledEvents } from './postgres-change-feed.js';
import { PostgresCommands } from './postgres-commands.js';
import { openPool, poolMaxOf } from './postgres-connection.js';
import { PostgresFeedRetention } from './postgres-feed-retention.js';
import { type MigrateResult, migrate } from './postgres-migrations.js';
import { buildQueries, type Queries, statementPrefix } from './postgres-queries.js';
import { PostgresReads } from './postgres-reads.js';
import { PostgresRooms } from './postgres-rooms.js';
import { hotelParams, roomTypeParams } from './postgres-rows.js';
import {
  type PostgresConnection,
  type PostgresPool,
  type PostgresStoreOptions,
  quoteIdentifier,
  type ResolvedPostgresOptions,
  resolveOptions,
} from './postgres-store-config.js';
import { PostgresExecutor } from './postgres-transaction.js';
import { ConnectionWarmer, warmUpStatements } from './postgres-warm-up.js';

/**
 * The Postgres store. Every command is one transaction on one pooled connection; the
 * write paths (booking, reservation changes, calendar updates) are `PostgresCommands`,
 * the reads single statements (`PostgresReads`), and the change feed is
 * `readSettledEvents`.
 *
 * Nothing is cached in the process: any number of app servers may share the database.
 */
export class PostgresStore implements InnkeeperStore {
  /** The store port this class implements (see `STORE_PORT_VERSION` in the core). */
  readonly portVersion = 8;
  readonly options: ResolvedPostgresOptions;
  private readonly pool: PostgresPool;
  private readonly ownsPool: boolean;
  private readonly executor: PostgresExecutor;
  private readonly queries: Queries;
  private readonly reads: PostgresReads;
  private readonly commands: PostgresCommands;
  private readonly rooms: PostgresRooms;
  private readonly archive: PostgresArchive;
  private readonly feed: PostgresFeedRetention;
  private readonly eventsTable: string;
  private readonly warmer: ConnectionWarmer;
  /** The pool's size when known (a pool the store made, or a `pg.Pool`'s `options.max`). */
  private readonly poolMax: number | undefined;
  private closed = false;

  constructor(connection: PostgresConnection, options: PostgresStoreOptions = {}) {
    this.options = resolveOptions(options);
    const opened = openPool(connection, {
      lockTimeoutMs: this.options.lockTimeoutMs,
      statementTimeoutMs: this.options.statementTimeoutMs,
      ...(options.onIdleConnectionError
        ? { onIdleConnectionError: options.onIdleConnectionError }
        : {}),
    });
    this.pool = opened.pool;
    this.ownsPool = opened.owned;
    this.executor = new PostgresExecutor(opened.pool, this.options);
    const schema = quoteIdentifier(this.options.schema);
    this.queries = buildQueries(schema);
    this.reads = new PostgresReads(this.executor, this.queries);
    this.rooms = new PostgresRooms(this.executor, this.queries, schema, statementPrefix(schema));
    this.archive = new PostgresArchive(this.executor, schema, statementPrefix(schema));
    this.feed = new PostgresFeedRetention(this.executor, schema, statementPrefix(schema));
    this.commands = new PostgresCommands(
      this.executor,
      this.queries,
      this.options,
      this.rooms,
      this.archive,
    );
    this.eventsTable = `${schema}.events`;
    this.warmer = new ConnectionWarmer(
      this.executor,
      () => warmUpStatements(this.queries, this.options.lockTimeoutMs),
      this.options,
    );
    this.poolMax = poolMaxOf(opened.pool);
    if (opened.owned && options.replaceLostConnections !== false) {
      this.warmer.replaceLostConnections(opened.created, this.poolMax ?? 10);
    }
  }

  /**
   * Opens (up to) `connections` connections at once and warms each one: the server-side
   * functions compiled and planned, the catalog caches loaded, the statements prepared,
   * nothing written. Call it at start-up (after `migrate()`) so the first bookings do not
   * pay for a brand-new backend. Capped at the pool's size when that is known. Returns
   * how many connections it warmed (those warmed before are skipped).
   */
  async warmUp(connections = 1): Promise<number> {
    this.assertOpen('warmUp');
    const n = Math.max(0, Math.min(Math.floor(connections), this.poolMax ?? connections));
    return this.warmer.warmUp(n);
  }

  /** Creates or upgrades this store's schema; see `migrate()`. */
  async migrate(): Promise<MigrateResult> {
    this.assertOpen('migrate');
    return migrate({ pool: this.pool }, { schema: this.options.schema });
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async saveHotel<M extends SaveMode>(hotel: Hotel, mode: M): Promise<SaveOutcome<M>> {
    this.assertOpen('saveHotel');
    return this.commands.save('saveHotel', mode, hotelParams(hotel));
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    this.assertOpen('getHotel');
    return this.reads.getHotel(hotelId);
  }

  async listHotels(query: HotelListQuery): Promise<Hotel[]> {
    this.assertOpen('listHotels');
    return this.reads.listHotels(query);
  }

  async saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M): Promise<SaveOutcome<M>> {
    this.assertOpen('saveRoomType');
    return this.commands.save('saveRoomType', mode, roomTypeParams(roomType));
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    this.assertOpen('listRoomTypes');
    return this.reads.listRoomTypes(hotelId);
  }

  async saveRoom<M extends SaveMode>(
    room: Room,
    mode: M,
    guard: RoomSaveGuard,
  ): Promise<RoomSaveOutcome<M>> {
    this.assertOpen('saveRoom');
    return this.rooms.save(room, mode, guard);
  }

  async listRooms(hotelId: string): Promise<Room[]> {
    this.assertOpen('listRooms');
    return this.rooms.list(hotelId);
  }

  async listRoomNights(query: {
    hotelId: string;
    from: string;
    to: string;
    roomIds?: string[];
  }): Promise<RoomNightClaim[]> {
    this.assertOpen('listRoomNights');
    return this.rooms.claims(query);
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    this.assertOpen('getRateCard');
    return this.reads.getRateCard(hotelId);
  }

  /** A compare-and-set on the revision in one statement (see `PostgresCommands`). */
  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    this.assertOpen('putRateCard');
    return this.commands.putRateCard(card, expectedRevision);
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    this.assertOpen('updateCalendar');
    return this.commands.updateCalendar(update, at);
  }

  async readStay(query: StayQuery): Promise<StayView | null> {
    this.assertOpen('readStay');
    return this.reads.readStay(query);
  }

  async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    this.assertOpen('readStays');
    return this.reads.readStays(query);
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
    pricingRevision?: number;
  }): Promise<BookingOutcome> {
    this.assertOpen('applyBooking');
    return this.commands.applyBooking(plan);
  }

  /** One transaction: the row locked, decided here, applied by `apply_reservation_change`. */
  async changeReservation(
    reservationId: string,
    decide: ReservationDecider,
  ): Promise<ReservationOutcome> {
    this.assertOpen('changeReservation');
    return this.commands.changeReservation(reservationId, decide);
  }

  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    this.assertOpen('expireHolds');
    return this.commands.expireHolds(command.now, command.limit);
  }

  // ── Reservations: reads ──────────────────────────────────────────────────────────

  async getReservation(reservationId: string): Promise<Reservation | null> {
    this.assertOpen('getReservation');
    return this.reads.getReservation(reservationId);
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    this.assertOpen('findReservationByKey');
    return this.reads.findReservationByKey(hotelId, idempotencyKey);
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    this.assertOpen('listReservations');
    return this.reads.listReservations(query);
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    this.assertOpen('listPendingPayments');
    return this.reads.listPendingPayments(query);
  }

  // ── Archive ──────────────────────────────────────────────────────────────────────

  async listArchivable(query: {
    hotelId: string;
    before: string;
    afterId?: string;
    limit: number;
  }): Promise<Reservation[]> {
    this.assertOpen('listArchivable');
    return this.archive.archivable(query);
  }

  async listCalendarBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }): Promise<CalendarDay[]> {
    this.assertOpen('listCalendarBefore');
    return this.archive.daysBefore(query);
  }

  async removeArchived(command: ArchiveRemoval): Promise<ArchiveRemovalOutcome> {
    this.assertOpen('removeArchived');
    return this.archive.remove(command);
  }

  async findArchived(query: ArchivedQuery): Promise<ArchivedReservation[]> {
    this.assertOpen('findArchived');
    return this.archive.find(query);
  }

  async getArchiveHorizon(hotelId: string): Promise<string | null> {
    this.assertOpen('getArchiveHorizon');
    return this.archive.horizon(hotelId);
  }

  async forgetArchivedKeys(command: ForgetArchivedKeys): Promise<number> {
    this.assertOpen('forgetArchivedKeys');
    return this.archive.forgetKeys(command);
  }

  async eraseArchivedEntries(reservationIds: string[]): Promise<number> {
    this.assertOpen('eraseArchivedEntries');
    return this.archive.erase(reservationIds);
  }

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    this.assertOpen('audit');
    return this.reads.audit(options?.hotelId);
  }

  /** See `readSettledEvents` for why a reader never skips an event committing late. */
  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    this.assertOpen('readEvents');
    const events = await readSettledEvents(
      this.executor,
      this.queries,
      this.eventsTable,
      afterSeq,
      limit,
      this.options.feedWaitMs,
    );
    await this.feed.checkReader(afterSeq);
    return events;
  }

  async pruneEvents(command: { before: string; throughSeq?: number; limit: number }): Promise<{
    pruned: number;
    prunedThrough: number;
  }> {
    this.assertOpen('pruneEvents');
    return this.feed.prune(command);
  }

  async saveFeedCursor(cursor: FeedCursor): Promise<void> {
    this.assertOpen('saveFeedCursor');
    await this.feed.saveCursor(cursor);
  }

  async listFeedCursors(): Promise<FeedCursor[]> {
    this.assertOpen('listFeedCursors');
    return this.feed.cursors();
  }

  async deleteFeedCursor(name: string): Promise<boolean> {
    this.assertOpen('deleteFeedCursor');
    return this.feed.deleteCursor(name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.warmer.close();
    if (this.ownsPool) await this.pool.end();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────

  private assertOpen(operation: string): void {
    if (!this.closed) return;
    throw storeClosedError(`Postgres store (schema "${this.options.schema}")`, operation);
  }
}

/**
 * A store on `{ pool }` (yours; never ended by the store) or `{ connectionString }` (a
 * pool the store creates and ends on `close()`). The schema must exist: call
 * `migrate()` (or `store.migrate()`) once per deployment or at every start-up.
 */
export function createPostgresStore(
  connection: PostgresConnection,
  options: PostgresStoreOptions = {},
): PostgresStore {
  return new PostgresStore(connection, options);
}
