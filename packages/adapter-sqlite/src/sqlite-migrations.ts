import { InnkeeperError } from '@innkeeper/core';
import { upgradeVersion1Documents } from './sqlite-migration-2-documents.js';
import type { SqliteDatabase } from './sqlite-store-config.js';

export interface SqliteMigration {
  /** Becomes `PRAGMA user_version` once applied; versions are 1, 2, 3, ... in order. */
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: data changes SQL alone cannot make. */
  upgrade?: (db: SqliteDatabase) => void;
}

/**
 * The schema, as the ordered list of changes that build it. Never edit a released
 * migration: append a new one. `hotel_id` leads every primary key (except the change
 * feed's, which is one global order), so the data can be split by hotel.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'hotels, room types, calendar, reservations, events',
    sql: `
      CREATE TABLE hotels (
        hotel_id            TEXT    NOT NULL PRIMARY KEY,
        name                TEXT    NOT NULL,
        time_zone           TEXT    NOT NULL,
        currency            TEXT    NOT NULL,
        overbooking_percent INTEGER NOT NULL,
        created_at          TEXT    NOT NULL,
        updated_at          TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE room_types (
        hotel_id            TEXT    NOT NULL REFERENCES hotels (hotel_id),
        room_type_id        TEXT    NOT NULL,
        name                TEXT    NOT NULL,
        max_adults          INTEGER NOT NULL,
        max_children        INTEGER NOT NULL,
        max_occupancy       INTEGER NOT NULL,
        overbooking_percent INTEGER,
        base_rate           INTEGER NOT NULL,
        created_at          TEXT    NOT NULL,
        updated_at          TEXT    NOT NULL,
        PRIMARY KEY (hotel_id, room_type_id)
      ) STRICT, WITHOUT ROWID;

      -- The inventory calendar. The CHECK is a backstop: the store's conditional UPDATE
      -- never lets reserved leave [0, total + overbooking_limit], and if a bug ever tried
      -- to, the statement fails and the whole command rolls back.
      CREATE TABLE calendar (
        hotel_id          TEXT    NOT NULL,
        room_type_id      TEXT    NOT NULL,
        date              TEXT    NOT NULL,
        total             INTEGER NOT NULL CHECK (total >= 0),
        overbooking_limit INTEGER NOT NULL CHECK (overbooking_limit >= 0),
        reserved          INTEGER NOT NULL,
        stop_sell         INTEGER NOT NULL CHECK (stop_sell IN (0, 1)),
        rate              INTEGER CHECK (rate >= 0),
        PRIMARY KEY (hotel_id, room_type_id, date),
        FOREIGN KEY (hotel_id, room_type_id) REFERENCES room_types (hotel_id, room_type_id),
        CHECK (reserved >= 0 AND reserved <= total + overbooking_limit)
      ) STRICT, WITHOUT ROWID;

      -- The full reservation is kept as JSON in data, the one source of truth (the audit
      -- reads its nights from there); the columns beside it are copies of the fields that
      -- are looked up, ordered or constrained.
      CREATE TABLE reservations (
        hotel_id            TEXT    NOT NULL REFERENCES hotels (hotel_id),
        reservation_id      TEXT    NOT NULL UNIQUE,
        status              TEXT    NOT NULL
                            CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
        check_in            TEXT    NOT NULL,
        check_out           TEXT    NOT NULL,
        guest_email         TEXT    NOT NULL,
        created_at          TEXT    NOT NULL,
        hold_expires_at     TEXT,
        idempotency_key     TEXT    NOT NULL,
        request_fingerprint TEXT    NOT NULL,
        version             INTEGER NOT NULL,
        data                TEXT    NOT NULL,
        PRIMARY KEY (hotel_id, reservation_id),
        UNIQUE (hotel_id, idempotency_key)
      ) STRICT;

      -- Listings are newest first, (created_at, reservation_id) descending, paged by keyset.
      CREATE INDEX reservations_by_guest ON reservations (guest_email, created_at, reservation_id);
      CREATE INDEX reservations_by_hotel ON reservations (hotel_id, created_at, reservation_id);
      -- Only held reservations are ever expired; confirmed ones stay out of this index.
      CREATE INDEX reservations_held_by_expiry ON reservations (hold_expires_at)
        WHERE status = 'held';

      -- The change feed (transactional outbox). seq is the rowid: commands hold the write
      -- lock from BEGIN IMMEDIATE to COMMIT, so seq grows in commit order.
      CREATE TABLE events (
        seq            INTEGER PRIMARY KEY,
        type           TEXT    NOT NULL,
        at             TEXT    NOT NULL,
        hotel_id       TEXT    NOT NULL,
        reservation_id TEXT,
        days           TEXT    NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "rate cards; reservations: 'no-show', updated_at and payment_pending",
    // SQLite cannot alter a CHECK or add a constrained column in place, so reservations is
    // rebuilt: new table, copy, drop, rename, indexes again (nothing references it by a
    // foreign key, so dropping it is safe with foreign keys on). Version 1 reservations
    // never had a payment, so none of them waits for a gateway call: payment_pending NULL.
    // Their documents then get the fields the core now requires (upgradeVersion1Documents).
    sql: `
      -- One rate card per hotel, the whole card as JSON; revision is the compare-and-set
      -- check of putRateCard (a hotel without a row is at revision 0).
      CREATE TABLE rate_cards (
        hotel_id TEXT    NOT NULL PRIMARY KEY REFERENCES hotels (hotel_id),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        data     TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE reservations_v2 (
        hotel_id            TEXT    NOT NULL REFERENCES hotels (hotel_id),
        reservation_id      TEXT    NOT NULL UNIQUE,
        status              TEXT    NOT NULL
                            CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired', 'no-show')),
        check_in            TEXT    NOT NULL,
        check_out           TEXT    NOT NULL,
        guest_email         TEXT    NOT NULL,
        created_at          TEXT    NOT NULL,
        hold_expires_at     TEXT,
        idempotency_key     TEXT    NOT NULL,
        request_fingerprint TEXT    NOT NULL,
        version             INTEGER NOT NULL,
        data                TEXT    NOT NULL,
        -- The reservation's updatedAt: the payment recovery sweep's order.
        updated_at          TEXT    NOT NULL,
        -- pendingPaymentOf(reservation): the gateway call it still waits for, if any.
        payment_pending     TEXT    CHECK (payment_pending IN ('charge', 'refund')),
        PRIMARY KEY (hotel_id, reservation_id),
        UNIQUE (hotel_id, idempotency_key)
      ) STRICT;

      INSERT INTO reservations_v2
        (hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
         hold_expires_at, idempotency_key, request_fingerprint, version, data,
         updated_at, payment_pending)
      SELECT hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
             hold_expires_at, idempotency_key, request_fingerprint, version, data,
             COALESCE(data ->> '$.updatedAt', created_at), NULL
      FROM reservations;

      DROP TABLE reservations;
      ALTER TABLE reservations_v2 RENAME TO reservations;

      CREATE INDEX reservations_by_guest ON reservations (guest_email, created_at, reservation_id);
      CREATE INDEX reservations_by_hotel ON reservations (hotel_id, created_at, reservation_id);
      -- Holds that expiry may release: a hold whose charge is pending is left to the
      -- payment recovery sweep (decideExpire leaves it alone), so it stays out of this
      -- index and can never crowd the due holds out of an expiry batch. reservation_id
      -- (the batch's tie-break) is in the key, so a batch is read in order, never sorted.
      CREATE INDEX reservations_held_by_expiry ON reservations (hold_expires_at, reservation_id)
        WHERE status = 'held' AND payment_pending IS NOT 'charge';
      -- The reservations waiting for a gateway call, oldest change first: the few the
      -- recovery sweep reads, never a scan of every reservation.
      CREATE INDEX reservations_payment_pending ON reservations (updated_at, reservation_id)
        WHERE payment_pending IS NOT NULL;
    `,
    upgrade: upgradeVersion1Documents,
  },
];

/** The schema version this build of the store reads and writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

export function schemaVersionOf(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the schema up to `SQLITE_SCHEMA_VERSION` and returns the versions before and
 * after, `from` being read under the write lock: of several processes migrating one
 * file at once, exactly one reports the old version. Safe to run from several processes on one file at once: the version is re-read
 * under `BEGIN IMMEDIATE` (the write lock), so exactly one process applies each
 * migration and the others find it done. A file already up to date costs one read and
 * takes no lock, so a read-only connection to a migrated file is fine.
 *
 * Synchronous like the rest of better-sqlite3; a lock held by another process is waited
 * for up to the connection's `busy_timeout`.
 */
export function applyMigrations(db: SqliteDatabase): { from: number; to: number } {
  const seen = schemaVersionOf(db);
  if (seen === SQLITE_SCHEMA_VERSION) return { from: seen, to: seen };
  assertNotNewer(db, seen);
  const apply = db.transaction(() => {
    const current = schemaVersionOf(db);
    assertNotNewer(db, current);
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      migration.upgrade?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    return current;
  });
  return { from: apply.immediate() as number, to: schemaVersionOf(db) };
}

function assertNotNewer(db: SqliteDatabase, version: number): void {
  if (version <= SQLITE_SCHEMA_VERSION) return;
  throw new InnkeeperError(
    'STORAGE',
    `SQLite database "${db.name}" has schema version ${version}, newer than the ${SQLITE_SCHEMA_VERSION} ` +
      'this version of @innkeeper/adapter-sqlite knows: upgrade the package before opening it.',
    { operation: 'migrate' },
  );
}
