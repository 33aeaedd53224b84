import { isInnkeeperError, type Reservation, type Room } from '@innkeeper/core';
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
  saveOutcome,
} from '@innkeeper/core/store';
import { updateCalendarInside } from './postgres-calendar.js';
import { isRoomNumberViolation } from './postgres-errors.js';
import type { Queries } from './postgres-queries.js';
import type { PostgresClient } from './postgres-store-config.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

const READ: RunOptions = { idempotent: true };

interface ClaimRow {
  room_id: string;
  night: string;
  reservation_id: string;
}

/**
 * The Postgres store's rooms and room-nights (migration 8). `saveRoom` is one transaction
 * that locks the room (`FOR UPDATE`); a change that claims room-nights locks each room it
 * claims `FOR SHARE` inside `changeReservation`'s transaction, so a room cannot change
 * type or leave service between that check and the claim. The primary key of
 * `room_nights` stands behind the check of who holds a night: of two transactions
 * claiming one, the second fails on the key once the first commits, and
 * `changeReservation` runs again and answers `room-taken`.
 */
export class PostgresRooms {
  private readonly sql: Record<
    | 'lockRoom'
    | 'numberHolder'
    | 'insertRoom'
    | 'updateRoom'
    | 'heldIn'
    | 'listRooms'
    | 'claims'
    | 'claimsOfRooms'
    | 'shareRooms'
    | 'holders'
    | 'release'
    | 'claim'
    | 'dirty',
    { name: string; text: string }
  >;

  constructor(
    private readonly executor: PostgresExecutor,
    private readonly queries: Queries,
    schema: string,
    statementPrefix: string,
  ) {
    const s = schema;
    const named = (name: string, text: string) => ({ name: `${statementPrefix}${name}`, text });
    this.sql = {
      lockRoom: named(
        'lockRoom',
        `SELECT data::text AS data FROM ${s}.rooms WHERE hotel_id = $1 AND room_id = $2 FOR UPDATE`,
      ),
      numberHolder: named(
        'roomNumberHolder',
        `SELECT room_id FROM ${s}.rooms WHERE hotel_id = $1 AND number = $2`,
      ),
      insertRoom: named(
        'insertRoom',
        `INSERT INTO ${s}.rooms (hotel_id, room_id, number, room_type_id, data)
         VALUES ($1, $2, $3, $4, $5::jsonb)`,
      ),
      updateRoom: named(
        'updateRoom',
        `UPDATE ${s}.rooms SET number = $3, room_type_id = $4, data = $5::jsonb
         WHERE hotel_id = $1 AND room_id = $2`,
      ),
      heldIn: named(
        'roomHeldIn',
        `SELECT 1 FROM ${s}.room_nights
         WHERE hotel_id = $1 AND room_id = $2 AND night >= $3 AND night < $4 LIMIT 1`,
      ),
      listRooms: named(
        'listRooms',
        `SELECT data::text AS data FROM ${s}.rooms WHERE hotel_id = $1 ORDER BY room_id`,
      ),
      claims: named(
        'roomClaims',
        `SELECT room_id, night::text AS night, reservation_id FROM ${s}.room_nights
         WHERE hotel_id = $1 AND night >= $2 AND night < $3 ORDER BY room_id, night`,
      ),
      claimsOfRooms: named(
        'roomClaimsOf',
        `SELECT room_id, night::text AS night, reservation_id FROM ${s}.room_nights
         WHERE hotel_id = $1 AND room_id = ANY ($4::text[]) AND night >= $2 AND night < $3
         ORDER BY room_id, night`,
      ),
      shareRooms: named(
        'shareRooms',
        `SELECT data::text AS data FROM ${s}.rooms
         WHERE hotel_id = $1 AND room_id = ANY ($2::text[]) ORDER BY room_id FOR SHARE`,
      ),
      holders: named(
        'roomNightHolders',
        `SELECT n.room_id, n.night::text AS night, n.reservation_id
         FROM unnest($2::text[], $3::date[]) AS c (room_id, night)
         JOIN ${s}.room_nights n
           ON n.hotel_id = $1 AND n.room_id = c.room_id AND n.night = c.night
         WHERE n.reservation_id <> $4
         ORDER BY n.room_id, n.night`,
      ),
      release: named(
        'releaseRoomNights',
        `DELETE FROM ${s}.room_nights n
         USING unnest($2::text[], $3::date[]) AS c (room_id, night)
         WHERE n.hotel_id = $1 AND n.room_id = c.room_id AND n.night = c.night
           AND n.reservation_id = $4`,
      ),
      claim: named(
        'claimRoomNights',
        `INSERT INTO ${s}.room_nights (hotel_id, room_id, night, reservation_id)
         SELECT $1, c.room_id, c.night, $4 FROM unnest($2::text[], $3::date[]) AS c (room_id, night)`,
      ),
      dirty: named(
        'roomsDirty',
        `UPDATE ${s}.rooms
         SET data = data || jsonb_build_object('housekeeping', 'dirty', 'updatedAt', $3::text)
         WHERE hotel_id = $1 AND room_id = ANY ($2::text[])`,
      ),
    };
  }

  /**
   * `saveRoom` in one transaction: the room locked (`FOR UPDATE`), its checks, the
   * calendar update of a spell out of order (all or nothing), then the room.
   */
  async save<M extends SaveMode>(
    room: Room,
    mode: M,
    guard: RoomSaveGuard,
  ): Promise<RoomSaveOutcome<M>> {
    try {
      return await this.executor.transaction(
        'saveRoom',
        async (client, tx): Promise<RoomSaveOutcome<M>> => {
          const [row] = (
            await client.query<{ data: string }>({
              ...this.sql.lockRoom,
              values: [room.hotelId, room.id],
            })
          ).rows;
          if ((row !== undefined) !== (mode === 'update')) return saveOutcome(mode, false);
          const [holder] = (
            await client.query<{ room_id: string }>({
              ...this.sql.numberHolder,
              values: [room.hotelId, room.number],
            })
          ).rows;
          if (holder && holder.room_id !== room.id) return 'number-taken';
          if (row) {
            const unusable = nightsMadeUnusable(
              JSON.parse(row.data) as Room,
              room,
              guard.assignedFrom,
            );
            for (const range of unusable) {
              const held = await client.query({
                ...this.sql.heldIn,
                values: [room.hotelId, room.id, range.from, range.to ?? '9999-12-31'],
              });
              if (held.rows.length > 0) return 'assigned';
            }
          }
          if (guard.calendar) {
            const outcome = await updateCalendarInside(
              client,
              tx,
              this.queries,
              guard.calendar,
              room.updatedAt,
            );
            if (outcome.kind === 'rejected') return outcome;
          }
          await client.query({
            ...(row ? this.sql.updateRoom : this.sql.insertRoom),
            values: [room.hotelId, room.id, room.number, room.roomTypeId, JSON.stringify(room)],
          });
          return saveOutcome(mode, true);
        },
        // An insert, or a total adjusted, run again after a lost COMMIT would not say what
        // the first attempt did: report the outcome as unknown instead.
        { idempotent: mode === 'update' && guard.calendar === undefined },
      );
    } catch (error) {
      // Another room took the number between the check and the write.
      if (isRoomNumberViolation(isInnkeeperError(error) ? error.cause : error)) {
        return 'number-taken';
      }
      throw error;
    }
  }

  async list(hotelId: string): Promise<Room[]> {
    const rows = await this.executor.statement<{ data: string }>(
      'listRooms',
      { ...this.sql.listRooms, values: [hotelId] },
      READ,
    );
    return rows.map((row) => JSON.parse(row.data) as Room);
  }

  async claims(query: {
    hotelId: string;
    from: string;
    to: string;
    roomIds?: string[];
  }): Promise<RoomNightClaim[]> {
    const { hotelId, from, to, roomIds } = query;
    const statement =
      roomIds === undefined
        ? { ...this.sql.claims, values: [hotelId, from, to] }
        : { ...this.sql.claimsOfRooms, values: [hotelId, from, to, roomIds] };
    const rows = await this.executor.statement<ClaimRow>('listRoomNights', statement, READ);
    return rows.map((r) => ({ roomId: r.room_id, date: r.night, reservationId: r.reservation_id }));
  }

  /**
   * Inside `changeReservation`'s transaction, before anything is written: the rooms `next`
   * newly claims, locked `FOR SHARE` and checked usable, then who holds those nights.
   */
  async refusal(
    client: PostgresClient,
    current: Reservation,
    next: Reservation,
  ): Promise<ReservationOutcome | null> {
    const { claimed } = roomNightChanges(current, next);
    if (claimed.length === 0) return null;
    const ids = [...new Set(claimed.map((c) => c.roomId))].sort();
    const { rows } = await client.query<{ data: string }>({
      ...this.sql.shareRooms,
      values: [next.hotelId, ids],
    });
    const rooms = new Map(
      rows.map((r) => JSON.parse(r.data) as Room).map((room) => [room.id, room]),
    );
    const { rows: held } = await client.query<ClaimRow>({
      ...this.sql.holders,
      values: [next.hotelId, claimed.map((c) => c.roomId), claimed.map((c) => c.date), next.id],
    });
    const holders = new Map(held.map((h) => [`${h.room_id}/${h.night}`, h.reservation_id]));
    return roomClaimRefusal(claimed, next.id, {
      room: (roomId) => rooms.get(roomId),
      holder: (roomId, date) => holders.get(`${roomId}/${date}`),
    });
  }

  /**
   * Moves the room-night rows from `current`'s claims to `next`'s, in the same transaction;
   * a departure's rooms get dirty.
   */
  async apply(client: PostgresClient, current: Reservation, next: Reservation): Promise<void> {
    const { released, claimed } = roomNightChanges(current, next);
    if (released.length > 0) {
      await client.query({
        ...this.sql.release,
        values: [next.hotelId, released.map((n) => n.roomId), released.map((n) => n.date), next.id],
      });
    }
    if (claimed.length > 0) {
      await client.query({
        ...this.sql.claim,
        values: [next.hotelId, claimed.map((n) => n.roomId), claimed.map((n) => n.date), next.id],
      });
    }
    const departed = departedRooms(current, next);
    if (departed.length > 0) {
      await client.query({ ...this.sql.dirty, values: [next.hotelId, departed, next.updatedAt] });
    }
  }
}
