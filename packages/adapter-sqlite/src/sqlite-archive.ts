import {
  type ArchivedReservation,
  type CalendarDay,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  FINISHED_STATUSES,
  type Reservation,
} from '@innkeeper/core';
import {
  type ArchivedQuery,
  type ArchivedReservationRow,
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  archivedEntryFromRow,
  archivedEntryOf,
  type ForgetArchivedKeys,
} from '@innkeeper/core/store';
import { type CalendarRow, dayFromRow, dayParams, reservationFromRow } from './sqlite-rows.js';
import type { Query } from './sqlite-statements.js';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

const FINISHED = FINISHED_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The SQLite store's side of archiving (migration 7): what may leave, and `removeArchived`
 * inside the store's `BEGIN IMMEDIATE`, so removing a reservation, its room-nights and
 * recording it in the archive index are one step.
 */
export class SqliteArchive {
  private readonly st;

  constructor(db: SqliteDatabase, t: SqliteTableNames) {
    const q = <Row = never>(sql: string) => db.prepare(sql) as unknown as Query<Row>;
    this.st = {
      // The primary key (hotel_id, reservation_id) gives the order; the rest filters.
      archivable: q<{ data: string }>(`SELECT data FROM ${t.reservations}
        WHERE hotel_id = ? AND reservation_id > ? AND status IN (${FINISHED})
          AND check_out <= ? AND payment_pending IS NULL
        ORDER BY reservation_id LIMIT ?`),
      daysBefore: q<CalendarRow>(`SELECT * FROM ${t.calendar}
        WHERE hotel_id = ? AND date < ? AND (room_type_id, date) > (?, ?)
        ORDER BY room_type_id, date LIMIT ?`),
      reservation: q<{ data: string }>(`SELECT data FROM ${t.reservations}
        WHERE hotel_id = ? AND reservation_id = ? AND version = ?`),
      deleteReservation: q(
        `DELETE FROM ${t.reservations} WHERE hotel_id = ? AND reservation_id = ?`,
      ),
      deleteRoomNights: q(`DELETE FROM ${t.roomNights} WHERE reservation_id = ?`),
      record: q(`INSERT INTO ${t.archivedReservations}
        (reservation_id, hotel_id, idempotency_key, request_fingerprint, guest_email,
         check_out, file, archived_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteDay: q(`DELETE FROM ${t.calendar}
        WHERE hotel_id = ? AND room_type_id = ? AND date = ? AND total = ?
          AND overbooking_limit = ? AND reserved = ? AND stop_sell = ? AND rate IS ?`),
      raiseHorizon: q(`INSERT INTO ${t.archiveHorizons} (hotel_id, before) VALUES (?, ?)
        ON CONFLICT (hotel_id) DO UPDATE SET before = max(before, excluded.before)`),
      horizon: q<{ before: string }>(`SELECT before FROM ${t.archiveHorizons} WHERE hotel_id = ?`),
      byId: q<ArchivedReservationRow>(
        `SELECT * FROM ${t.archivedReservations} WHERE reservation_id = ?`,
      ),
      byKey: q<ArchivedReservationRow>(`SELECT * FROM ${t.archivedReservations}
        WHERE hotel_id = ? AND idempotency_key = ?`),
      // The oldest archived first (index archived_keys_by_age), so a limit takes the most
      // expired; with a key, only that hotel's entry holding it.
      forgetKeys: q(`UPDATE ${t.archivedReservations} SET idempotency_key = NULL
        WHERE (hotel_id, reservation_id) IN (
          SELECT hotel_id, reservation_id FROM ${t.archivedReservations}
          WHERE idempotency_key IS NOT NULL AND archived_at <= ?
          ORDER BY archived_at LIMIT ?)`),
      forgetKey: q(`UPDATE ${t.archivedReservations} SET idempotency_key = NULL
        WHERE hotel_id = ? AND idempotency_key = ? AND archived_at <= ?`),
      erase: q(`UPDATE ${t.archivedReservations} SET guest_email = ?, request_fingerprint = ?
        WHERE reservation_id = ? AND guest_email <> ?`),
      byGuest: q<ArchivedReservationRow>(`SELECT * FROM ${t.archivedReservations}
        WHERE guest_email = ? AND reservation_id > ? ORDER BY reservation_id LIMIT ?`),
      byGuestAt: q<ArchivedReservationRow>(`SELECT * FROM ${t.archivedReservations}
        WHERE guest_email = ? AND hotel_id = ? AND reservation_id > ?
        ORDER BY reservation_id LIMIT ?`),
    };
  }

  archivable(query: {
    hotelId: string;
    before: string;
    afterId?: string;
    limit: number;
  }): Reservation[] {
    const { hotelId, before, afterId, limit } = query;
    return this.st.archivable
      .all(hotelId, afterId ?? '', before, Math.max(limit, 0))
      .map(reservationFromRow);
  }

  daysBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }): CalendarDay[] {
    const { hotelId, before, after, limit } = query;
    return this.st.daysBefore
      .all(hotelId, before, after?.roomTypeId ?? '', after?.date ?? '', Math.max(limit, 0))
      .map(dayFromRow);
  }

  /** `removeArchived`, inside the store's write transaction. */
  removeInside(command: ArchiveRemoval): ArchiveRemovalOutcome {
    const { hotelId, file, archivedAt, calendar } = command;
    const outcome: ArchiveRemovalOutcome = { removed: [], kept: [], daysRemoved: 0, daysKept: 0 };
    for (const { id, version } of command.reservations) {
      const row = this.st.reservation.get(hotelId, id, version);
      if (!row) {
        outcome.kept.push(id);
        continue;
      }
      const r = reservationFromRow(row);
      this.st.deleteRoomNights.run(id);
      this.st.deleteReservation.run(hotelId, id);
      this.st.record.run(...entryParams(archivedEntryOf(r, file, archivedAt)));
      outcome.removed.push(id);
    }
    if (calendar) {
      for (const day of calendar.days) {
        const deleted = day.hotelId === hotelId && this.st.deleteDay.run(...dayParams(day));
        if (deleted && deleted.changes === 1) outcome.daysRemoved++;
        else outcome.daysKept++;
      }
      this.st.raiseHorizon.run(hotelId, calendar.before);
    }
    return outcome;
  }

  /** `forgetArchivedKeys` (one statement: atomic on its own). */
  forgetKeys(command: ForgetArchivedKeys): number {
    const { archivedBy, limit, key } = command;
    if (limit <= 0) return 0;
    return key
      ? this.st.forgetKey.run(key.hotelId, key.idempotencyKey, archivedBy).changes
      : this.st.forgetKeys.run(archivedBy, limit).changes;
  }

  /** `eraseArchivedEntries`, inside the store's write transaction. */
  eraseInside(reservationIds: string[]): number {
    let erased = 0;
    for (const id of new Set(reservationIds)) {
      erased += this.st.erase.run(
        ERASED_GUEST_EMAIL,
        ERASED_FINGERPRINT,
        id,
        ERASED_GUEST_EMAIL,
      ).changes;
    }
    return erased;
  }

  find(query: ArchivedQuery): ArchivedReservation[] {
    switch (query.by) {
      case 'ids':
        return [...new Set(query.reservationIds)]
          .sort()
          .flatMap((id) => this.st.byId.all(id).map(archivedEntryFromRow));
      case 'key':
        return this.st.byKey.all(query.hotelId, query.idempotencyKey).map(archivedEntryFromRow);
      case 'guest': {
        const { email, hotelId, afterId = '', limit } = query;
        const rows =
          hotelId === undefined
            ? this.st.byGuest.all(email, afterId, Math.max(limit, 0))
            : this.st.byGuestAt.all(email, hotelId, afterId, Math.max(limit, 0));
        return rows.map(archivedEntryFromRow);
      }
    }
  }

  horizon(hotelId: string): string | null {
    return this.st.horizon.get(hotelId)?.before ?? null;
  }
}

function entryParams(e: ArchivedReservation): unknown[] {
  return [
    e.reservationId,
    e.hotelId,
    e.idempotencyKey,
    e.requestFingerprint,
    e.guestEmail,
    e.checkOut,
    e.file,
    e.archivedAt,
  ];
}
