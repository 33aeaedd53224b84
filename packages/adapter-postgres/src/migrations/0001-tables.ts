/**
 * Migration 1: the tables.
 *
 * - `hotel_id` leads every primary key and unique constraint, so the database can be
 *   sharded by hotel (Citus: `create_distributed_table(..., 'hotel_id')` on each table).
 * - Ids are `COLLATE "C"`: byte order, which is the order JavaScript's `<` gives for the
 *   ids the core accepts. The lock order (`compareLockOrder`) and cursor paging are
 *   defined by JavaScript comparisons; a locale collation would sort `a-b` and `ab`
 *   differently and break both.
 * - The calendar `CHECK` is the backstop: even a buggy command cannot commit a row over
 *   its cap or below zero.
 */
export function tablesMigration(s: string): string {
  return `
CREATE TABLE ${s}.hotels (
  hotel_id            text COLLATE "C" NOT NULL,
  name                text NOT NULL,
  time_zone           text NOT NULL,
  currency            text NOT NULL,
  overbooking_percent integer NOT NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT hotels_pkey PRIMARY KEY (hotel_id)
);

CREATE TABLE ${s}.room_types (
  hotel_id            text COLLATE "C" NOT NULL REFERENCES ${s}.hotels (hotel_id),
  room_type_id        text COLLATE "C" NOT NULL,
  name                text NOT NULL,
  max_adults          integer NOT NULL,
  max_children        integer NOT NULL,
  max_occupancy       integer NOT NULL,
  overbooking_percent integer,
  base_rate           bigint NOT NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT room_types_pkey PRIMARY KEY (hotel_id, room_type_id)
);

-- Hot rows: fillfactor 80 leaves room on each page so the constant "reserved + n"
-- updates stay HOT (no index writes).
CREATE TABLE ${s}.calendar (
  hotel_id          text COLLATE "C" NOT NULL,
  room_type_id      text COLLATE "C" NOT NULL,
  date              date NOT NULL,
  total             integer NOT NULL CHECK (total >= 0),
  overbooking_limit integer NOT NULL CHECK (overbooking_limit >= 0),
  reserved          integer NOT NULL DEFAULT 0,
  stop_sell         boolean NOT NULL DEFAULT false,
  rate              bigint CHECK (rate >= 0),
  CONSTRAINT calendar_pkey PRIMARY KEY (hotel_id, room_type_id, date),
  CONSTRAINT calendar_room_type_fkey FOREIGN KEY (hotel_id, room_type_id)
    REFERENCES ${s}.room_types (hotel_id, room_type_id),
  CONSTRAINT calendar_reserved_within_capacity
    CHECK (reserved >= 0 AND reserved <= total + overbooking_limit)
) WITH (fillfactor = 80);

-- The reservation itself is the JSON document in "data" (what reads return); the
-- columns beside it are what queries filter, order and lock on.
CREATE TABLE ${s}.reservations (
  hotel_id            text COLLATE "C" NOT NULL,
  reservation_id      text COLLATE "C" NOT NULL,
  status              text NOT NULL
    CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
  check_in            date NOT NULL,
  check_out           date NOT NULL,
  guest_email         text COLLATE "C" NOT NULL,
  created_at          timestamptz NOT NULL,
  hold_expires_at     timestamptz,
  idempotency_key     text COLLATE "C" NOT NULL,
  request_fingerprint text NOT NULL,
  version             integer NOT NULL,
  data                jsonb NOT NULL,
  CONSTRAINT reservations_pkey PRIMARY KEY (hotel_id, reservation_id),
  CONSTRAINT reservations_idempotency_key UNIQUE (hotel_id, idempotency_key)
);
-- getReservation(id) has no hotel id.
CREATE INDEX reservations_by_id ON ${s}.reservations (reservation_id);
CREATE INDEX reservations_by_hotel
  ON ${s}.reservations (hotel_id, created_at DESC, reservation_id DESC);
CREATE INDEX reservations_by_guest
  ON ${s}.reservations (guest_email, created_at DESC, reservation_id DESC);
CREATE INDEX reservations_held ON ${s}.reservations (hold_expires_at) WHERE status = 'held';

-- The nights each reservation claims (its lines summed per room type and date), for
-- the audit's GROUP BY. Kept for every status; the audit joins on the active ones.
CREATE TABLE ${s}.reservation_nights (
  hotel_id       text COLLATE "C" NOT NULL,
  reservation_id text COLLATE "C" NOT NULL,
  room_type_id   text COLLATE "C" NOT NULL,
  date           date NOT NULL,
  rooms          integer NOT NULL CHECK (rooms > 0),
  CONSTRAINT reservation_nights_pkey PRIMARY KEY (hotel_id, reservation_id, room_type_id, date)
);

-- The change feed (transactional outbox). "seq" is drawn by the event insert, the last
-- statement of every command, after all its row locks are held: two commands that
-- touch a common row get their seqs in the order they took effect.
CREATE TABLE ${s}.events (
  seq            bigserial NOT NULL,
  hotel_id       text COLLATE "C" NOT NULL,
  type           text NOT NULL,
  at             timestamptz NOT NULL,
  reservation_id text COLLATE "C",
  days           jsonb NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (hotel_id, seq)
);
CREATE INDEX events_by_seq ON ${s}.events (seq);
`;
}
