import {
  type AuditReport,
  type BookingOutcome,
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  type Decision,
  decideBeginCharge,
  decideCancel,
  decideConfirm,
  decideExpire,
  decideModification,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
  type Hotel,
  InnkeeperError,
  type InnkeeperEvent,
  type InnkeeperStore,
  type InventoryDelta,
  type ModificationChange,
  type PaymentRecord,
  type RateCard,
  type Reservation,
  type ReservationOutcome,
  type ReservationQuery,
  type RoomType,
} from '@innkeeper/core';
import { readSettledEvents } from './postgres-change-feed.js';
import { PostgresCommands } from './postgres-commands.js';
import { openPool } from './postgres-connection.js';
import { type MigrateResult, migrate } from './postgres-migrations.js';
import { buildQueries, type Queries } from './postgres-queries.js';
import {
  type AuditRow,
  fromJson,
  hotelParams,
  roomTypeParams,
  toCalendarDays,
  toCount,
  toFindings,
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
 * Catalog inserts are not: a re-run after a lost COMMIT would answer 'exists' for the
 * row this very call created, so the caller is told the outcome is unknown instead.
 */
const ONCE: RunOptions = { idempotent: false };
/** Catalog updates write the same values again: repeatable. */
const OVERWRITE: RunOptions = { idempotent: true };

/**
 * The Postgres store. Every command is one transaction on one pooled connection; the
 * write paths (booking, reservation changes, calendar updates) are `PostgresCommands`,
 * reads are single statements, and the change feed is `readSettledEvents`.
 *
 * Nothing is cached in the process: any number of app servers may share the database.
 */
export class PostgresStore implements InnkeeperStore {
  /** The store port this class implements (see `STORE_PORT_VERSION` in the core). */
  readonly portVersion = 1;
  readonly options: ResolvedPostgresOptions;
  private readonly pool: PostgresPool;
  private readonly ownsPool: boolean;
  private readonly executor: PostgresExecutor;
  private readonly queries: Queries;
  private readonly commands: PostgresCommands;
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
    this.commands = new PostgresCommands(this.executor, this.queries, this.options);
    this.eventsTable = `${schema}.events`;
    this.warmer = new ConnectionWarmer(
      this.executor,
      warmUpStatements(this.queries, this.options.lockTimeoutMs),
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
    this.assertOpen();
    const n = Math.max(0, Math.min(Math.floor(connections), this.poolMax ?? connections));
    return this.warmer.warmUp(n);
  }

  /** Creates or upgrades this store's schema; see `migrate()`. */
  async migrate(): Promise<MigrateResult> {
    this.assertOpen();
    return migrate({ pool: this.pool }, { schema: this.options.schema });
  }

  // ── Catalog ──────────────────────────────────────────────────────────────────────

  async insertHotel(hotel: Hotel): Promise<'created' | 'exists'> {
    const inserted = await this.write(
      'insertHotel',
      this.queries.insertHotel,
      hotelParams(hotel),
      ONCE,
    );
    return inserted > 0 ? 'created' : 'exists';
  }

  async updateHotel(hotel: Hotel): Promise<'updated' | 'missing'> {
    const updated = await this.write(
      'updateHotel',
      this.queries.updateHotel,
      hotelParams(hotel),
      OVERWRITE,
    );
    return updated > 0 ? 'updated' : 'missing';
  }

  async getHotel(hotelId: string): Promise<Hotel | null> {
    const [row] = await this.read<{ json: string }>('getHotel', this.queries.getHotel, [hotelId]);
    return row ? toHotel(row.json) : null;
  }

  async listHotels(query: { afterId?: string; limit: number }): Promise<Hotel[]> {
    const rows = await this.read<{ json: string }>('listHotels', this.queries.listHotels, [
      query.afterId ?? '',
      query.limit,
    ]);
    return rows.map((row) => toHotel(row.json));
  }

  async insertRoomType(roomType: RoomType): Promise<'created' | 'exists'> {
    const params = roomTypeParams(roomType);
    const inserted = await this.write('insertRoomType', this.queries.insertRoomType, params, ONCE);
    return inserted > 0 ? 'created' : 'exists';
  }

  async updateRoomType(roomType: RoomType): Promise<'updated' | 'missing'> {
    const params = roomTypeParams(roomType);
    const updated = await this.write(
      'updateRoomType',
      this.queries.updateRoomType,
      params,
      OVERWRITE,
    );
    return updated > 0 ? 'updated' : 'missing';
  }

  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    const rows = await this.read<{ json: string }>('listRoomTypes', this.queries.listRoomTypes, [
      hotelId,
    ]);
    return rows.map((row) => toRoomType(row.json));
  }

  async getRateCard(hotelId: string): Promise<RateCard | null> {
    const [row] = await this.read<{ data: string }>('getRateCard', this.queries.getRateCard, [
      hotelId,
    ]);
    return toRateCard(row?.data);
  }

  /**
   * One statement: insert (expected revision 0) or update where the stored revision is
   * the expected one. Not re-run after a COMMIT lost on the way: the re-run would find
   * its own write and answer 'conflict', so the caller hears the outcome is unknown.
   */
  async putRateCard(
    card: RateCard,
    expectedRevision: number,
  ): Promise<'updated' | 'conflict' | 'missing'> {
    this.assertOpen();
    if (card.revision !== expectedRevision + 1) {
      const message = `A rate card replacing revision ${expectedRevision} must have revision ${expectedRevision + 1}, not ${card.revision}`;
      throw new InnkeeperError('VALIDATION', message, {
        issues: [{ path: ['revision'], message }],
      });
    }
    const [row] = await this.executor.statement<{ hotel_exists: boolean; written: unknown }>(
      'putRateCard',
      {
        ...this.queries.putRateCard,
        values: [card.hotelId, card.revision, JSON.stringify(card), expectedRevision],
      },
      ONCE,
    );
    if (!row?.hotel_exists) return 'missing';
    return toCount(row.written) > 0 ? 'updated' : 'conflict';
  }

  // ── Calendar ─────────────────────────────────────────────────────────────────────

  async updateCalendar(update: CalendarUpdate, at: string): Promise<CalendarUpdateOutcome> {
    this.assertOpen();
    return this.commands.updateCalendar(update, at);
  }

  async readStay(query: { hotelId: string; roomTypeIds?: string[]; from: string; to: string }) {
    const filtered = query.roomTypeIds !== undefined;
    const values: unknown[] = [query.hotelId, query.from, query.to];
    if (filtered) values.push(query.roomTypeIds);
    const [row] = await this.read<{
      hotel: string;
      room_types: string;
      rate_card: string | null;
      days: string;
    }>('readStay', filtered ? this.queries.readStayTypes : this.queries.readStay, values);
    if (!row) return null;
    return {
      hotel: toHotel(row.hotel),
      roomTypes: fromJson<RoomType[]>(row.room_types),
      rateCard: toRateCard(row.rate_card),
      days: toCalendarDays(row.days),
    };
  }

  // ── Reservations: commands ───────────────────────────────────────────────────────

  async applyBooking(plan: {
    reservation: Reservation;
    deltas: InventoryDelta[];
  }): Promise<BookingOutcome> {
    this.assertOpen();
    return this.commands.applyBooking(plan);
  }

  async confirmHold(command: {
    reservationId: string;
    at: string;
    payment?: PaymentRecord;
  }): Promise<ReservationOutcome> {
    return this.decideAndApply('confirmHold', command.reservationId, (r) =>
      decideConfirm(r, command.at, command.payment),
    );
  }

  async releaseHold(command: {
    reservationId: string;
    at: string;
    reason: string;
    payment: PaymentRecord | null;
  }): Promise<ReservationOutcome> {
    return this.decideAndApply('releaseHold', command.reservationId, (r) =>
      decideRelease(r, command.at, command.reason, command.payment),
    );
  }

  async markNoShow(command: { reservationId: string; at: string }): Promise<ReservationOutcome> {
    return this.decideAndApply('markNoShow', command.reservationId, (r) =>
      decideNoShow(r, command.at),
    );
  }

  async beginCharge(command: {
    reservationId: string;
    at: string;
    payment: PaymentRecord;
  }): Promise<ReservationOutcome> {
    return this.decideAndApply('beginCharge', command.reservationId, (r) =>
      decideBeginCharge(r, command.at, command.payment),
    );
  }

  async recordRefund(command: {
    reservationId: string;
    at: string;
    refundId: string;
  }): Promise<ReservationOutcome> {
    return this.decideAndApply('recordRefund', command.reservationId, (r) =>
      decideRefundRecorded(r, command.at, command.refundId),
    );
  }

  async applyCancellation(command: {
    reservationId: string;
    at: string;
    reason?: string;
  }): Promise<ReservationOutcome> {
    return this.decideAndApply('applyCancellation', command.reservationId, (r) =>
      decideCancel(r, command.at, command.reason),
    );
  }

  async applyModification(
    command: ModificationChange & { reservationId: string; at: string },
  ): Promise<ReservationOutcome> {
    return this.decideAndApply('applyModification', command.reservationId, (r) =>
      decideModification(r, command, command.at),
    );
  }

  async expireHolds(command: { now: string; limit: number }): Promise<Reservation[]> {
    const due = await this.read<{ reservation_id: string }>(
      'expireHolds',
      this.queries.heldBefore,
      [command.now, command.limit],
    );
    const expired: Reservation[] = [];
    // One transaction per hold: a hold confirmed meanwhile is judged (and left alone) by
    // decideExpire on its locked row, and one slow row never holds up the others.
    for (const { reservation_id } of due) {
      const outcome = await this.decideAndApply('expireHolds', reservation_id, (r) =>
        decideExpire(r, command.now),
      );
      if (outcome.kind === 'applied') expired.push(outcome.reservation);
    }
    return expired;
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
    this.assertOpen();
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

  // ── Integrity and change feed ────────────────────────────────────────────────────

  async audit(options?: { hotelId?: string }): Promise<AuditReport> {
    const hotelId = options?.hotelId;
    const [row] = await this.read<AuditRow>(
      'audit',
      hotelId === undefined ? this.queries.audit : this.queries.auditHotel,
      hotelId === undefined ? [] : [hotelId],
    );
    const findings = toFindings(row?.findings ?? '[]');
    return {
      ok: findings.length === 0,
      rowsChecked: toCount(row?.rows_checked ?? 0),
      reservationsChecked: toCount(row?.reservations_checked ?? 0),
      findings,
    };
  }

  /** See `readSettledEvents` for why a reader never skips an event committing late. */
  async readEvents(afterSeq: number, limit: number): Promise<InnkeeperEvent[]> {
    this.assertOpen();
    return readSettledEvents(
      this.executor,
      this.queries,
      this.eventsTable,
      afterSeq,
      limit,
      this.options.feedWaitMs,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.warmer.close();
    if (this.ownsPool) await this.pool.end();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────

  private async decideAndApply(
    operation: string,
    reservationId: string,
    decide: (current: Reservation) => Decision,
  ): Promise<ReservationOutcome> {
    this.assertOpen();
    return this.commands.changeReservation(operation, reservationId, decide);
  }

  private async read<Row>(
    operation: string,
    statement: { name: string; text: string },
    values: unknown[],
  ): Promise<Row[]> {
    this.assertOpen();
    return this.executor.statement<Row>(operation, { ...statement, values }, READ);
  }

  /** A single-row catalog write; returns the affected row count. */
  private async write(
    operation: string,
    statement: { name: string; text: string },
    values: unknown[],
    options: RunOptions,
  ): Promise<number> {
    this.assertOpen();
    return this.executor.count(operation, { ...statement, values }, options);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('This Postgres store is closed');
  }
}

/** `pg.Pool`'s `options.max` (a pool the store creates is a `pg.Pool` too), if readable. */
function poolMaxOf(pool: PostgresPool): number | undefined {
  const max = (pool as { options?: { max?: unknown } }).options?.max;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : undefined;
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
