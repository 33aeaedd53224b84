/**
 * Migration 3: rate cards, payments and no-shows.
 *
 * - `reservations.status` also allows `no-show` (the CHECK of migration 1, whose name
 *   Postgres generated as `reservations_status_check`, is replaced).
 * - `reservations.payment_pending` is the core's `pendingPaymentOf(reservation)`
 *   ('charge' | 'refund' | NULL), computed by the store in JavaScript and passed to the
 *   functions on every write: the rule lives in the core only. `updated_at` is the
 *   reservation's `updatedAt`. Recovery sweeps read a partial index on `updated_at` of
 *   the rows with something pending, never the whole table.
 * - Documents written before this version are brought to the reservation shape the core
 *   now expects (the fields it added, with the values that describe what those
 *   reservations were: the standard plan, no taxes, free cancellation, no payment).
 *   Only missing fields are added.
 * - `rate_cards`: one document per hotel, replaced by compare-and-set on `revision`.
 * - `apply_booking` and `apply_reservation_change` take the two new columns. Adding
 *   parameters changes a function's signature, which CREATE OR REPLACE cannot do, so the
 *   old ones are dropped (an old app server calling them fails loudly instead of writing
 *   rows without `payment_pending`).
 *
 * Released migrations are frozen: the lock-order steps below are copies of those in
 * migration 2, not imports, so editing one never changes the other.
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

/**
 * A line written before version 3: the standard plan, no supplements, discounts or
 * taxes, no cancellation policy; each night's rate is what it cost.
 */
const legacyLine = `(jsonb_build_object(
      'ratePlanId', 'standard', 'taxes', '[]'::jsonb, 'roomCharge', l.line->'total',
      'taxTotal', 0, 'policy', NULL) || l.line)
    || jsonb_build_object('nights', (SELECT coalesce(jsonb_agg(
         jsonb_build_object('rate', n.night->'amount', 'supplements', 0, 'discount', 0, 'tax', 0)
           || n.night
         ORDER BY n.ord), '[]'::jsonb)
       FROM jsonb_array_elements(l.line->'nights') WITH ORDINALITY AS n(night, ord)))`;

export function paymentsRateCardsMigration(s: string): string {
  return `
ALTER TABLE ${s}.reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE ${s}.reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired', 'no-show'));

ALTER TABLE ${s}.reservations
  ADD COLUMN payment_pending text CONSTRAINT reservations_payment_pending_check
    CHECK (payment_pending IN ('charge', 'refund')),
  ADD COLUMN updated_at timestamptz;

-- Documents from before version 3: add what the core now requires (free cancellation
-- from check-in at 15:00 hotel time, the default check-in time; no payment, so nothing
-- is pending). Fields already present win over the defaults.
UPDATE ${s}.reservations r
SET data = (jsonb_build_object(
      'roomCharge', r.data->'total', 'taxTotal', 0, 'payment', NULL, 'settlement', NULL,
      'cancellation', jsonb_build_object(
        'checkInAt', ${s}.iso_instant((r.check_in + time '15:00') AT TIME ZONE h.time_zone),
        'freeUntil', NULL, 'windows', '[]'::jsonb, 'noShowFee', 0)
    ) || r.data)
    || jsonb_build_object('lines', (
         SELECT jsonb_agg(${legacyLine} ORDER BY l.ord)
         FROM jsonb_array_elements(r.data->'lines') WITH ORDINALITY AS l(line, ord)))
FROM ${s}.hotels h
WHERE h.hotel_id = r.hotel_id AND NOT r.data ? 'cancellation';

UPDATE ${s}.reservations SET updated_at = (data->>'updatedAt')::timestamptz;
ALTER TABLE ${s}.reservations ALTER COLUMN updated_at SET NOT NULL;

-- What recovery sweeps read: the few reservations waiting for a gateway call.
CREATE INDEX reservations_payment_pending
  ON ${s}.reservations (updated_at) WHERE payment_pending IS NOT NULL;
-- Holds whose charge is pending are never expired; keep them out of the expiry index
-- (the expiry query repeats this predicate word for word, so the planner uses it).
DROP INDEX ${s}.reservations_held;
CREATE INDEX reservations_held ON ${s}.reservations (hold_expires_at, reservation_id)
  WHERE status = 'held' AND payment_pending IS DISTINCT FROM 'charge';

CREATE TABLE ${s}.rate_cards (
  hotel_id text COLLATE "C" NOT NULL REFERENCES ${s}.hotels (hotel_id),
  revision integer NOT NULL CHECK (revision > 0),
  data     jsonb NOT NULL,
  CONSTRAINT rate_cards_pkey PRIMARY KEY (hotel_id)
);

DROP FUNCTION ${s}.apply_booking(
  text, text, text, text, date, date, text, timestamptz, timestamptz, text, text, integer, jsonb,
  text[], date[], integer[], text[], date[], integer[]);

-- store.applyBooking in one call. o_kind: created | replayed | key-reused (o_reservation
-- is the stored one) | unavailable (o_nights lists every failing night; nothing written).
CREATE FUNCTION ${s}.apply_booking(
  p_lock_timeout text,
  p_hotel_id text, p_reservation_id text, p_status text,
  p_check_in date, p_check_out date, p_guest_email text,
  p_created_at timestamptz, p_hold_expires_at timestamptz,
  p_key text, p_fingerprint text, p_version integer, p_data jsonb,
  p_payment_pending text, p_updated_at timestamptz,
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

  -- A twin request that committed while we waited for the locks: answer as a replay.
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

DROP FUNCTION ${s}.apply_reservation_change(
  text, text, text[], date[], integer[], text, date, date, timestamptz, integer, jsonb,
  boolean, text[], date[], integer[], text, timestamptz);

-- The write half of every command on an existing reservation, once the core has decided
-- on the row the caller locked in this transaction (SELECT ... FOR UPDATE). A decision
-- without deltas (a confirmation, a recorded refund) still writes the reservation and
-- appends its event (with no days). o_kind: applied | unavailable (o_nights; nothing
-- was written).
CREATE FUNCTION ${s}.apply_reservation_change(
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
  ${requireAllUpdated}
  IF v_found <> 1 THEN
    RAISE EXCEPTION 'innkeeper: reservation % is not at version %', p_reservation_id, p_version - 1
      USING ERRCODE = 'P0001', HINT = 'lock the reservation row before deciding';
  END IF;

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
