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
  availabilityView,
  type BookingOutcome,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  type FeedCursor,
  type ForgetArchivedKeys,
  type InventoryDelta,
  leadingHotelFilter,
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
import { PostgresRooms } from './postgres-rooms.js';
import {
  type AuditRow,
  hotelParams,
  roomTypeParams,
  StayCatalogs,
  type StayReadRow,
  toAuditReport,
  toHotel,
  toRateCard,
  toReservation,
  toRoomType,
} from './postgres-rows.js';
import {
  type PostgresConnection,
  type PostgresPool,
  type PostgresStoreOptions,
  quoteIdentifier,
  type ResolvedPostgresOptions,
  resolveOptions,
} from './postgres-store-config.js';
import { PostgresExecutor, type RunOptions } from './postgres-transaction.js';
import { ConnectionWarmer, warmUpStatements } from './postgres-warm-up.js';

/** Reads run again after a lost connection; they change nothing. */
const READ: RunOptions = { idempotent: true };

/**
 * The Postgres store. Every command is one transaction on one pooled connection; the
 * write paths (booking, reservation changes, calendar updates) are `PostgresCommands`,
 * reads are single statements, and the change feed is `readSettledEvents`.
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
  /** The catalogs `readStays` parsed, reused while their stamp holds. */
  private readonly stayCatalogs = new StayCatalogs();
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
    const [row] = await this.read<{ json: string }>('getHotel', this.queries.getHotel, [hotelId]);
    return row ? toHotel(row.json) : null;
  }

  async listHotels(query: HotelListQuery): Promise<Hotel[]> {
    const q = this.queries;
    // The statement of the index that leads the filters (see `hotelListings`).
    const statement = {
      city: q.listHotelsInCity,
      country: q.listHotelsInCountry,
      box: q.listHotelsInBox,
      none: q.listHotels,
    }[leadingHotelFilter(query) ?? 'none'];
    const rows = await this.read<{ json: string }>('listHotels', statement, [
      query.afterId ?? '',
      query.limit,
      query.active ?? null,
      query.cityKey ?? null,
      query.country ?? null,
      query.box?.south ?? null,
      query.box?.west ?? null,
      query.box?.north ?? null,
      query.box?.east ?? null,
    ]);
    return rows.map((row) => toHotel(row.json));
  }

  async saveRoomType<M extends SaveMode>(roomType: RoomType, mode: M): Promise<SaveOutcome<M>> {
    this.assertOpen('saveRoomType');
    return this.commands.save('saveRoomType', mode, roomTypeParams(roomType));
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    const rows = await this.read<{ json: string }>('listRoomTypes', this.queries.listRoomTypes, [
      hotelId,
    ]);
    return rows.map((row) => toRoomType(row.json));
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
    const [row] = await this.read<{ data: string }>('getRateCard', this.queries.getRateCard, [
      hotelId,
    ]);
    return toRateCard(row?.data);
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
    const held = this.stayCatalogs.held(query.hotelId);
    const stamp = held?.stamp ?? null;
    const [row] = await this.read<StayReadRow>(
      'readStay',
      query.roomTypeIds === undefined ? this.queries.readStay : this.queries.readStayTypes,
      query.roomTypeIds === undefined
        ? [query.hotelId, query.from, query.to, stamp]
        : [query.hotelId, query.from, query.to, query.roomTypeIds, stamp],
    );
    return row ? this.stayCatalogs.stayOf(row, held, query.roomTypeIds) : null;
  }

  async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    if (query.hotelIds.length === 0) {
      this.assertOpen('readStays');
      return [];
    }
    const held = new Map(query.hotelIds.map((id) => [id, this.stayCatalogs.held(id)]));
    const rows = await this.read<StayReadRow>('readStays', this.queries.readStays, [
      query.hotelIds,
      query.from,
      query.to,
      query.hotelIds.map((id) => held.get(id)?.stamp ?? null),
    ]);
    // In the order asked (the statement joins the ids as given).
    const byId = new Map(
      rows.map((row) => [
        row.hotel_id,
        availabilityView(this.stayCatalogs.stayOf(row, held.get(row.hotel_id))),
      ]),
    );
    return query.hotelIds.flatMap((id) => {
      const view = byId.get(id);
      return view ? [view] : [];
    });
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
    const [row] = await this.read<{ data: string }>('getReservation', this.queries.getReservation, [
      reservationId,
    ]);
    return row ? toReservation(row.data) : null;
  }

  async findReservationByKey(hotelId: string, idempotencyKey: string): Promise<Reservation | null> {
    const [row] = await this.read<{ data: string }>(
      'findReservationByKey',
      this.queries.findByKey,
      [hotelId, idempotencyKey],
    );
    return row ? toReservation(row.data) : null;
  }

  async listReservations(query: ReservationQuery): Promise<Reservation[]> {
    this.assertOpen('listReservations');
    const rows = await this.executor.statement<{ data: string }>(
      'listReservations',
      this.queries.listReservations(query),
      READ,
    );
    return rows.map((row) => toReservation(row.data));
  }

  async listPendingPayments(query: {
    updatedBefore: string;
    limit: number;
  }): Promise<Reservation[]> {
    const rows = await this.read<{ data: string }>(
      'listPendingPayments',
      this.queries.pendingPayments,
      [query.updatedBefore, query.limit],
    );
    return rows.map((row) => toReservation(row.data));
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
    const hotelId = options?.hotelId;
    const [row] = await this.read<AuditRow>(
      'audit',
      hotelId === undefined ? this.queries.audit : this.queries.auditHotel,
      hotelId === undefined ? [] : [hotelId],
    );
    return toAuditReport(row);
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

  private async read<Row>(
    operation: string,
    statement: { name: string; text: string },
    values: unknown[],
  ): Promise<Row[]> {
    this.assertOpen(operation);
    return this.executor.statement<Row>(operation, { ...statement, values }, READ);
  }

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
