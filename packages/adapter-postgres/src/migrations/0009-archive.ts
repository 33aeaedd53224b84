/**
 * Migration 9: the archive. One small row per reservation moved to cold storage (the
 * file holding it, and what finds it again: its id, its guest, its idempotency key), and
 * per hotel the date before which its calendar is archived: the audit starts there.
 */
export function archiveMigration(s: string): string {
  return `
CREATE TABLE ${s}.archived_reservations (
  reservation_id      text COLLATE "C" NOT NULL,
  hotel_id            text COLLATE "C" NOT NULL,
  idempotency_key     text COLLATE "C" NOT NULL,
  request_fingerprint text NOT NULL,
  guest_email         text COLLATE "C" NOT NULL,
  check_out           date NOT NULL,
  file                text NOT NULL,
  archived_at         timestamptz NOT NULL,
  CONSTRAINT archived_reservations_pkey PRIMARY KEY (hotel_id, reservation_id),
  CONSTRAINT archived_reservations_key UNIQUE (hotel_id, idempotency_key)
);
-- getArchivedReservation(id) has no hotel id.
CREATE INDEX archived_reservations_by_id ON ${s}.archived_reservations (reservation_id);
CREATE INDEX archived_reservations_by_guest
  ON ${s}.archived_reservations (guest_email, reservation_id);

CREATE TABLE ${s}.archive_horizons (
  hotel_id text COLLATE "C" NOT NULL PRIMARY KEY,
  before   date NOT NULL
);

-- An idempotency key stays one reservation's after it is archived: a new reservation
-- with the key of an archived one is refused like a duplicate key (the store then answers
-- from the archive index). One index probe per booking.
CREATE FUNCTION ${s}.refuse_archived_key() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM ${s}.archived_reservations a
             WHERE a.hotel_id = NEW.hotel_id AND a.idempotency_key = NEW.idempotency_key) THEN
    RAISE EXCEPTION 'idempotency key % of hotel % belongs to an archived reservation',
      NEW.idempotency_key, NEW.hotel_id
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'reservations_idempotency_key';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER reservations_refuse_archived_key BEFORE INSERT ON ${s}.reservations
  FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_archived_key();
`;
}
