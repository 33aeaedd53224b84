/**
 * Migration 4: `apply_reservation_change` refuses a release the books cannot cover.
 *
 * Up to version 3 its count of the deltas that "fit" counted every negative delta on a
 * row it had locked, and a release of a night without a calendar row simply found no row:
 * the count came up short and the change was answered `unavailable` (with no nights),
 * as if a cancellation could lack room. The memory and SQLite stores refuse such a
 * release outright, as they refuse one that would take `reserved` below zero: either
 * means the books already disagree, and hiding it would make the audit's drift worse.
 *
 * Now the claims (positive deltas) and the releases are counted apart: a claim that does
 * not fit is still `unavailable` (nothing written), and a release whose row is missing or
 * holds fewer rooms than it gives back raises, so the whole transaction rolls back and
 * the caller gets a `STORAGE` error. (A release below zero used to stop at the calendar
 * `CHECK`, whose message calls it a store bug; it is refused here first, by name.)
 *
 * The signature is unchanged, so CREATE OR REPLACE keeps the function's identity.
 * Released migrations are frozen: the steps below are written out here, not shared with
 * migrations 2 and 3.
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

export function refuseBadReleasesMigration(s: string): string {
  return `
CREATE OR REPLACE FUNCTION ${s}.apply_reservation_change(
  p_hotel_id text, p_reservation_id text,
  p_delta_room_types text[], p_delta_dates date[], p_delta_rooms integer[],
  p_status text, p_check_in date, p_check_out date, p_hold_expires_at timestamptz,
  p_version integer, p_data jsonb, p_payment_pending text, p_updated_at timestamptz,
  p_replace_nights boolean,
  p_night_room_types text[], p_night_dates date[], p_night_rooms integer[],
  p_event_type text, p_at timestamptz,
  OUT o_kind text, OUT o_nights jsonb
)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_claims integer;
  v_releases integer;
  v_fitting integer;
  v_covered integer;
  v_count integer;
  v_found integer;
BEGIN
  SELECT count(*) FILTER (WHERE d.rooms > 0)::integer, count(*) FILTER (WHERE d.rooms <= 0)::integer
  INTO v_claims, v_releases
  FROM unnest(p_delta_rooms) AS d(rooms);

  -- Lock the delta rows in lock order (see migration 2), then count on exactly the rows
  -- now held: the claims that fit, and the releases their row can cover. A delta whose
  -- row is missing is in neither count.
  SELECT count(*) FILTER (
           WHERE l.rooms > 0
             AND NOT l.stop_sell AND l.reserved + l.rooms <= l.total + l.overbooking_limit),
         count(*) FILTER (WHERE l.rooms <= 0 AND l.reserved + l.rooms >= 0)
  INTO v_fitting, v_covered
  FROM (
    SELECT c.reserved, c.total, c.overbooking_limit, c.stop_sell, w.rooms
    FROM ${s}.calendar c
    JOIN unnest(p_delta_room_types, p_delta_dates, p_delta_rooms) AS w(room_type_id, date, rooms)
      ON c.room_type_id = w.room_type_id AND c.date = w.date
    WHERE c.hotel_id = p_hotel_id
    ORDER BY c.room_type_id, c.date
    FOR UPDATE OF c
  ) l;

  IF v_fitting <> v_claims THEN
    o_kind := 'unavailable';
    o_nights := ${s}.shortfalls(p_hotel_id, p_delta_room_types, p_delta_dates, p_delta_rooms);
    RETURN;
  END IF;
  IF v_covered <> v_releases THEN
    RAISE EXCEPTION 'innkeeper: % of % releases of reservation % name a missing calendar row or more rooms than it has reserved; nothing was written',
      v_releases - v_covered, v_releases, p_reservation_id
      USING ERRCODE = 'P0001', HINT = 'the books already disagree: run the audit';
  END IF;

  WITH ${updatedRows(s)},
  reservation AS (
    UPDATE ${s}.reservations
    SET status = p_status, check_in = p_check_in, check_out = p_check_out,
        hold_expires_at = p_hold_expires_at, version = p_version, data = p_data,
        payment_pending = p_payment_pending, updated_at = p_updated_at
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
  -- Every delta must have updated its row, or nothing of the transaction may commit.
  IF v_count <> v_claims + v_releases THEN
    RAISE EXCEPTION 'innkeeper: % of % calendar rows updated for hotel %',
      v_count, v_claims + v_releases, p_hotel_id
      USING ERRCODE = 'P0001', HINT = 'a delta names a missing row or no longer fits';
  END IF;
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
`;
}
