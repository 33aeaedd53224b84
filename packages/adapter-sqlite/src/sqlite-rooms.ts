import type { Reservation, Room } from '@innkeeper/core';
import {
  departedRooms,
  nightsMadeUnusable,
  type ReservationOutcome,
  type RoomNightClaim,
  type RoomSaveGuard,
  type RoomSaveOutcome,
  roomClaimRefusal,
  roomNightChanges,
  type SaveMode,
  type SaveOutcome,
  saveOutcome,
} from '@innkeeper/core/store';
import { updateCalendarRows } from './sqlite-inventory.js';
import type { Query, SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

interface ClaimRow {
  room_id: string;
  night: string;
  reservation_id: string;
}

/**
 * The SQLite store's rooms and room-nights (migration 6). Every method is synchronous and
 * runs inside a transaction the store opened: `saveInside` in its own `BEGIN IMMEDIATE`,
 * `refusal` and `apply` inside `changeReservation`'s, so the check of a room-night and
 * its write are one step under the database's write lock. The primary key of
 * `room_nights` (hotel, room, night) stands behind that check.
 */
export class SqliteRooms {
  private readonly st: {
    room: Query<{ data: string }>;
    numberHolder: Query<{ room_id: string }>;
    insert: Query;
    update: Query;
    heldIn: Query<{ one: number }>;
    list: Query<{ data: string }>;
    claims: Query<ClaimRow>;
    claimsOfRoom: Query<ClaimRow>;
    holder: Query<{ reservation_id: string }>;
    release: Query;
    claim: Query;
    dirty: Query;
  };

  constructor(
    db: SqliteDatabase,
    t: SqliteTableNames,
    /** The store's calendar statements, for the update a room out of order makes. */
    private readonly calendar: SqliteStatements,
  ) {
    const q = <Row>(sql: string) => db.prepare(sql) as unknown as Query<Row>;
    this.st = {
      room: q(`SELECT data FROM ${t.rooms} WHERE hotel_id = ? AND room_id = ?`),
      numberHolder: q(`SELECT room_id FROM ${t.rooms} WHERE hotel_id = ? AND number = ?`),
      insert: q(
        `INSERT INTO ${t.rooms} (hotel_id, room_id, number, room_type_id, data) VALUES (?, ?, ?, ?, ?)`,
      ),
      update: q(
        `UPDATE ${t.rooms} SET number = ?, room_type_id = ?, data = ? WHERE hotel_id = ? AND room_id = ?`,
      ),
      heldIn: q(
        `SELECT 1 AS one FROM ${t.roomNights}
          WHERE hotel_id = ? AND room_id = ? AND night >= ? AND night < ? LIMIT 1`,
      ),
      list: q(`SELECT data FROM ${t.rooms} WHERE hotel_id = ? ORDER BY room_id`),
      claims: q(
        `SELECT room_id, night, reservation_id FROM ${t.roomNights}
          WHERE hotel_id = ? AND night >= ? AND night < ? ORDER BY room_id, night`,
      ),
      claimsOfRoom: q(
        `SELECT room_id, night, reservation_id FROM ${t.roomNights}
          WHERE hotel_id = ? AND room_id = ? AND night >= ? AND night < ? ORDER BY night`,
      ),
      holder: q(
        `SELECT reservation_id FROM ${t.roomNights} WHERE hotel_id = ? AND room_id = ? AND night = ?`,
      ),
      release: q(`DELETE FROM ${t.roomNights} WHERE hotel_id = ? AND room_id = ? AND night = ?`),
      claim: q(
        `INSERT INTO ${t.roomNights} (hotel_id, room_id, night, reservation_id) VALUES (?, ?, ?, ?)`,
      ),
      dirty: q(
        `UPDATE ${t.rooms} SET data = json_set(data, '$.housekeeping', 'dirty', '$.updatedAt', ?)
          WHERE hotel_id = ? AND room_id = ?`,
      ),
    };
  }

  /** `saveRoom`: its checks, then its calendar update (all or nothing), then the room. */
  saveInside(room: Room, mode: SaveMode, guard: RoomSaveGuard): RoomSaveOutcome {
    const refused = this.refuseSave(room, mode, guard.assignedFrom);
    if (refused) return refused;
    if (guard.calendar) {
      const outcome = updateCalendarRows(this.calendar, guard.calendar, room.updatedAt);
      if (outcome.kind === 'rejected') return outcome;
    }
    return this.write(room, mode);
  }

  /**
   * Why `room` cannot be saved (`saveRoom`'s refusals, and `'exists'` / `'missing'`), or
   * `null` when it can. Reads only: `write` stores it.
   */
  private refuseSave<M extends SaveMode>(
    room: Room,
    mode: M,
    assignedFrom: string,
  ): SaveOutcome<M> | 'number-taken' | 'assigned' | null {
    const row = this.st.room.get(room.hotelId, room.id);
    if ((row !== undefined) !== (mode === 'update')) return saveOutcome(mode, false);
    const holder = this.st.numberHolder.get(room.hotelId, room.number);
    if (holder && holder.room_id !== room.id) return 'number-taken';
    if (row) {
      const unusable = nightsMadeUnusable(JSON.parse(row.data) as Room, room, assignedFrom);
      for (const range of unusable) {
        if (this.st.heldIn.get(room.hotelId, room.id, range.from, range.to ?? '9999-12-31')) {
          return 'assigned';
        }
      }
    }
    return null;
  }

  private write<M extends SaveMode>(room: Room, mode: M): SaveOutcome<M> {
    const data = JSON.stringify(room);
    if (mode === 'update')
      this.st.update.run(room.number, room.roomTypeId, data, room.hotelId, room.id);
    else this.st.insert.run(room.hotelId, room.id, room.number, room.roomTypeId, data);
    return saveOutcome(mode, true);
  }

  list(hotelId: string): Room[] {
    return this.st.list.all(hotelId).map((row) => JSON.parse(row.data) as Room);
  }

  claims(query: { hotelId: string; from: string; to: string; roomIds?: string[] }) {
    const rows =
      query.roomIds === undefined
        ? this.st.claims.all(query.hotelId, query.from, query.to)
        : [...new Set(query.roomIds)]
            .sort()
            .flatMap((roomId) =>
              this.st.claimsOfRoom.all(query.hotelId, roomId, query.from, query.to),
            );
    return rows.map(
      (r): RoomNightClaim => ({
        roomId: r.room_id,
        date: r.night,
        reservationId: r.reservation_id,
      }),
    );
  }

  /** `room-unusable` or `room-taken` for what `next` newly claims, else `null`; reads only. */
  refusal(current: Reservation, next: Reservation): ReservationOutcome | null {
    const rooms = new Map<string, Room | undefined>();
    return roomClaimRefusal(roomNightChanges(current, next).claimed, next.id, {
      room: (roomId) => {
        // Read each room once, however many of its nights the change claims.
        if (!rooms.has(roomId)) {
          const row = this.st.room.get(next.hotelId, roomId);
          rooms.set(roomId, row ? (JSON.parse(row.data) as Room) : undefined);
        }
        return rooms.get(roomId);
      },
      holder: (roomId, date) => this.st.holder.get(next.hotelId, roomId, date)?.reservation_id,
    });
  }

  /** Moves the room-night rows from `current`'s claims to `next`'s; a departure's rooms get dirty. */
  apply(current: Reservation, next: Reservation): void {
    const { released, claimed } = roomNightChanges(current, next);
    for (const n of released) this.st.release.run(next.hotelId, n.roomId, n.date);
    for (const n of claimed) this.st.claim.run(next.hotelId, n.roomId, n.date, next.id);
    for (const roomId of departedRooms(current, next)) {
      this.st.dirty.run(next.updatedAt, next.hotelId, roomId);
    }
  }
}
