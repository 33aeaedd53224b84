import type {
  AuditReport,
  AvailabilityView,
  Hotel,
  HotelListQuery,
  RateCard,
  Reservation,
  ReservationQuery,
  RoomType,
  StayQuery,
  StaysQuery,
  StayView,
} from '@innkeeper/core';
import { availabilityView, leadingHotelFilter } from '@innkeeper/core/store';
import type { Queries, Statement } from './postgres-queries.js';
import {
  type AuditRow,
  StayCatalogs,
  type StayReadRow,
  toAuditReport,
  toHotel,
  toRateCard,
  toReservation,
  toRoomType,
} from './postgres-rows.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

/** Reads run again after a lost connection; they change nothing. */
const READ: RunOptions = { idempotent: true };

/**
 * The store's reads (`PostgresStore` checks it is open, then asks here): each one a single
 * statement in its own implicit transaction, run again after a lost connection. Stay reads
 * keep each hotel's parsed catalog (`StayCatalogs`) and ask the server for it again only
 * when its stamp moved on.
 */
export class PostgresReads {
  /** The catalogs `readStay` and `readStays` parsed, reused while their stamp holds. */
  private readonly stayCatalogs = new StayCatalogs();

  constructor(
    private readonly executor: PostgresExecutor,
    private readonly queries: Queries,
  ) {}

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
    if (query.hotelIds.length === 0) return [];
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

  async audit(hotelId: string | undefined): Promise<AuditReport> {
    const [row] = await this.read<AuditRow>(
      'audit',
      hotelId === undefined ? this.queries.audit : this.queries.auditHotel,
      hotelId === undefined ? [] : [hotelId],
    );
    return toAuditReport(row);
  }

  private read<Row>(operation: string, statement: Statement, values: unknown[]): Promise<Row[]> {
    return this.executor.statement<Row>(operation, { ...statement, values }, READ);
  }
}
