import type { IsoDate, Reservation, Room } from '@innkeeper/core';
import {
  departedRooms,
  inNightRanges,
  nightsMadeUnusable,
  type ReservationOutcome,
  type RoomNightClaim,
  roomClaimRefusal,
  roomNightChanges,
  type SaveMode,
  type SaveOutcome,
  saveOutcome,
} from '@innkeeper/core/store';

/**
 * The memory store's physical rooms and its room-night index: (hotel, room, night) →
 * the reservation holding it, unique by construction (a map key). Like `MemoryTables`,
 * nothing here awaits, so each step stays inside the command's critical section.
 */
export class MemoryRooms {
  /** Hotel id → room id → room. */
  private readonly rooms = new Map<string, Map<string, Room>>();
  /** Hotel id → room id → night → reservation id. */
  private readonly nights = new Map<string, Map<string, Map<IsoDate, string>>>();

  /**
   * Why `room` cannot be saved (`saveRoom`'s refusals, and `'exists'` / `'missing'`), or
   * `null` when it can. Checks only: `write` stores it.
   */
  refuseSave<M extends SaveMode>(
    room: Room,
    mode: M,
    assignedFrom: IsoDate,
  ): SaveOutcome<M> | 'number-taken' | 'assigned' | null {
    const rooms = this.rooms.get(room.hotelId);
    const stored = rooms?.get(room.id);
    if ((stored !== undefined) !== (mode === 'update')) return saveOutcome(mode, false);
    for (const other of rooms?.values() ?? []) {
      if (other.id !== room.id && other.number === room.number) return 'number-taken';
    }
    if (stored) {
      const unusable = nightsMadeUnusable(stored, room, assignedFrom);
      const held = this.nights.get(room.hotelId)?.get(room.id);
      for (const date of held?.keys() ?? []) if (inNightRanges(unusable, date)) return 'assigned';
    }
    return null;
  }

  write<M extends SaveMode>(room: Room, mode: M): SaveOutcome<M> {
    const rooms = this.rooms.get(room.hotelId) ?? new Map<string, Room>();
    rooms.set(room.id, copyRoom(room));
    this.rooms.set(room.hotelId, rooms);
    return saveOutcome(mode, true);
  }

  /** The hotel's rooms in id order (the caller's own copies). */
  list(hotelId: string): Room[] {
    return [...(this.rooms.get(hotelId)?.values() ?? [])]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(copyRoom);
  }

  claims(query: { hotelId: string; from: IsoDate; to: IsoDate; roomIds?: string[] }) {
    const byRoom = this.nights.get(query.hotelId);
    const roomIds = query.roomIds ?? [...(byRoom?.keys() ?? [])];
    const found: RoomNightClaim[] = [];
    for (const roomId of [...new Set(roomIds)].sort()) {
      for (const [date, reservationId] of byRoom?.get(roomId) ?? []) {
        if (date >= query.from && date < query.to) found.push({ roomId, date, reservationId });
      }
    }
    return found.sort((a, b) =>
      a.roomId === b.roomId ? (a.date < b.date ? -1 : 1) : a.roomId < b.roomId ? -1 : 1,
    );
  }

  /**
   * Checks the room-nights `next` claims that `current` did not: `room-unusable` or
   * `room-taken` (the change must then write nothing), else `null`. Checks only.
   */
  refusal(current: Reservation | null, next: Reservation): ReservationOutcome | null {
    const rooms = this.rooms.get(next.hotelId);
    const byRoom = this.nights.get(next.hotelId);
    return roomClaimRefusal(roomNightChanges(current, next).claimed, next.id, {
      room: (roomId) => rooms?.get(roomId),
      holder: (roomId, date) => byRoom?.get(roomId)?.get(date),
    });
  }

  /** Moves the index from `current`'s claims to `next`'s (checked by `refusal` first). */
  apply(current: Reservation | null, next: Reservation): void {
    const { released, claimed } = roomNightChanges(current, next);
    const byRoom = this.nights.get(next.hotelId) ?? new Map<string, Map<IsoDate, string>>();
    for (const { roomId, date } of released) byRoom.get(roomId)?.delete(date);
    for (const { roomId, date } of claimed) {
      const held = byRoom.get(roomId) ?? new Map<IsoDate, string>();
      held.set(date, next.id);
      byRoom.set(roomId, held);
    }
    this.nights.set(next.hotelId, byRoom);
    const rooms = this.rooms.get(next.hotelId);
    for (const roomId of departedRooms(current ?? next, next)) {
      const room = rooms?.get(roomId);
      if (room) rooms?.set(roomId, { ...room, housekeeping: 'dirty', updatedAt: next.updatedAt });
    }
  }
}

function copyRoom(room: Room): Room {
  const copy = { ...room, features: [...room.features] };
  if (room.outOfOrder) copy.outOfOrder = room.outOfOrder.map((spell) => ({ ...spell }));
  return copy;
}
