import type { IsoDate, Reservation, Room } from '@innkeeper/core';
import {
  departedRooms,
  inNightRanges,
  nightsMadeUnusable,
  type ReservationOutcome,
  type RoomNightClaim,
  roomNightChanges,
  roomUsableFor,
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
    // By room, then night: the first holder met is the one of the room's earliest night.
    const claimed = roomNightChanges(current, next).claimed.sort(
      (a, b) => compareText(a.roomId, b.roomId) || compareText(a.date, b.date),
    );
    const rooms = this.rooms.get(next.hotelId);
    const byRoom = this.nights.get(next.hotelId);
    const taken = new Map<string, { holderId: string; nights: IsoDate[] }>();
    for (const night of claimed) {
      if (!roomUsableFor(rooms?.get(night.roomId), night.roomTypeId, night.date)) {
        return { kind: 'room-unusable', roomId: night.roomId };
      }
      const holderId = byRoom?.get(night.roomId)?.get(night.date);
      if (holderId !== undefined && holderId !== next.id) {
        const entry = taken.get(night.roomId) ?? { holderId, nights: [] };
        // The nights of the first holder found: what the refusal names.
        if (entry.holderId === holderId) entry.nights.push(night.date);
        taken.set(night.roomId, entry);
      }
    }
    // Of several rooms taken, the first by id (as every store names it).
    const [roomId] = [...taken.keys()].sort();
    const first = roomId === undefined ? undefined : taken.get(roomId);
    if (roomId === undefined || !first) return null;
    return { kind: 'room-taken', roomId, nights: first.nights.sort(), holderId: first.holderId };
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
