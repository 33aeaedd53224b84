/**
 * Migration 2: the server-side functions behind the store's commands.
 *
 * A booking is one call of `apply_booking` (one round trip, in its own implicit
 * transaction). Everything that can go wrong under concurrency is decided inside it, on
 * rows it has locked: a shortfall returns before anything is written, and the writes
 * go out as one statement whose row count is checked, failing the whole transaction if
 * it disagrees. A booking can never half-apply (the single-statement CTE that updates
 * the nights that fit and skips the insert is the half-applied booking docs/architecture.md warns about).
 *
 * Lock order, everywhere: the reservation row first (commands on an existing
 * reservation), then calendar rows by (room_type_id, date) in "C" collation, which is
 * the core's `compareLockOrder`. Overlapping stays therefore queue instead of deadlocking.
 *
 * Performance notes, measured: every function forces generic plans (re-planning these
 * statements on each call cost more than running them), the lock-order steps are
 * written into each function rather than called (a nested PL/pgSQL call costs more than
 * the step), and the writes are one statement of data-modifying CTEs.
 */

/*
 * The steps every command on the calendar takes, written into each function that needs
 * them. They read the deltas from p_delta_room_types / p_delta_dates / p_delta_rooms
 * and p_hotel_id, and set v_count / v_days.
 */

/**
 * Locks the delta rows one after another in lock order (ORDER BY under FOR UPDATE locks
 * in sort order, so two commands that want some of the same rows queue on the first
 * one they share instead of deadlocking) and counts the deltas that fit. FOR UPDATE
 * hands back each row as the transactions we waited for left it, so the count is
 * taken on exactly the rows we now hold.
 */
const lockAndCountFitting = (s: string) => `SELECT count(*) FILTER (
           WHERE l.rooms <= 0
              OR (NOT l.stop_sell AND l.reserved + l.rooms <= l.total + l.overbooking_limit))
  INTO v_count
  FROM (
    SELECT c.reserved, c.total, c.overbooking_limit, c.stop_sell, w.rooms
    FROM ${s}.calendar c
    JOIN unnest(p_delta_room_types, p_delta_dates, p_delta_rooms) AS w(room_type_id, date, rooms)
      ON c.room_type_id = w.room_type_id AND c.date = w.date
    WHERE c.hotel_id = p_hotel_id
    ORDER BY c.room_type_id, c.date
    FOR UPDATE OF c
  ) l;`;

/**
 * The CTE that adds the deltas (repeating the capacity rule: the caller checks that it
 * updated every row) and the feed's "days" built from what it returns. (A date in JSON
 * is always ISO YYYY-MM-DD, whatever DateStyle says.)
 */
const updatedRows = (s: string) => `updated AS (
    UPDATE ${s}.calendar c
    SET reserved = c.reserved + w.rooms
    FROM unnest(p_delta_room_types, p_delta_dates, p_delta_rooms) AS w(room_type_id, date, rooms)
    WHERE c.hotel_id = p_hotel_id AND c.room_type_id = w.room_type_id AND c.date = w.date
      AND (w.rooms <= 0
           OR (NOT c.stop_sell AND c.reserved + w.rooms <= c.total + c.overbooking_limit))
    RETURNING c.room_type_id, c.date, c.total, c.overbooking_limit, c.reserved, c.stop_sell, c.rate
  )`;

const daysJson = `coalesce(jsonb_agg(jsonb_build_object(
           'hotelId', p_hotel_id, 'roomTypeId', u.room_type_id, 'date', u.date,
           'total', u.total, 'overbookingLimit', u.overbooking_limit, 'reserved', u.reserved,
           'stopSell', u.stop_sell, 'rate', u.rate) ORDER BY u.room_type_id, u.date), '[]'::jsonb)`;

/** Every delta must have updated its row, or nothing of the transaction may commit. */
const requireAllUpdated = `IF v_count <> coalesce(cardinality(p_delta_rooms), 0) THEN
    RAISE EXCEPTION 'innkeeper: % of % calendar rows updated for hotel %',
      v_count, coalesce(cardinality(p_delta_rooms), 0), p_hotel_id
      USING ERRCODE = 'P0001', HINT = 'a delta names a missing row or no longer fits';
  END IF;`;

const unavailable = (s: string) =>
  `${s}.shortfalls(p_hotel_id, p_delta_room_types, p_delta_dates, p_delta_rooms)`;

export function functionsMigration(s: string): string {
  return `
-- ISO 8601 with milliseconds in UTC: exactly what Date#toISOString produces, whatever
-- the session's TimeZone or DateStyle.
CREATE FUNCTION ${s}.iso_instant(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE FUNCTION ${s}.iso_date(d date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(d, 'YYYY-MM-DD')
$$;

-- The domain objects as JSON with the core's field names: reads parse them as they are.
CREATE FUNCTION ${s}.day_json(c ${s}.calendar) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'hotelId', c.hotel_id, 'roomTypeId', c.room_type_id, 'date', c.date,
    'total', c.total, 'overbookingLimit', c.overbooking_limit, 'reserved', c.reserved,
    'stopSell', c.stop_sell, 'rate', c.rate)
$$;

CREATE FUNCTION ${s}.hotel_json(h ${s}.hotels) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', h.hotel_id, 'name', h.name, 'timeZone', h.time_zone, 'currency', h.currency,
    'overbookingPercent', h.overbooking_percent,
    'createdAt', ${s}.iso_instant(h.created_at), 'updatedAt', ${s}.iso_instant(h.updated_at))
$$;

CREATE FUNCTION ${s}.room_type_json(r ${s}.room_types) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', r.room_type_id, 'hotelId', r.hotel_id, 'name', r.name,
    'maxAdults', r.max_adults, 'maxChildren', r.max_children,
    'maxOccupancy', r.max_occupancy, 'overbookingPercent', r.overbooking_percent,
    'baseRate', r.base_rate,
    'createdAt', ${s}.iso_instant(r.created_at), 'updatedAt', ${s}.iso_instant(r.updated_at))
$$;

-- The core's shortfallOf in SQL, on rows this transaction has locked: every night where
-- a positive delta does not fit, with the rooms remaining and why. Runs on the sold-out
-- path only.
CREATE FUNCTION ${s}.shortfalls(
  p_hotel_id text, p_room_types text[], p_dates date[], p_rooms integer[]
) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'roomTypeId', w.room_type_id, 'date', w.date, 'requested', w.rooms,
           'remaining', CASE WHEN c.hotel_id IS NULL OR c.stop_sell THEN 0
                             ELSE greatest(c.total + c.overbooking_limit - c.reserved, 0) END,
           'reason', CASE WHEN c.hotel_id IS NULL THEN 'no-inventory'
                          WHEN c.stop_sell THEN 'stop-sell'
                          WHEN c.total + c.overbooking_limit = 0 THEN 'no-inventory'
                          ELSE 'sold-out' END)
           ORDER BY w.ord), '[]'::jsonb)
  FROM unnest(p_room_types, p_dates, p_rooms) WITH ORDINALITY AS w(room_type_id, date, rooms, ord)
  LEFT JOIN ${s}.calendar c
    ON c.hotel_id = p_hotel_id AND c.room_type_id = w.room_type_id AND c.date = w.date
  WHERE w.rooms > 0
    AND (c.hotel_id IS NULL OR c.stop_sell OR c.reserved + w.rooms > c.total + c.overbooking_limit)
$$;

-- store.applyBooking in one call. o_kind: created | replayed | key-reused (o_reservation
-- is the stored one) | unavailable (o_nights lists every failing night; nothing written).
CREATE FUNCTION ${s}.apply_booking(
  p_lock_timeout text,
  p_hotel_id text, p_reservation_id text, p_status text,
  p_check_in date, p_check_out date, p_guest_email text,
  p_created_at timestamptz, p_hold_expires_at timestamptz,
  p_key text, p_fingerprint text, p_version integer, p_data jsonb,
  p_delta_room_types text[], p_delta_dates date[], p_delta_rooms integer[],
  p_night_room_types text[], p_night_dates date[], p_night_rooms integer[],
  OUT o_kind text, OUT o_reservation text, OUT o_nights jsonb
)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_fingerprint text;
  v_count integer;
BEGIN
  IF p_lock_timeout IS NOT NULL THEN
    PERFORM set_config('lock_timeout', p_lock_timeout, true);
  END IF;

  -- 1. The key, before capacity: a replay succeeds even once the rooms are sold out.
  SELECT r.request_fingerprint, r.data::text INTO v_fingerprint, o_reservation
  FROM ${s}.reservations r WHERE r.hotel_id = p_hotel_id AND r.idempotency_key = p_key;
  IF FOUND THEN
    o_kind := CASE WHEN v_fingerprint = p_fingerprint THEN 'replayed' ELSE 'key-reused' END;
    RETURN;
  END IF;

  -- 2. Lock the nights in order; count those that fit.
  ${lockAndCountFitting(s)}

  -- A twin request with the same key may have committed while we waited for the locks:
  -- this statement's fresh snapshot sees it, so answer as a replay instead of failing on
  -- the unique constraint (which stays as the guarantee when the twin's nights differ).
  SELECT r.request_fingerprint, r.data::text INTO v_fingerprint, o_reservation
  FROM ${s}.reservations r WHERE r.hotel_id = p_hotel_id AND r.idempotency_key = p_key;
  IF FOUND THEN
    o_kind := CASE WHEN v_fingerprint = p_fingerprint THEN 'replayed' ELSE 'key-reused' END;
    RETURN;
  END IF;

  IF v_count <> coalesce(cardinality(p_delta_rooms), 0) THEN
    o_kind := 'unavailable';
    o_nights := ${unavailable(s)};
    RETURN;
  END IF;

  -- 3. Write the rows, the reservation, its nights and the event, in one statement.
  WITH ${updatedRows(s)},
  reservation AS (
    INSERT INTO ${s}.reservations (
      hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
      hold_expires_at, idempotency_key, request_fingerprint, version, data)
    VALUES (
      p_hotel_id, p_reservation_id, p_status, p_check_in, p_check_out, p_guest_email,
      p_created_at, p_hold_expires_at, p_key, p_fingerprint, p_version, p_data)
  ),
  nights AS (
    INSERT INTO ${s}.reservation_nights (hotel_id, reservation_id, room_type_id, date, rooms)
    SELECT p_hotel_id, p_reservation_id, n.room_type_id, n.date, n.rooms
    FROM unnest(p_night_room_types, p_night_dates, p_night_rooms) AS n(room_type_id, date, rooms)
  ),
  event AS (
    INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
    SELECT p_hotel_id, 'reservation.created', p_created_at, p_reservation_id, ${daysJson}
    FROM updated u
  )
  SELECT count(*)::integer INTO v_count FROM updated;
  ${requireAllUpdated}
  o_kind := 'created';
END
$$;

-- The write half of confirm / cancel / modify / expire, once the core has decided on
-- the reservation row the caller locked in this transaction (SELECT ... FOR UPDATE).
-- o_kind: applied | unavailable (o_nights; nothing was written).
CREATE FUNCTION ${s}.apply_reservation_change(
  p_hotel_id text, p_reservation_id text,
  p_delta_room_types text[], p_delta_dates date[], p_delta_rooms integer[],
  p_status text, p_check_in date, p_check_out date, p_hold_expires_at timestamptz,
  p_version integer, p_data jsonb,
  p_replace_nights boolean,
  p_night_room_types text[], p_night_dates date[], p_night_rooms integer[],
  p_event_type text, p_at timestamptz,
  OUT o_kind text, OUT o_nights jsonb
)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_count integer;
  v_found integer;
BEGIN
  ${lockAndCountFitting(s)}
  IF v_count <> coalesce(cardinality(p_delta_rooms), 0) THEN
    o_kind := 'unavailable';
    o_nights := ${unavailable(s)};
    RETURN;
  END IF;

  WITH ${updatedRows(s)},
  reservation AS (
    UPDATE ${s}.reservations
    SET status = p_status, check_in = p_check_in, check_out = p_check_out,
        hold_expires_at = p_hold_expires_at, version = p_version, data = p_data
    WHERE hotel_id = p_hotel_id AND reservation_id = p_reservation_id
      AND version = p_version - 1
    RETURNING 1
  ),
  event AS (
    INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
    SELECT p_hotel_id, p_event_type, p_at, p_reservation_id, ${daysJson}
    FROM updated u
  )
  SELECT (SELECT count(*)::integer FROM updated), (SELECT count(*)::integer FROM reservation)
  INTO v_count, v_found;
  ${requireAllUpdated}
  IF v_found <> 1 THEN
    RAISE EXCEPTION 'innkeeper: reservation % is not at version %', p_reservation_id, p_version - 1
      USING ERRCODE = 'P0001', HINT = 'lock the reservation row before deciding';
  END IF;

  -- A modification's nights change; statuses alone do not touch them. (Separate
  -- statements: a delete and a re-insert of the same key cannot share one.)
  IF p_replace_nights THEN
    DELETE FROM ${s}.reservation_nights
    WHERE hotel_id = p_hotel_id AND reservation_id = p_reservation_id;
    INSERT INTO ${s}.reservation_nights (hotel_id, reservation_id, room_type_id, date, rooms)
    SELECT p_hotel_id, p_reservation_id, n.room_type_id, n.date, n.rooms
    FROM unnest(p_night_room_types, p_night_dates, p_night_rooms) AS n(room_type_id, date, rooms);
  END IF;
  o_kind := 'applied';
END
$$;

-- First half of store.updateCalendar: makes sure every date has a row (new ones empty,
-- inserted in date order, so two updates creating the same dates queue instead of
-- deadlocking), then locks them in date order and returns them for the core's
-- changeCalendarDay. Rows it created vanish if the transaction rolls back.
CREATE FUNCTION ${s}.lock_calendar(p_hotel_id text, p_room_type_id text, p_dates date[])
RETURNS jsonb
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_rows jsonb;
BEGIN
  INSERT INTO ${s}.calendar (hotel_id, room_type_id, date, total, overbooking_limit)
  SELECT p_hotel_id, p_room_type_id, d, 0, 0 FROM unnest(p_dates) AS d ORDER BY d
  ON CONFLICT DO NOTHING;
  SELECT coalesce(jsonb_agg(${s}.day_json(l.cal) ORDER BY (l.cal).date), '[]'::jsonb)
  INTO v_rows
  FROM (
    SELECT c AS cal FROM ${s}.calendar c
    WHERE c.hotel_id = p_hotel_id AND c.room_type_id = p_room_type_id AND c.date = ANY (p_dates)
    ORDER BY c.date
    FOR UPDATE
  ) l;
  RETURN v_rows;
END
$$;

-- Second half: writes the rows the core computed (reserved is left alone: the rows are
-- locked, nobody changed it) and appends the inventory.changed event.
CREATE FUNCTION ${s}.write_calendar(
  p_hotel_id text, p_room_type_id text, p_dates date[], p_totals integer[],
  p_limits integer[], p_stop_sells boolean[], p_rates bigint[], p_at timestamptz
) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_count integer;
BEGIN
  WITH updated AS (
    UPDATE ${s}.calendar c
    SET total = w.total, overbooking_limit = w.overbooking_limit,
        stop_sell = w.stop_sell, rate = w.rate
    FROM unnest(p_dates, p_totals, p_limits, p_stop_sells, p_rates)
      AS w(date, total, overbooking_limit, stop_sell, rate)
    WHERE c.hotel_id = p_hotel_id AND c.room_type_id = p_room_type_id AND c.date = w.date
    RETURNING c AS cal
  ),
  event AS (
    INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
    SELECT p_hotel_id, 'inventory.changed', p_at, NULL,
           coalesce(jsonb_agg(${s}.day_json(u.cal) ORDER BY (u.cal).date), '[]'::jsonb)
    FROM updated u
  )
  SELECT count(*)::integer INTO v_count FROM updated;
  IF v_count <> coalesce(cardinality(p_dates), 0) THEN
    RAISE EXCEPTION 'innkeeper: % of % calendar rows written', v_count, cardinality(p_dates)
      USING ERRCODE = 'P0001', HINT = 'lock_calendar must run first in the same transaction';
  END IF;
END
$$;
`;
}
