import { InnkeeperError } from '@innkeeper/core';
import {
  alteredLegacyError,
  type LegacyState,
  legacyStateOf,
  tableExists,
  takeOverLegacy,
} from './sqlite-legacy-files.js';
import { upgradeVersion1Documents } from './sqlite-migration-2-documents.js';
import { migration8Retention } from './sqlite-migration-8-retention.js';
import { migration9Pricing } from './sqlite-migration-9-pricing.js';
import { migration10Catalog } from './sqlite-migration-10-catalog.js';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

export interface SqliteMigration {
  /** Recorded in `<prefix>schema_migrations` once applied; versions are 1, 2, 3, ... in order. */
  version: number;
  name: string;
  /**
   * The migration's SQL for one set of table names. With the empty prefix it is, to the
   * character, the SQL of the releases before `tablePrefix` (unprefixed tables and indexes).
   */
  sql: (tables: SqliteTableNames) => string;
  /** Runs after `sql`, in the same transaction: data changes SQL alone cannot make. */
  upgrade?: (db: SqliteDatabase, tables: SqliteTableNames) => void;
}

/**
 * The schema, as the ordered list of changes that build it. Never edit a released
 * migration: append a new one (the table names are the one thing a migration takes as a
 * parameter). `hotel_id` leads every primary key (except the change feed's, which is one
 * global order), so the data can be split by hotel.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'hotels, room types, calendar, reservations, events',
    sql: (t) => `
      CREATE TABLE ${t.hotels} (
        hotel_id            TEXT    NOT NULL PRIMARY KEY,
        name                TEXT    NOT NULL,
        time_zone           TEXT    NOT NULL,
        currency            TEXT    NOT NULL,
        overbooking_percent INTEGER NOT NULL,
        created_at          TEXT    NOT NULL,
        updated_at          TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE ${t.roomTypes} (
        hotel_id            TEXT    NOT NULL REFERENCES ${t.hotels} (hotel_id),
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
      CREATE TABLE ${t.calendar} (
        hotel_id          TEXT    NOT NULL,
        room_type_id      TEXT    NOT NULL,
        date              TEXT    NOT NULL,
        total             INTEGER NOT NULL CHECK (total >= 0),
        overbooking_limit INTEGER NOT NULL CHECK (overbooking_limit >= 0),
        reserved          INTEGER NOT NULL,
        stop_sell         INTEGER NOT NULL CHECK (stop_sell IN (0, 1)),
        rate              INTEGER CHECK (rate >= 0),
        PRIMARY KEY (hotel_id, room_type_id, date),
        FOREIGN KEY (hotel_id, room_type_id) REFERENCES ${t.roomTypes} (hotel_id, room_type_id),
        CHECK (reserved >= 0 AND reserved <= total + overbooking_limit)
      ) STRICT, WITHOUT ROWID;

      -- The full reservation is kept as JSON in data, the one source of truth (the audit
      -- reads its nights from there); the columns beside it are copies of the fields that
      -- are looked up, ordered or constrained.
      CREATE TABLE ${t.reservations} (
        hotel_id            TEXT    NOT NULL REFERENCES ${t.hotels} (hotel_id),
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
      CREATE INDEX ${t.prefix}reservations_by_guest ON ${t.reservations} (guest_email, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_by_hotel ON ${t.reservations} (hotel_id, created_at, reservation_id);
      -- Only held reservations are ever expired; confirmed ones stay out of this index.
      CREATE INDEX ${t.prefix}reservations_held_by_expiry ON ${t.reservations} (hold_expires_at)
        WHERE status = 'held';

      -- The change feed (transactional outbox). seq is the rowid: commands hold the write
      -- lock from BEGIN IMMEDIATE to COMMIT, so seq grows in commit order.
      CREATE TABLE ${t.events} (
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
    sql: (t) => `
      -- One rate card per hotel, the whole card as JSON; revision is the compare-and-set
      -- check of putRateCard (a hotel without a row is at revision 0).
      CREATE TABLE ${t.rateCards} (
        hotel_id TEXT    NOT NULL PRIMARY KEY REFERENCES ${t.hotels} (hotel_id),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        data     TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE ${t.reservations}_v2 (
        hotel_id            TEXT    NOT NULL REFERENCES ${t.hotels} (hotel_id),
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

      INSERT INTO ${t.reservations}_v2
        (hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
         hold_expires_at, idempotency_key, request_fingerprint, version, data,
         updated_at, payment_pending)
      SELECT hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
             hold_expires_at, idempotency_key, request_fingerprint, version, data,
             COALESCE(data ->> '$.updatedAt', created_at), NULL
      FROM ${t.reservations};

      DROP TABLE ${t.reservations};
      ALTER TABLE ${t.reservations}_v2 RENAME TO ${t.reservations};

      CREATE INDEX ${t.prefix}reservations_by_guest ON ${t.reservations} (guest_email, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_by_hotel ON ${t.reservations} (hotel_id, created_at, reservation_id);
      -- Holds that expiry may release: a hold whose charge is pending is left to the
      -- payment recovery sweep (decideExpire leaves it alone), so it stays out of this
      -- index and can never crowd the due holds out of an expiry batch. reservation_id
      -- (the batch's tie-break) is in the key, so a batch is read in order, never sorted.
      CREATE INDEX ${t.prefix}reservations_held_by_expiry ON ${t.reservations} (hold_expires_at, reservation_id)
        WHERE status = 'held' AND payment_pending IS NOT 'charge';
      -- The reservations waiting for a gateway call, oldest change first: the few the
      -- recovery sweep reads, never a scan of every reservation.
      CREATE INDEX ${t.prefix}reservations_payment_pending ON ${t.reservations} (updated_at, reservation_id)
        WHERE payment_pending IS NOT NULL;
    `,
    upgrade: upgradeVersion1Documents,
  },
  {
    version: 3,
    name: "reservations: 'checked-in' and 'checked-out'",
    // The stay after booking: the status CHECK also allows the guest's arrival and
    // departure. Rebuilt as in version 2 (SQLite cannot alter a CHECK in place); every
    // column and index is as version 2 left it.
    sql: (t) => `
      CREATE TABLE ${t.reservations}_v3 (
        hotel_id            TEXT    NOT NULL REFERENCES ${t.hotels} (hotel_id),
        reservation_id      TEXT    NOT NULL UNIQUE,
        status              TEXT    NOT NULL
                            CHECK (status IN ('held', 'confirmed', 'checked-in', 'checked-out',
                                              'cancelled', 'expired', 'no-show')),
        check_in            TEXT    NOT NULL,
        check_out           TEXT    NOT NULL,
        guest_email         TEXT    NOT NULL,
        created_at          TEXT    NOT NULL,
        hold_expires_at     TEXT,
        idempotency_key     TEXT    NOT NULL,
        request_fingerprint TEXT    NOT NULL,
        version             INTEGER NOT NULL,
        data                TEXT    NOT NULL,
        updated_at          TEXT    NOT NULL,
        payment_pending     TEXT    CHECK (payment_pending IN ('charge', 'refund')),
        PRIMARY KEY (hotel_id, reservation_id),
        UNIQUE (hotel_id, idempotency_key)
      ) STRICT;

      INSERT INTO ${t.reservations}_v3 SELECT * FROM ${t.reservations};
      DROP TABLE ${t.reservations};
      ALTER TABLE ${t.reservations}_v3 RENAME TO ${t.reservations};

      CREATE INDEX ${t.prefix}reservations_by_guest ON ${t.reservations} (guest_email, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_by_hotel ON ${t.reservations} (hotel_id, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_held_by_expiry ON ${t.reservations} (hold_expires_at, reservation_id)
        WHERE status = 'held' AND payment_pending IS NOT 'charge';
      CREATE INDEX ${t.prefix}reservations_payment_pending ON ${t.reservations} (updated_at, reservation_id)
        WHERE payment_pending IS NOT NULL;
    `,
    // Dropping the old table dropped its planner statistics: a file that had them (an
    // application ran ANALYZE or PRAGMA optimize) gets them again for the new table.
    upgrade: (db, t) => {
      const analysed = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        .get();
      if (analysed) db.exec(`ANALYZE ${t.reservations}`);
    },
  },
  {
    version: 4,
    name: 'front-desk list indexes',
    // The front desk's lists (arrivals, departures, in house) of one hotel and date, each
    // read newest first from its own index: never a scan of the hotel's reservations.
    sql: (t) => `
      CREATE INDEX ${t.prefix}reservations_by_arrival
        ON ${t.reservations} (hotel_id, check_in, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_by_departure
        ON ${t.reservations} (hotel_id, check_out, created_at, reservation_id);
      CREATE INDEX ${t.prefix}reservations_in_house
        ON ${t.reservations} (hotel_id, created_at, reservation_id) WHERE status = 'checked-in';
    `,
  },
  {
    version: 5,
    name: 'external references',
    // The integrator's own id of a reservation, unique per hotel: a column computed from
    // the document (so no write path can forget it) and a unique index that serves
    // `listReservations` by reference and refuses a second holder.
    sql: (t) => `
      ALTER TABLE ${t.reservations} ADD COLUMN external_ref TEXT
        GENERATED ALWAYS AS (data ->> '$.details.externalRef') VIRTUAL;
      CREATE UNIQUE INDEX ${t.prefix}reservations_by_external_ref
        ON ${t.reservations} (hotel_id, external_ref) WHERE external_ref IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'physical rooms',
    // A room is a row (its number unique per hotel); a reservation's room assignments
    // claim one row per room and night, whose primary key is what makes giving one room
    // to two guests on one night impossible, whatever writes it.
    sql: (t) => `
      CREATE TABLE ${t.rooms} (
        hotel_id     TEXT NOT NULL,
        room_id      TEXT NOT NULL,
        number       TEXT NOT NULL,
        room_type_id TEXT NOT NULL,
        data         TEXT NOT NULL,
        PRIMARY KEY (hotel_id, room_id),
        FOREIGN KEY (hotel_id, room_type_id) REFERENCES ${t.roomTypes} (hotel_id, room_type_id)
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX ${t.prefix}rooms_by_number ON ${t.rooms} (hotel_id, number);

      CREATE TABLE ${t.roomNights} (
        hotel_id       TEXT NOT NULL,
        room_id        TEXT NOT NULL,
        night          TEXT NOT NULL,
        reservation_id TEXT NOT NULL,
        PRIMARY KEY (hotel_id, room_id, night),
        FOREIGN KEY (hotel_id, room_id) REFERENCES ${t.rooms} (hotel_id, room_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX ${t.prefix}room_nights_by_reservation ON ${t.roomNights} (reservation_id);
    `,
  },
  {
    version: 7,
    name: 'archive index and horizons',
    // What left the store for cold storage: one small row per archived reservation (the
    // file holding it, and what finds it again: id, guest, idempotency key), and per hotel
    // the date before which its calendar is archived (the audit starts there).
    sql: (t) => `
      CREATE TABLE ${t.archivedReservations} (
        hotel_id            TEXT NOT NULL,
        reservation_id      TEXT NOT NULL UNIQUE,
        idempotency_key     TEXT NOT NULL,
        request_fingerprint TEXT NOT NULL,
        guest_email         TEXT NOT NULL,
        check_out           TEXT NOT NULL,
        file                TEXT NOT NULL,
        archived_at         TEXT NOT NULL,
        PRIMARY KEY (hotel_id, reservation_id),
        UNIQUE (hotel_id, idempotency_key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX ${t.prefix}archived_by_guest
        ON ${t.archivedReservations} (guest_email, reservation_id);

      CREATE TABLE ${t.archiveHorizons} (
        hotel_id TEXT NOT NULL PRIMARY KEY,
        before   TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  migration8Retention,
  migration9Pricing,
  migration10Catalog,
];

/** The schema version this build of the store reads and writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** What `migrate()` did: the schema versions before and after, and whether it took over a legacy file. */
export interface SqliteMigrationResult {
  from: number;
  to: number;
  /**
   * True when this run found a file of a release before `tablePrefix` (its version in
   * `PRAGMA user_version`, its tables unprefixed) and renamed its tables and indexes to
   * the prefix. `from` is then the version that file was at.
   */
  legacyTablesRenamed: boolean;
}

/** The schema version recorded in `<prefix>schema_migrations`; 0 when there is none. */
export function schemaVersionOf(db: SqliteDatabase, tables: SqliteTableNames): number {
  if (!tableExists(db, tables.schemaMigrations)) return 0;
  const row = db.prepare(`SELECT max(version) AS version FROM ${tables.schemaMigrations}`).get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}

// ── Migrating ────────────────────────────────────────────────────────────────────────

function createMigrationsTable(db: SqliteDatabase, tables: SqliteTableNames): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${tables.schemaMigrations} (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL,
    note       TEXT
  ) STRICT`);
}

function recordMigration(
  db: SqliteDatabase,
  tables: SqliteTableNames,
  migration: SqliteMigration,
  note: string | null,
): void {
  db.prepare(
    `INSERT INTO ${tables.schemaMigrations} (version, name, applied_at, note)
     VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)`,
  ).run(migration.version, migration.name, note);
}

/**
 * Brings the schema of the tables named by `tables` up to `SQLITE_SCHEMA_VERSION`; `from`
 * is read under the write lock, so of several processes migrating one file at once
 * exactly one reports the old version. Safe to run from several processes on one file at
 * once: the version is re-read under `BEGIN IMMEDIATE` (the write lock), so exactly one
 * process applies each migration and the others find it done. A file already up to date
 * costs two reads and takes no lock, so a read-only connection to a migrated file is fine.
 *
 * The version lives in `<prefix>schema_migrations`, never in `PRAGMA user_version`, which
 * is the application's. A file of a release before table prefixes (`legacyStateOf`) is
 * taken over first, in the same transaction.
 *
 * Synchronous like the rest of better-sqlite3; a lock held by another process is waited
 * for up to the connection's `busy_timeout`.
 */
export function applyMigrations(
  db: SqliteDatabase,
  tables: SqliteTableNames,
): SqliteMigrationResult {
  const seen = schemaVersionOf(db, tables);
  if (seen === SQLITE_SCHEMA_VERSION) return { from: seen, to: seen, legacyTablesRenamed: false };
  assertNotNewer(db, tables, seen);
  const apply = db.transaction(() => {
    let current = schemaVersionOf(db, tables);
    assertNotNewer(db, tables, current);
    let legacyTablesRenamed = false;
    if (current === 0) {
      const legacy = legacyStateOf(db);
      if (legacy.kind === 'altered') throw alteredLegacyError(db, legacy);
      createMigrationsTable(db, tables);
      if (legacy.kind === 'legacy') {
        takeOverLegacy(db, tables, legacy.version);
        for (const migration of SQLITE_MIGRATIONS.slice(0, legacy.version)) {
          const note = `taken over from a file with PRAGMA user_version ${legacy.version} and unprefixed tables`;
          recordMigration(db, tables, migration, note);
        }
        current = legacy.version;
        legacyTablesRenamed = true;
      }
    }
    const from = current;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql(tables));
      migration.upgrade?.(db, tables);
      recordMigration(db, tables, migration, null);
    }
    return { from, legacyTablesRenamed };
  });
  const { from, legacyTablesRenamed } = apply.immediate() as {
    from: number;
    legacyTablesRenamed: boolean;
  };
  return { from, to: schemaVersionOf(db, tables), legacyTablesRenamed };
}

function assertNotNewer(db: SqliteDatabase, tables: SqliteTableNames, version: number): void {
  if (version <= SQLITE_SCHEMA_VERSION) return;
  throw new InnkeeperError(
    'STORAGE',
    `SQLite database "${db.name}" has schema version ${version}, newer than the ${SQLITE_SCHEMA_VERSION} ` +
      'this version of @innkeeper/adapter-sqlite knows (recorded in ' +
      `${tables.schemaMigrations}): upgrade the package before opening it.`,
    { operation: 'migrate' },
  );
}

export { type LegacyState, legacyStateOf };
