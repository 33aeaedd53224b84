import { ACTIVE_STATUSES } from '@innkeeper/core';
import { FRONT_DESK_STATUSES, type FrontDeskList } from '@innkeeper/core/store';
import type {
  CalendarRow,
  CalendarValuesRow,
  HotelRow,
  RateCardDataRow,
  ReservationDataRow,
  RoomTypeRow,
} from './sqlite-rows.js';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/** A prepared statement whose result rows have the shape `Row`. */
export interface Query<Row = never> {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
}

const DAY_VALUES = 'total, overbooking_limit, reserved, stop_sell, rate';

/** A calendar row as an array (see `Query.raw`): date, then the `DAY_VALUES`. */
export type DayTuple = [
  date: string,
  total: number,
  overbookingLimit: number,
  reserved: number,
  stopSell: number,
  rate: number | null,
];

/**
 * The columns of `reservations` in the order `reservationParams` gives their values:
 * the store's insert, and anything else writing whole rows (the bench's raw baseline).
 */
export const RESERVATION_COLUMNS = [
  'hotel_id',
  'reservation_id',
  'status',
  'check_in',
  'check_out',
  'guest_email',
  'created_at',
  'hold_expires_at',
  'idempotency_key',
  'request_fingerprint',
  'version',
  'data',
  'updated_at',
  'payment_pending',
] as const;

/** The insert of a whole reservation row into `reservations` (a table name from `SqliteTableNames`). */
export function insertReservationSql(reservations: string): string {
  return `INSERT INTO ${reservations} (${RESERVATION_COLUMNS.join(', ')})
  VALUES (${RESERVATION_COLUMNS.map(() => '?').join(', ')})`;
}

/** Listing filters, bound by name (every name must be given; `null` means "any"). */
const GUEST_FILTER = 'guest_email = @email AND (@hotelId IS NULL OR hotel_id = @hotelId)';
const HOTEL_FILTER = `hotel_id = @hotelId
  AND (@from IS NULL OR check_out > @from)
  AND (@to IS NULL OR check_in < @to)
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))`;
/**
 * Strictly after the cursor in newest-first order. A row value compares like the index
 * (created_at, reservation_id), so SQLite seeks straight to the cursor instead of
 * scanning the pages before it.
 */
const AFTER_CURSOR = '(created_at, reservation_id) < (@createdAt, @id)';
const NEWEST_FIRST = 'ORDER BY created_at DESC, reservation_id DESC LIMIT @limit';

/** Statuses as a SQL list of quoted literals (they are the core's own constants). */
const sqlList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/** The statuses whose nights count in `reserved`. */
const ACTIVE_STATUS_LIST = sqlList(ACTIVE_STATUSES);

/**
 * The front desk's lists (the core's `onFrontDeskList`), each on its index:
 * reservations_by_arrival, reservations_by_departure, reservations_in_house.
 */
const FRONT_DESK_FILTERS: Readonly<Record<FrontDeskList, string>> = {
  arrivals: `hotel_id = @hotelId AND check_in = @date
    AND status IN (${sqlList(FRONT_DESK_STATUSES.arrivals)})`,
  departures: `hotel_id = @hotelId AND check_out = @date
    AND status IN (${sqlList(FRONT_DESK_STATUSES.departures)})`,
  // Written as the partial index's own term (status = 'checked-in'): SQLite only uses a
  // partial index when the query's WHERE names its condition as written.
  'in-house': `hotel_id = @hotelId AND status = 'checked-in'
    AND check_in <= @date AND check_out >= @date`,
};

/**
 * Rooms per (room type, night) claimed by active reservations, read from the
 * reservations' own JSON (every line's rooms on each of its nights): the audit checks
 * the calendar against what the reservations say, not against a copy kept beside them.
 */
function expectedCte(t: SqliteTableNames, hotelScoped: boolean): string {
  return `expected AS MATERIALIZED (
    SELECT r.hotel_id, line.value ->> '$.roomTypeId' AS room_type_id,
           night.value ->> '$.date' AS date, SUM(line.value ->> '$.rooms') AS rooms
    FROM ${t.reservations} AS r,
         json_each(r.data, '$.lines') AS line,
         json_each(line.value, '$.nights') AS night
    WHERE r.status IN (${ACTIVE_STATUS_LIST}) ${hotelScoped ? 'AND r.hotel_id = @hotelId' : ''}
      AND night.value ->> '$.date' >= ${horizonOf(t, 'r.hotel_id')}
    GROUP BY 1, 2, 3
  )`;
}

/** The hotel's archive horizon as SQL (`''` when none: every date is after it). */
function horizonOf(t: SqliteTableNames, hotelId: string): string {
  return `COALESCE((SELECT h.before FROM ${t.archiveHorizons} AS h WHERE h.hotel_id = ${hotelId}), '')`;
}

/**
 * Every calendar row whose `reserved` differs from its active reservations' rooms or lies
 * outside [0, capacity], then every night claimed by an active reservation that has no
 * calendar row at all (`has_row` = 0).
 */
function auditSql(t: SqliteTableNames, hotelScoped: boolean): string {
  return `WITH ${expectedCte(t, hotelScoped)}
    SELECT c.hotel_id, c.room_type_id, c.date, c.reserved,
           COALESCE(e.rooms, 0) AS expected, c.total + c.overbooking_limit AS capacity, 1 AS has_row
    FROM ${t.calendar} AS c
    LEFT JOIN expected AS e
      ON e.hotel_id = c.hotel_id AND e.room_type_id = c.room_type_id AND e.date = c.date
    WHERE ${hotelScoped ? 'c.hotel_id = @hotelId AND' : ''}
      c.date >= ${horizonOf(t, 'c.hotel_id')} AND
      (c.reserved <> COALESCE(e.rooms, 0) OR c.reserved < 0 OR c.reserved > c.total + c.overbooking_limit)
    UNION ALL
    SELECT e.hotel_id, e.room_type_id, e.date, 0, e.rooms, 0, 0
    FROM expected AS e
    WHERE NOT EXISTS (
      SELECT 1 FROM ${t.calendar} AS c
      WHERE c.hotel_id = e.hotel_id AND c.room_type_id = e.room_type_id AND c.date = e.date
    )
    ORDER BY has_row DESC, hotel_id, room_type_id, date`;
}

export interface AuditRow {
  hotel_id: string;
  room_type_id: string;
  date: string;
  reserved: number;
  expected: number;
  capacity: number;
  has_row: 0 | 1;
}

/**
 * `listHotels`, one statement per index that can lead it: the city's, the country's, the
 * location's (a latitude range, the longitude checked from the same index entries) or
 * the primary key. The other filters are checked on the rows the index yields; a filter
 * not given is a NULL parameter that passes every row. Parameters by name: `afterId`
 * ('' for the first page), `limit`, `active`, `cityKey`, `country`, and the box's
 * `south`, `west`, `north`, `east` (`west > east` across the antimeridian).
 */
function hotelListings(q: <Row = never>(sql: string) => Query<Row>, t: SqliteTableNames) {
  const residual = `hotel_id > @afterId
    AND (@active IS NULL OR active = @active)
    AND (@cityKey IS NULL OR city_key = @cityKey)
    AND (@country IS NULL OR country = @country)
    AND (@south IS NULL OR (lat BETWEEN @south AND @north AND CASE WHEN @west <= @east
      THEN lon BETWEEN @west AND @east ELSE (lon >= @west OR lon <= @east) END))`;
  const listing = (index: string, lead: string) =>
    q<HotelRow>(`SELECT * FROM ${t.hotels} INDEXED BY ${index}
      WHERE ${lead} AND ${residual} ORDER BY hotel_id LIMIT @limit`);
  return {
    listHotels: q<HotelRow>(`SELECT * FROM ${t.hotels}
      WHERE ${residual} ORDER BY hotel_id LIMIT @limit`),
    listHotelsInCity: listing(`${t.prefix}hotels_by_city`, 'city_key = @cityKey'),
    listHotelsInCountry: listing(`${t.prefix}hotels_by_country`, 'country = @country'),
    listHotelsInBox: listing(`${t.prefix}hotels_by_location`, 'lat BETWEEN @south AND @north'),
  };
}

/**
 * Every statement the store runs, prepared once when it opens: preparing is a parse and
 * a plan, far more than running a prepared statement, so it never happens per call.
 */
export function prepareStatements(db: SqliteDatabase, t: SqliteTableNames) {
  const q = <Row = never>(sql: string) => db.prepare(sql) as unknown as Query<Row>;
  /** Rows as value arrays: no per-row object for better-sqlite3 to build. */
  const tuples = <Row extends unknown[]>(sql: string) =>
    db.prepare(sql).raw(true) as unknown as Query<Row>;
  return {
    // ── Catalog ──
    insertHotel: q(`INSERT INTO ${t.hotels}
      (hotel_id, name, time_zone, currency, overbooking_percent, active, profile,
       city_key, country, lat, lon, created_at, updated_at)
      VALUES (@id, @name, @timeZone, @currency, @overbookingPercent, @active, @profile,
       @cityKey, @country, @lat, @lon, @createdAt, @updatedAt)
      ON CONFLICT (hotel_id) DO NOTHING`),
    // Updates never assign key columns: with foreign keys on, that alone would make SQLite
    // re-check every child row.
    updateHotel: q(`UPDATE ${t.hotels}
      SET (name, time_zone, currency, overbooking_percent, active, profile,
           city_key, country, lat, lon, created_at, updated_at)
        = (@name, @timeZone, @currency, @overbookingPercent, @active, @profile,
           @cityKey, @country, @lat, @lon, @createdAt, @updatedAt)
      WHERE hotel_id = @id`),
    getHotel: q<HotelRow>(`SELECT * FROM ${t.hotels} WHERE hotel_id = ?`),
    ...hotelListings(q, t),
    insertRoomType: q(`INSERT INTO ${t.roomTypes}
      (hotel_id, room_type_id, name, max_adults, max_children, max_occupancy,
       overbooking_percent, base_rate, active, display_order, profile, created_at, updated_at)
      VALUES (@hotelId, @id, @name, @maxAdults, @maxChildren, @maxOccupancy,
       @overbookingPercent, @baseRate, @active, @displayOrder, @profile, @createdAt, @updatedAt)
      ON CONFLICT (hotel_id, room_type_id) DO NOTHING`),
    updateRoomType: q(`UPDATE ${t.roomTypes}
      SET (name, max_adults, max_children, max_occupancy, overbooking_percent, base_rate,
           active, display_order, profile, created_at, updated_at)
        = (@name, @maxAdults, @maxChildren, @maxOccupancy, @overbookingPercent, @baseRate,
           @active, @displayOrder, @profile, @createdAt, @updatedAt)
      WHERE hotel_id = @hotelId AND room_type_id = @id`),
    listRoomTypes: q<RoomTypeRow>(
      `SELECT * FROM ${t.roomTypes} WHERE hotel_id = ? ORDER BY room_type_id`,
    ),

    // ── Calendar ──
    getDay: q<CalendarValuesRow>(
      `SELECT ${DAY_VALUES} FROM ${t.calendar} WHERE hotel_id = ? AND room_type_id = ? AND date = ?`,
    ),
    listDays: q<CalendarRow>(`SELECT * FROM ${t.calendar}
      WHERE hotel_id = ? AND room_type_id = ? AND date >= ? AND date < ? ORDER BY date`),
    upsertDay: q(`INSERT INTO ${t.calendar}
      (hotel_id, room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (hotel_id, room_type_id, date) DO UPDATE SET
        total = excluded.total, overbooking_limit = excluded.overbooking_limit,
        reserved = excluded.reserved, stop_sell = excluded.stop_sell, rate = excluded.rate`),
    /** One room type's rows from `from` to `to`, both included. */
    daysBetween: tuples<DayTuple>(`SELECT date, ${DAY_VALUES} FROM ${t.calendar}
      WHERE hotel_id = ? AND room_type_id = ? AND date BETWEEN ? AND ? ORDER BY date`),
    /** Parameters: reserved, hotel, room type, date. The table's CHECK is the backstop. */
    setReserved: q(`UPDATE ${t.calendar} SET reserved = ?
      WHERE hotel_id = ? AND room_type_id = ? AND date = ?`),

    // ── Reservations ──
    getReservation: q<ReservationDataRow>(
      `SELECT data FROM ${t.reservations} WHERE reservation_id = ?`,
    ),
    getReservationByKey: q<ReservationDataRow & { request_fingerprint: string }>(
      `SELECT request_fingerprint, data FROM ${t.reservations}
      WHERE hotel_id = ? AND idempotency_key = ?`,
    ),
    /**
     * A booking's first read, one row always: the reservation already under its key (`data`
     * null when none) and the hotel's pricing revision (null when no hotel). One statement
     * where the booking made two: a key lookup and, when priced from a cache, the revision.
     * Parameters: hotel, key.
     */
    bookingKeyAndRevision: q<{ data: string | null; pricing_revision: number | null }>(
      `SELECT r.data AS data, h.pricing_revision AS pricing_revision
      FROM (SELECT ? AS hotel_id, ? AS idempotency_key) AS k
      LEFT JOIN ${t.hotels} AS h ON h.hotel_id = k.hotel_id
      LEFT JOIN ${t.reservations} AS r
        ON r.hotel_id = k.hotel_id AND r.idempotency_key = k.idempotency_key`,
    ),
    insertReservation: q(insertReservationSql(t.reservations)),
    /** What a state change can alter; the key, guest and creation stay as booked. */
    updateReservation: q(`UPDATE ${t.reservations}
      SET (status, check_in, check_out, guest_email, hold_expires_at, version, data, updated_at,
           payment_pending)
        = (?, ?, ?, ?, ?, ?, ?, ?, ?)
      WHERE hotel_id = ? AND reservation_id = ?`),
    /** The reservation of the hotel holding an external reference (migration 5's index). */
    externalRefHolder: q<{ reservation_id: string }>(`SELECT reservation_id FROM ${t.reservations}
      WHERE hotel_id = ? AND external_ref = ?`),
    /**
     * Due holds, oldest expiry first, from the partial index of held reservations. Holds
     * whose charge is pending are not expiry's to release (`decideExpire` leaves them
     * alone): selecting them would let a batch of them starve the due holds behind it.
     * The WHERE repeats the index's own terms, so SQLite can use it.
     */
    dueHolds: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE status = 'held' AND payment_pending IS NOT 'charge' AND hold_expires_at <= ?
      ORDER BY hold_expires_at, reservation_id LIMIT ?`),
    /** Reservations waiting for a gateway call, oldest change first (partial index). */
    pendingPayments: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE payment_pending IS NOT NULL AND updated_at <= ?
      ORDER BY updated_at, reservation_id LIMIT ?`),

    // ── Rate cards ──
    getRateCard: q<RateCardDataRow>(`SELECT data FROM ${t.rateCards} WHERE hotel_id = ?`),
    getRateCardRevision: q<{ revision: number }>(
      `SELECT revision FROM ${t.rateCards} WHERE hotel_id = ?`,
    ),
    hotelExists: q<{ found: 1 }>(`SELECT 1 AS found FROM ${t.hotels} WHERE hotel_id = ?`),
    upsertRateCard: q(`INSERT INTO ${t.rateCards} (hotel_id, revision, data) VALUES (?, ?, ?)
      ON CONFLICT (hotel_id) DO UPDATE SET revision = excluded.revision, data = excluded.data`),
    byGuest: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${GUEST_FILTER} ${NEWEST_FIRST}`),
    byGuestAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${GUEST_FILTER} AND ${AFTER_CURSOR} ${NEWEST_FIRST}`),
    byHotel: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${HOTEL_FILTER} ${NEWEST_FIRST}`),
    byHotelAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${HOTEL_FILTER} AND ${AFTER_CURSOR} ${NEWEST_FIRST}`),
    arrivals: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${FRONT_DESK_FILTERS.arrivals} ${NEWEST_FIRST}`),
    arrivalsAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${FRONT_DESK_FILTERS.arrivals} AND ${AFTER_CURSOR} ${NEWEST_FIRST}`),
    departures: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${FRONT_DESK_FILTERS.departures} ${NEWEST_FIRST}`),
    departuresAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE ${FRONT_DESK_FILTERS.departures} AND ${AFTER_CURSOR} ${NEWEST_FIRST}`),
    // At most one reservation per hotel holds a reference (a unique index).
    // An external reference is unique per hotel (a unique index): at most one row, so
    // there is nothing to sort, and an ORDER BY would only add a temporary B-tree.
    byExternalRef: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE hotel_id = @hotelId AND external_ref = @externalRef LIMIT @limit`),
    byExternalRefAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      WHERE hotel_id = @hotelId AND external_ref = @externalRef AND ${AFTER_CURSOR} LIMIT @limit`),
    // The guests in house are at most the hotel's rooms: read them from their partial
    // index in list order (named, or the planner may prefer a range on check_out and sort).
    inHouse: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      INDEXED BY ${t.prefix}reservations_in_house
      WHERE ${FRONT_DESK_FILTERS['in-house']} ${NEWEST_FIRST}`),
    inHouseAfter: q<ReservationDataRow>(`SELECT data FROM ${t.reservations}
      INDEXED BY ${t.prefix}reservations_in_house
      WHERE ${FRONT_DESK_FILTERS['in-house']} AND ${AFTER_CURSOR} ${NEWEST_FIRST}`),

    // ── Change feed and audit ──
    insertEvent: q(`INSERT INTO ${t.events} (type, at, hotel_id, reservation_id, days)
      VALUES (?, ?, ?, ?, ?)`),
    // The rows the audit looks at: those on or after their hotel's archive horizon.
    countDays: q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${t.calendar} AS c WHERE c.date >= ${horizonOf(t, 'c.hotel_id')}`,
    ),
    countHotelDays: q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${t.calendar} AS c
        WHERE c.hotel_id = ? AND c.date >= ${horizonOf(t, 'c.hotel_id')}`,
    ),
    countReservations: q<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.reservations}`),
    countHotelReservations: q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${t.reservations} WHERE hotel_id = ?`,
    ),
    auditAll: q<AuditRow>(auditSql(t, false)),
    auditHotel: q<AuditRow>(auditSql(t, true)),
  };
}

export type SqliteStatements = ReturnType<typeof prepareStatements>;
