import type { Reservation } from '@innkeeper/core';
import Database from 'better-sqlite3';
import { SQLITE_TABLES, WAL_AUTOCHECKPOINT_PAGES } from '../stores/sqlite-loader.js';
import type { RawBaseline } from './raw-baseline.js';

/**
 * Raw better-sqlite3 on the store's own file (a second connection, same pragmas as the
 * store's: WAL, synchronous=NORMAL, the loader's WAL checkpoint interval): in one BEGIN IMMEDIATE transaction, a guarded UPDATE
 * per night (rolled back unless every night fits) and the reservation INSERT with its
 * JSON payload into the store's table (no payment: `payment_pending` is NULL).
 */
export function sqliteRawBaseline(path: string): RawBaseline {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const take = db.prepare(`UPDATE ${SQLITE_TABLES.calendar} SET reserved = reserved + 1
    WHERE hotel_id = ? AND room_type_id = ? AND date = ?
      AND stop_sell = 0 AND reserved + 1 <= total + overbooking_limit`);
  const insert = db.prepare(`INSERT INTO ${SQLITE_TABLES.reservations}
    (hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
     hold_expires_at, idempotency_key, request_fingerprint, version, data, updated_at,
     payment_pending)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`);
  const book = db.transaction((r: Reservation) => {
    const line = r.lines[0];
    if (!line) throw new Error('no line');
    for (const night of line.nights) {
      if (take.run(r.hotelId, line.roomTypeId, night.date).changes !== 1) {
        throw new Error('sold out'); // rolls the whole booking back
      }
    }
    insert.run(
      r.hotelId,
      r.id,
      r.status,
      r.checkIn,
      r.checkOut,
      r.guest.email,
      r.createdAt,
      r.holdExpiresAt,
      r.idempotencyKey,
      r.requestFingerprint,
      r.version,
      JSON.stringify(r),
      r.updatedAt,
    );
  });
  return {
    async book({ reservation }) {
      book.immediate(reservation);
    },
    async close() {
      db.close();
    },
  };
}
