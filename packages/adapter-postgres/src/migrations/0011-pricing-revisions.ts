/**
 * Migration 11: each hotel's pricing revision (store port 7).
 *
 * - `hotels.pricing_revision`, which triggers add one to in the transaction of every write
 *   a price or a stay's plan is computed from: the hotel, a room type, the rate card, a
 *   calendar row whose rate changes. Bookings set only `reserved`, which fires nothing.
 * - `apply_booking` gains a 22nd argument, the revision the engine priced on (NULL: no
 *   check). Once it holds the nights' locks, it reads the hotel row `FOR SHARE`: a write
 *   that changes the revision waits for the booking to commit, or the booking (waiting for
 *   that write) reads the new revision and answers `repriced`, writing nothing. So no
 *   booking commits at a price that is no longer in force. The inserted reservation's
 *   foreign key already locks the hotel row `FOR KEY SHARE`; `FOR SHARE` is one step
 *   stronger, not one more lock per booking. The 21-argument function of migration 3 is
 *   kept beside it (an overload by arity), so the release before keeps booking during a
 *   rolling upgrade.
 *
 * Lock order: a booking locks its nights, then the hotel; a calendar edit locks its nights,
 * then (its trigger) the hotel; edits of the hotel, a room type or the rate card lock no
 * nights. No cycle.
 *
 * Released migrations are frozen: the steps below are copies of those in migration 3, not
 * imports, so editing one never changes the other.
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

export function pricingRevisionsMigration(s: string): string {
  return `
ALTER TABLE ${s}.hotels ADD COLUMN pricing_revision bigint NOT NULL DEFAULT 0;

-- The hotel's own row: bumped in place, before it is written.
CREATE FUNCTION ${s}.reprice_hotel_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.pricing_revision := OLD.pricing_revision + 1;
  RETURN NEW;
END
$$;
CREATE TRIGGER reprice_hotel
  BEFORE UPDATE OF name, time_zone, currency, overbooking_percent ON ${s}.hotels
  FOR EACH ROW EXECUTE FUNCTION ${s}.reprice_hotel_row();

-- A row of another table that prices are computed from: its hotel's revision moves on.
CREATE FUNCTION ${s}.reprice_hotel_of_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${s}.hotels SET pricing_revision = pricing_revision + 1
  WHERE hotel_id = NEW.hotel_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER reprice_room_type AFTER INSERT OR UPDATE ON ${s}.room_types
  FOR EACH ROW EXECUTE FUNCTION ${s}.reprice_hotel_of_row();
CREATE TRIGGER reprice_rate_card AFTER INSERT OR UPDATE ON ${s}.rate_cards
  FOR EACH ROW EXECUTE FUNCTION ${s}.reprice_hotel_of_row();
CREATE TRIGGER reprice_calendar AFTER UPDATE OF rate ON ${s}.calendar
  FOR EACH ROW WHEN (OLD.rate IS DISTINCT FROM NEW.rate)
  EXECUTE FUNCTION ${s}.reprice_hotel_of_row();

-- The 21-argument apply_booking of migration 3 stays beside this one (an overload by
-- arity): a server of the release before keeps booking during a rolling upgrade, priced
-- on a fresh read as it always was.

-- store.applyBooking in one call. o_kind: created | replayed | key-reused (o_reservation
-- is the stored one) | repriced (o_pricing_revision is the hotel's; nothing written) |
-- unavailable (o_nights lists every failing night; nothing written).
CREATE FUNCTION ${s}.apply_booking(
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

  -- 4. Write the rows, the reservation, its nights and the event, in one statement.
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
  )
  SELECT count(*)::integer INTO v_count FROM updated;
  ${requireAllUpdated}
  o_kind := 'created';
END
$$;
`;
}
