import { ACTIVE_STATUSES, type ReservationQuery } from '@innkeeper/core';
import { FRONT_DESK_STATUSES } from '@innkeeper/core/store';
import type { PostgresQueryConfig } from './postgres-store-config.js';

/** The statuses whose nights count in `reserved`, as a SQL list (the core's, quoted). */
const ACTIVE_STATUS_LIST = ACTIVE_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * The store's SQL, for one schema. Each statement is named, so node-postgres prepares
 * it once per connection and later calls skip parsing and planning. Names carry a hash
 * of the schema: two stores on different schemas can share a pool without their
 * prepared statements colliding.
 */
export type Statement = Required<Pick<PostgresQueryConfig, 'name' | 'text'>>;

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** What this schema's statement names start with: two schemas never share a name. */
export function statementPrefix(q: string): string {
  return `ik_${fnv1a(q)}_`;
}

/** `q` is the quoted schema, e.g. `"innkeeper"`. */
export function buildQueries(q: string) {
  const prefix = statementPrefix(q);
  const named = (name: string, text: string): Statement => ({ name: prefix + name, text });
  // A stay read's columns (readStay, readStays). The catalog (hotel, room types, rate card)
  // comes only when the stamp \`known\` (an expression: what the store holds of this
  // hotel, null for nothing) is not the hotel's current one: building its JSON was most of
  // a read's time on the server. The stamp is the hotel row's xmin (every write of the row
  // makes a new version) with its pricing revision, which every room type and rate card
  // write moves on in the same transaction (see \`StayCatalogs\`). Room types and days come
  // as positional JSON arrays (json, not jsonb: built as text, never parsed back). The days
  // are read per room type (\`roomTypes\`: a filter on \`t\`, or nothing): the calendar's
  // key is (hotel, room type, date), so a range of dates is an index range only under one
  // room type; filtering a hotel's rows by date alone would walk every date it has.
  const stayColumns = (known: string, roomTypes: string) => {
    const stamp = `h.xmin::text || '/' || h.pricing_revision`;
    const unlessHeld = (column: string) =>
      `CASE WHEN ${known} IS DISTINCT FROM ${stamp} THEN ${column} END`;
    return `h.hotel_id, ${stamp} AS stamp,
        ${unlessHeld(`${q}.hotel_json(h)::text`)} AS hotel,
        ${unlessHeld(`(SELECT coalesce(json_agg(json_build_array(r.room_type_id, r.name,
             r.max_adults, r.max_children, r.max_occupancy, r.overbooking_percent, r.base_rate,
             r.active, r.display_order, r.profile, ${q}.iso_instant(r.created_at),
             ${q}.iso_instant(r.updated_at)) ORDER BY r.room_type_id), '[]')
           FROM ${q}.room_types r WHERE r.hotel_id = h.hotel_id)::text`)} AS room_types,
        (SELECT coalesce(json_agg(json_build_array(c.room_type_id, c.date, c.total,
             c.overbooking_limit, c.reserved, c.stop_sell, c.rate)
             ORDER BY c.room_type_id, c.date), '[]')
           FROM ${q}.calendar c
           WHERE c.hotel_id = h.hotel_id
             AND c.room_type_id = ANY (ARRAY(SELECT t.room_type_id FROM ${q}.room_types t
               WHERE t.hotel_id = h.hotel_id${roomTypes}))
             AND c.date >= $2 AND c.date < $3)::text AS days,
        ${unlessHeld(`(SELECT k.data::text FROM ${q}.rate_cards k WHERE k.hotel_id = h.hotel_id)`)}
          AS rate_card,
        h.pricing_revision::text AS pricing_revision`;
  };
  // $1 the hotel, $2 and $3 the dates; readStayTypes: $4 the room types, $5 the stamp held;
  // readStay: $4 the stamp held.
  const readStay = (filtered: boolean) =>
    named(
      filtered ? 'readStayTypes' : 'readStay',
      `SELECT ${stayColumns(filtered ? '$5::text' : '$4::text', filtered ? ' AND t.room_type_id = ANY ($4)' : '')}
       FROM ${q}.hotels h WHERE h.hotel_id = $1`,
    );
  const audit = (oneHotel: boolean) => {
    const hotel = (alias: string) => (oneHotel ? ` AND ${alias}.hotel_id = $1` : '');
    // Dates before the hotel's archive horizon are archived: the audit leaves them out.
    const horizon = (alias: string) =>
      `coalesce((SELECT h.before FROM ${q}.archive_horizons h WHERE h.hotel_id = ${alias}.hotel_id), '-infinity')`;
    return named(
      oneHotel ? 'auditHotel' : 'audit',
      // One statement, so one snapshot: rows and reservations are compared as of one instant.
      `WITH expected AS (
         SELECT n.hotel_id, n.room_type_id, n.date, sum(n.rooms)::integer AS rooms
         FROM ${q}.reservation_nights n
         JOIN ${q}.reservations r
           ON r.hotel_id = n.hotel_id AND r.reservation_id = n.reservation_id
         WHERE r.status IN (${ACTIVE_STATUS_LIST})${hotel('n')}
           AND n.date >= ${horizon('n')}
         GROUP BY n.hotel_id, n.room_type_id, n.date
       ),
       compared AS (
         SELECT coalesce(c.hotel_id, e.hotel_id) AS hotel_id,
                coalesce(c.room_type_id, e.room_type_id) AS room_type_id,
                coalesce(c.date, e.date) AS date,
                coalesce(c.reserved, 0) AS reserved,
                coalesce(e.rooms, 0) AS expected,
                coalesce(c.total + c.overbooking_limit, 0) AS capacity,
                c.hotel_id IS NULL AS no_row
         FROM (SELECT * FROM ${q}.calendar c WHERE c.date >= ${horizon('c')}${hotel('c')}) c
         FULL JOIN expected e
           ON e.hotel_id = c.hotel_id AND e.room_type_id = c.room_type_id AND e.date = c.date
       ),
       findings AS (
         SELECT k.*, p.problem, p.ord
         FROM compared k
         CROSS JOIN LATERAL (VALUES ('drift', 1, k.reserved <> k.expected),
                                    ('negative', 2, k.reserved < 0),
                                    ('over-capacity', 3, k.reserved > k.capacity)) AS p(problem, ord, hit)
         WHERE p.hit
       )
       SELECT (SELECT count(*) FROM ${q}.calendar c WHERE c.date >= ${horizon('c')}${hotel('c')})::integer
                AS rows_checked,
              (SELECT count(*) FROM ${q}.reservations r WHERE true${hotel('r')})::integer
                AS reservations_checked,
              (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'hotelId', f.hotel_id, 'roomTypeId', f.room_type_id,
                  'date', ${q}.iso_date(f.date), 'reserved', f.reserved, 'expected', f.expected,
                  'capacity', f.capacity, 'problem', f.problem)
                ORDER BY f.no_row, f.hotel_id, f.room_type_id, f.date, f.ord), '[]')
               FROM findings f)::text AS findings`,
    );
  };
  const reservationJson = `SELECT data::text AS data FROM ${q}.reservations`;

  // listHotels, one statement per index that can lead it (the city's, the country's, the
  // location's, or the primary key), the other filters checked on the rows it yields; a
  // filter not given is NULL and passes every row. $1 after id, $2 limit, $3 active,
  // $4 city key, $5 country, $6..$9 the box's south, west, north, east (west > east across
  // the antimeridian).
  const residual = `h.hotel_id > $1
    AND ($3::boolean IS NULL OR h.active = $3)
    AND ($4::text IS NULL OR h.city_key = $4)
    AND ($5::text IS NULL OR h.country = $5)
    AND ($6::float8 IS NULL OR (h.lat BETWEEN $6 AND $8 AND CASE WHEN $7::float8 <= $9::float8
      THEN h.lon BETWEEN $7 AND $9 ELSE (h.lon >= $7 OR h.lon <= $9) END))`;
  const listing = (name: string, lead: string) =>
    named(
      name,
      `SELECT ${q}.hotel_json(h)::text AS json FROM ${q}.hotels h
       WHERE ${lead} ${residual} ORDER BY h.hotel_id LIMIT $2`,
    );
  const hotelListings = {
    listHotels: listing('listHotels', ''),
    listHotelsInCity: listing('listHotelsInCity', 'h.city_key = $4 AND'),
    listHotelsInCountry: listing('listHotelsInCountry', 'h.country = $5 AND'),
    listHotelsInBox: listing('listHotelsInBox', 'h.lat BETWEEN $6 AND $8 AND'),
  };

  return {
    insertHotel: named(
      'insertHotel',
      `INSERT INTO ${q}.hotels
         (hotel_id, name, time_zone, currency, overbooking_percent, created_at, updated_at,
          active, profile, city_key, country, lat, lon)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (hotel_id) DO NOTHING`,
    ),
    updateHotel: named(
      'updateHotel',
      `UPDATE ${q}.hotels SET name = $2, time_zone = $3, currency = $4, overbooking_percent = $5,
         created_at = $6, updated_at = $7, active = $8, profile = $9, city_key = $10,
         country = $11, lat = $12, lon = $13
       WHERE hotel_id = $1`,
    ),
    getHotel: named(
      'getHotel',
      `SELECT ${q}.hotel_json(h)::text AS json FROM ${q}.hotels h WHERE h.hotel_id = $1`,
    ),
    ...hotelListings,
    insertRoomType: named(
      'insertRoomType',
      `INSERT INTO ${q}.room_types (hotel_id, room_type_id, name, max_adults, max_children,
         max_occupancy, overbooking_percent, base_rate, created_at, updated_at,
         active, display_order, profile)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (hotel_id, room_type_id) DO NOTHING`,
    ),
    updateRoomType: named(
      'updateRoomType',
      `UPDATE ${q}.room_types SET name = $3, max_adults = $4, max_children = $5,
         max_occupancy = $6, overbooking_percent = $7, base_rate = $8, created_at = $9,
         updated_at = $10, active = $11, display_order = $12, profile = $13
       WHERE hotel_id = $1 AND room_type_id = $2`,
    ),
    listRoomTypes: named(
      'listRoomTypes',
      `SELECT ${q}.room_type_json(r)::text AS json FROM ${q}.room_types r
       WHERE r.hotel_id = $1 ORDER BY r.room_type_id`,
    ),
    readStay: readStay(false),
    // readStay of many hotels in one statement (one snapshot): search across hotels reads a
    // whole city with it. $4 holds, per hotel of $1, the stamp held (null: none).
    readStays: named(
      'readStays',
      `SELECT ${stayColumns('w.known', '')}
       FROM unnest($1::text[], $4::text[]) AS w (hotel_id, known)
       JOIN ${q}.hotels h ON h.hotel_id = w.hotel_id`,
    ),
    readStayTypes: readStay(true),
    lockCalendar: named('lockCalendar', `SELECT ${q}.lock_calendar($1, $2, $3)::text AS days`),
    writeCalendar: named(
      'writeCalendar',
      `SELECT ${q}.write_calendar($1, $2, $3, $4, $5, $6, $7, $8)`,
    ),
    applyBooking: named(
      'applyBooking',
      `SELECT o_kind, o_reservation, o_nights::text AS o_nights,
         o_pricing_revision::text AS o_pricing_revision
       FROM ${q}.apply_booking(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
         $20, $21, $22)`,
    ),
    lockReservation: named(
      'lockReservation',
      // The id alone (getReservation's contract has no hotel); ORDER BY makes the pick
      // deterministic should two hotels ever use one id.
      `${reservationJson} WHERE reservation_id = $1 ORDER BY hotel_id LIMIT 1 FOR UPDATE`,
    ),
    externalRefHolder: named(
      'externalRefHolder',
      `SELECT reservation_id FROM ${q}.reservations WHERE hotel_id = $1 AND external_ref = $2`,
    ),
    setGuestEmail: named(
      'setGuestEmail',
      `UPDATE ${q}.reservations SET guest_email = $3 WHERE hotel_id = $1 AND reservation_id = $2`,
    ),
    applyChange: named(
      'applyChange',
      `SELECT o_kind, o_nights::text AS o_nights FROM ${q}.apply_reservation_change(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    ),
    heldBefore: named(
      'heldBefore',
      // A hold whose charge is pending is never expired (decideExpire leaves it alone):
      // leaving it out here keeps a batch of them from starving the holds behind. The
      // predicate is the reservations_held index's, word for word.
      `SELECT reservation_id FROM ${q}.reservations
       WHERE status = 'held' AND payment_pending IS DISTINCT FROM 'charge'
         AND hold_expires_at <= $1
       ORDER BY hold_expires_at, reservation_id LIMIT $2`,
    ),
    pendingPayments: named(
      'pendingPayments',
      `${reservationJson} WHERE payment_pending IS NOT NULL AND updated_at <= $1
       ORDER BY updated_at, hotel_id, reservation_id LIMIT $2`,
    ),
    getRateCard: named(
      'getRateCard',
      `SELECT data::text AS data FROM ${q}.rate_cards WHERE hotel_id = $1`,
    ),
    /**
     * Compare-and-set in one statement: with $4 (the expected revision) 0 the card is
     * inserted if none exists, else the stored row is updated if its revision is $4.
     * Concurrent writers queue on the row (or the key) and re-check after the first
     * commits, so exactly one of them writes. hotel_exists tells 'missing' from 'conflict'.
     */
    putRateCard: named(
      'putRateCard',
      `WITH hotel AS (SELECT hotel_id FROM ${q}.hotels WHERE hotel_id = $1),
       inserted AS (
         INSERT INTO ${q}.rate_cards (hotel_id, revision, data)
         SELECT hotel_id, $2, $3::jsonb FROM hotel WHERE $4::integer = 0
         ON CONFLICT (hotel_id) DO NOTHING
         RETURNING 1
       ),
       updated AS (
         UPDATE ${q}.rate_cards SET revision = $2, data = $3::jsonb
         WHERE hotel_id = $1 AND revision = $4::integer AND $4::integer > 0
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM hotel) AS hotel_exists,
              (SELECT count(*) FROM inserted) + (SELECT count(*) FROM updated) AS written`,
    ),
    getReservation: named(
      'getReservation',
      `${reservationJson} WHERE reservation_id = $1 ORDER BY hotel_id LIMIT 1`,
    ),
    findByKey: named(
      'findByKey',
      `${reservationJson} WHERE hotel_id = $1 AND idempotency_key = $2`,
    ),
    audit: audit(false),
    auditHotel: audit(true),
    readEvents: named(
      'readEvents',
      `SELECT seq, type, ${q}.iso_instant(at) AS at, hotel_id, reservation_id, days::text AS days
       FROM ${q}.events WHERE seq > $1 ORDER BY seq LIMIT $2`,
    ),
    readEventsUpTo: named(
      'readEventsUpTo',
      `SELECT seq, type, ${q}.iso_instant(at) AS at, hotel_id, reservation_id, days::text AS days
       FROM ${q}.events WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`,
    ),
    /** Transactions that hold the lock every event insert takes, i.e. may hold a seq. */
    eventWriters: named(
      'eventWriters',
      `SELECT coalesce(array_agg(l.virtualtransaction), '{}') AS writers
       FROM pg_locks l
       WHERE l.locktype = 'relation' AND l.relation = to_regclass($1)
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`,
    ),
    /** Which of those transactions are still running (each holds its own virtualxid lock). */
    runningOf: named(
      'runningOf',
      `SELECT count(*)::integer AS running FROM pg_locks
       WHERE locktype = 'virtualxid' AND virtualxid = ANY ($1::text[])`,
    ),
    listReservations: (query: ReservationQuery) => listReservations(named, q, query),
    // The warm-up's own statements (postgres-warm-up.ts), run once per connection, so not
    // prepared. A change-feed event numbered 0, which the sequence never draws (it starts
    // at 1) and no reader ever reads (cursors start at 0, and they read `seq > cursor`),
    // under the warm-up's own hotel id, so warm-ups at once never wait on each other's row.
    // Its days are built as a booking's event builds them (apply_booking's `daysJson`), from
    // one made-up row of the calendar's column types: the JSON functions and the types'
    // output functions are looked up now, not on the first real booking.
    warmUpEvent: {
      text: `INSERT INTO ${q}.events (seq, hotel_id, type, at, reservation_id, days)
             SELECT 0, $1, 'reservation.created', $2, $1, jsonb_agg(jsonb_build_object(
               'hotelId', $1::text, 'roomTypeId', u.room_type_id, 'date', u.date,
               'total', u.total, 'overbookingLimit', u.overbooking_limit,
               'reserved', u.reserved, 'stopSell', u.stop_sell, 'rate', u.rate)
               ORDER BY u.room_type_id, u.date)
             FROM (VALUES (''::text, $3::date, 0, 0, 0, false, NULL::bigint))
               AS u(room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate)`,
    },
    /**
     * The event sequence opened for this backend, as `nextval` opens it, with no number
     * drawn. `pg_sequence_last_value` needs the USAGE a booking's `nextval` needs, where
     * reading the sequence as a table would need SELECT.
     */
    warmUpEventSequence: {
      text: `SELECT pg_sequence_last_value('${q}.events_seq_seq'::regclass)`,
    },
  };
}

export type Queries = ReturnType<typeof buildQueries>;

/** Keyset paging, newest first; one prepared statement per combination of filters. */
function listReservations(
  named: (name: string, text: string) => Statement,
  q: string,
  { filter, after, limit }: ReservationQuery,
): PostgresQueryConfig {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  let variant = filter.by;
  if (filter.by === 'guest') {
    where.push(`guest_email = ${param(filter.email)}`);
    if (filter.hotelId !== undefined) {
      where.push(`hotel_id = ${param(filter.hotelId)}`);
      variant += 'H';
    }
  } else if (filter.by === 'external-ref') {
    where.push(
      `hotel_id = ${param(filter.hotelId)}`,
      `external_ref = ${param(filter.externalRef)}`,
    );
  } else if (filter.by !== 'hotel') {
    // The front desk's lists (the core's onFrontDeskList), each on its index of migration 6.
    // Statuses are written as literals: the in-house index is partial on its status, and a
    // prepared statement's generic plan only uses it when the query names it as written.
    const statuses = FRONT_DESK_STATUSES[filter.by].map((status) => `'${status}'`).join(', ');
    where.push(`hotel_id = ${param(filter.hotelId)}`, `status IN (${statuses})`);
    const date = param(filter.date, '::date');
    if (filter.by === 'arrivals') where.push(`check_in = ${date}`);
    else if (filter.by === 'departures') where.push(`check_out = ${date}`);
    else where.push(`check_in <= ${date} AND check_out >= ${date}`);
  } else {
    where.push(`hotel_id = ${param(filter.hotelId)}`);
    // Stays are half-open: [checkIn, checkOut) overlaps [from, to) when it starts
    // before `to` and ends after `from`.
    if (filter.from !== undefined) {
      where.push(`check_out > ${param(filter.from, '::date')}`);
      variant += 'F';
    }
    if (filter.to !== undefined) {
      where.push(`check_in < ${param(filter.to, '::date')}`);
      variant += 'T';
    }
    if (filter.statuses !== undefined) {
      where.push(`status = ANY (${param(filter.statuses, '::text[]')})`);
      variant += 'S';
    }
  }
  if (after !== undefined) {
    where.push(
      `(created_at, reservation_id) < (${param(after.createdAt, '::timestamptz')}, ${param(after.id, '::text')})`,
    );
    variant += 'A';
  }
  const text = `SELECT data::text AS data FROM ${q}.reservations WHERE ${where.join(' AND ')}
    ORDER BY created_at DESC, reservation_id DESC LIMIT ${param(limit, '::integer')}`;
  return { ...named(`list_${variant}`, text), values };
}
