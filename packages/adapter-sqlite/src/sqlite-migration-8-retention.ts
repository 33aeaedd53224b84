import type { SqliteMigration } from './sqlite-migrations.js';

/**
 * Migration 8: retention. An archived reservation's idempotency key can be forgotten once
 * its retention ends, and the change feed keeps its consumers' cursors and how far it was
 * pruned. Its SQL is kept to the character as released (the indentation inside it too).
 */
export const migration8Retention: SqliteMigration = {
  version: 8,
  name: 'retention: forgettable idempotency keys, feed cursors, pruned feed',
  // An archived reservation's idempotency key is forgotten (set NULL) once its
  // retention ends; SQLite cannot drop NOT NULL in place, so the archive index is
  // rebuilt (new table, copy, drop, rename, index again). UNIQUE lets any number of
  // NULL keys through. The change feed gets its consumers' cursors and the seq it was
  // pruned through (one row): a reader behind that seq is told so instead of skipping.
  sql: (t) => `
      CREATE TABLE ${t.prefix}archived_reservations_v8 (
        hotel_id            TEXT NOT NULL,
        reservation_id      TEXT NOT NULL UNIQUE,
        idempotency_key     TEXT,
        request_fingerprint TEXT NOT NULL,
        guest_email         TEXT NOT NULL,
        check_out           TEXT NOT NULL,
        file                TEXT NOT NULL,
        archived_at         TEXT NOT NULL,
        PRIMARY KEY (hotel_id, reservation_id),
        UNIQUE (hotel_id, idempotency_key)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO ${t.prefix}archived_reservations_v8 SELECT * FROM ${t.archivedReservations};
      DROP TABLE ${t.archivedReservations};
      ALTER TABLE ${t.prefix}archived_reservations_v8 RENAME TO ${t.archivedReservations};
      CREATE INDEX ${t.prefix}archived_by_guest
        ON ${t.archivedReservations} (guest_email, reservation_id);
      -- forgetArchivedKeys: the oldest archived keys first, never the forgotten ones.
      CREATE INDEX ${t.prefix}archived_keys_by_age
        ON ${t.archivedReservations} (archived_at) WHERE idempotency_key IS NOT NULL;

      CREATE TABLE ${t.feedCursors} (
        name       TEXT    NOT NULL PRIMARY KEY,
        seq        INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE ${t.feedState} (
        id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        pruned_through INTEGER NOT NULL
      ) STRICT;
      INSERT INTO ${t.feedState} (id, pruned_through) VALUES (1, 0);
    `,
};
