/**
 * Migration 13: a warm-up that reaches the booking's final write (store port 8, no change
 * to what any call answers).
 *
 * A new backend plans each statement of `apply_booking` on its first run. The store's
 * warm-up (postgres-warm-up.ts) ran every statement but the last, the write of the rows,
 * the reservation, its nights and the change-feed event, because that one drew an event
 * sequence number even when it wrote no row: a warm-up must leave no hole in the feed.
 * Here the event is inserted only when a calendar row was updated (`HAVING count(*) > 0`),
 * which every real booking does (it has nights, and the function refuses one whose rows
 * were not all updated). The warm-up then books no nights for a hotel id no hotel has, in
 * the transaction it rolls back: the statement is planned, the reservation insert's
 * trigger compiled, and nothing is kept and no number drawn.
 *
 * Released migrations are frozen: the steps below are copies of those in migration 11,
 * not imports, so editing one never changes the other.
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

const requireAllUpdated = `IF v_count <> coalesce(cardinality(p_delta_rooms), 0) THEN
    RAISE EXCEPTION 'innkeeper: % of % calendar rows updated for hotel %',
      v_count, coalesce(cardinality(p_delta_rooms), 0), p_hotel_id
      USING ERRCODE = 'P0001', HINT = 'a delta names a missing row or no longer fits';
  END IF;`;

const unavailable = (s: string) =>
  `${s}.shortfalls(p_hotel_id, p_delta_room_types, p_delta_dates, p_delta_rooms)`;

export function warmableBookingMigration(s: string): string {
  return `
-- store.applyBooking in one call. o_kind: created | replayed | key-reused (o_reservation
-- is the stored one) | repriced (o_pricing_revision is the hotel's; nothing written) |
-- unavailable (o_nights lists every failing night; nothing written).
CREATE OR REPLACE FUNCTION ${s}.apply_booking(
  p_lock_timeout text,
  p_hotel_id text, p_reservation_id text, p_status text,
  p_check_in date, p_check_out date, p_guest_email text,
  p_created_at timestamptz, p_hold_expires_at timestamptz,
  p_key text, p_fingerprint text, p_version integer, p_data jsonb,
  p_payment_pending text, p_updated_at timestamptz,
  p_delta_room_types text[], p_delta_dates date[], p_delta_rooms integer[],
  p_night_room_types text[], p_night_dates date[], p_night_rooms integer[],
  p_pricing_revision bigint,
  OUT o_kind text, OUT o_reservation text, OUT o_nights jsonb, OUT o_pricing_revision bigint
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

  -- A twin request that committed while we waited for the locks: answer as a replay.
  SELECT r.request_fingerprint, r.data::text INTO v_fingerprint, o_reservation
  FROM ${s}.reservations r WHERE r.hotel_id = p_hotel_id AND r.idempotency_key = p_key;
  IF FOUND THEN
    o_kind := CASE WHEN v_fingerprint = p_fingerprint THEN 'replayed' ELSE 'key-reused' END;
    RETURN;
  END IF;

  -- 3. The prices still hold: the revision, locked until the commit.
  IF p_pricing_revision IS NOT NULL THEN
    SELECT h.pricing_revision INTO o_pricing_revision
    FROM ${s}.hotels h WHERE h.hotel_id = p_hotel_id FOR SHARE;
    IF o_pricing_revision IS DISTINCT FROM p_pricing_revision THEN
      o_kind := 'repriced';
      RETURN;
    END IF;
  END IF;

  IF v_count <> coalesce(cardinality(p_delta_rooms), 0) THEN
    o_kind := 'unavailable';
    o_nights := ${unavailable(s)};
    RETURN;
  END IF;

  -- 4. Write the rows, the reservation, its nights and the event, in one statement (no
  -- event, and no sequence number drawn, when no row was updated: only the warm-up's
  -- booking of no nights gets this far without one).
  WITH ${updatedRows(s)},
  reservation AS (
    INSERT INTO ${s}.reservations (
      hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
      hold_expires_at, idempotency_key, request_fingerprint, version, data,
      payment_pending, updated_at)
    VALUES (
      p_hotel_id, p_reservation_id, p_status, p_check_in, p_check_out, p_guest_email,
      p_created_at, p_hold_expires_at, p_key, p_fingerprint, p_version, p_data,
      p_payment_pending, p_updated_at)
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
    HAVING count(*) > 0
  )
  SELECT count(*)::integer INTO v_count FROM updated;
  ${requireAllUpdated}
  o_kind := 'created';
END
$$;
`;
}
