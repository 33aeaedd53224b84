import { addDays, type IsoDate } from '../calendar/calendar-date.js';
import type { Reservation } from '../reservation/reservation.js';
import { isAssignable, isOutOfOrderOn, type Room } from '../rooms/room.js';
import { type RoomNight, roomNightsOf } from '../rooms/room-assignment.js';
import type { ReservationOutcome } from './store-outcomes.js';

/**
 * # Room-nights: what a store indexes so that no room is given twice
 *
 * Every store keeps one entry per (hotel, room, night) claimed by a reservation, unique
 * on that triple, written in the same atomic step as the reservation (Postgres and SQLite:
 * a table whose primary key is the triple; memory: a map). A reservation claims the
 * nights of its assignments while it holds its nights (`roomNightsOf`); the index follows
 * every `changeReservation`, so a cancellation, an expiry or a no-show frees its rooms and
 * a modification or an early departure keeps only what still fits (`trimAssignments`).
 */

/** One room-night held by a reservation, as `listRoomNights` answers it. */
export interface RoomNightClaim {
  roomId: string;
  date: IsoDate;
  reservationId: string;
}

/** A room-night a change claims, with the room type its assignment names. */
export interface ClaimedRoomNight extends RoomNight {
  roomTypeId: string;
}

/**
 * The room-nights a change frees and claims: what a store deletes from and inserts into
 * its index (nothing at all for the many changes that do not touch rooms). `before` is
 * `null` for a new reservation.
 */
export function roomNightChanges(
  before: Reservation | null,
  after: Reservation,
): { released: RoomNight[]; claimed: ClaimedRoomNight[] } {
  const had = before ? claimsOf(before) : new Map<string, ClaimedRoomNight>();
  const has = claimsOf(after);
  const released: RoomNight[] = [];
  const claimed: ClaimedRoomNight[] = [];
  for (const [key, night] of had) {
    if (!has.has(key)) released.push({ roomId: night.roomId, date: night.date });
  }
  for (const [key, night] of has) if (!had.has(key)) claimed.push(night);
  return { released, claimed };
}

function claimsOf(r: Reservation): Map<string, ClaimedRoomNight> {
  const claims = new Map<string, ClaimedRoomNight>();
  if (!r.rooms || r.rooms.length === 0) return claims;
  const typeOf = new Map(r.rooms.map((a) => [a.roomId, a.roomTypeId]));
  for (const night of roomNightsOf(r.status, r.rooms)) {
    claims.set(`${night.roomId}\u0000${night.date}`, {
      ...night,
      roomTypeId: typeOf.get(night.roomId) ?? '',
    });
  }
  return claims;
}

/**
 * Whether a store may let a change claim the night `date` of `room` for an assignment
 * naming `roomTypeId`: the room exists, is active and in service, still is of that type,
 * and is not out of order that night. Read inside the atomic section, with the room
 * locked against `saveRoom`.
 */
export function roomUsableFor(room: Room | undefined, roomTypeId: string, date: IsoDate): boolean {
  return (
    room !== undefined &&
    isAssignable(room) &&
    room.roomTypeId === roomTypeId &&
    !isOutOfOrderOn(room, date)
  );
}

/** What a store reads, inside its atomic section, to judge the room-nights a change claims. */
export interface RoomNightLookup {
  /** The room as stored (locked against `saveRoom`), or `undefined` when there is none. */
  room(roomId: string): Room | undefined;
  /** The reservation holding the room's night `date`, or `undefined` when it is free. */
  holder(roomId: string, date: IsoDate): string | undefined;
}

/**
 * The refusal every store answers for the room-nights a change claims (`claimed`, from
 * `roomNightChanges`), or `null` when reservation `reservationId` may take them all.
 * A room that cannot take a night wins (`room-unusable`, the first by room id, then
 * night); else, of the nights another reservation holds, the first by room id, then
 * night, names the room and its holder, with every claimed night of that room that
 * holder has (`room-taken`). One rule in one place, so that all stores name the same
 * refusal for the same conflict.
 */
export function roomClaimRefusal(
  claimed: readonly ClaimedRoomNight[],
  reservationId: string,
  lookup: RoomNightLookup,
): ReservationOutcome | null {
  const ordered = [...claimed].sort(
    (a, b) => compareText(a.roomId, b.roomId) || compareText(a.date, b.date),
  );
  for (const night of ordered) {
    if (!roomUsableFor(lookup.room(night.roomId), night.roomTypeId, night.date)) {
      return { kind: 'room-unusable', roomId: night.roomId };
    }
  }
  for (const night of ordered) {
    const holderId = lookup.holder(night.roomId, night.date);
    if (holderId === undefined || holderId === reservationId) continue;
    const nights = ordered
      .filter((n) => n.roomId === night.roomId && lookup.holder(n.roomId, n.date) === holderId)
      .map((n) => n.date);
    return { kind: 'room-taken', roomId: night.roomId, nights, holderId };
  }
  return null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Nights `[from, to)`; `to: null` runs on without end. */
export interface NightRange {
  from: IsoDate;
  to: IsoDate | null;
}

/**
 * The nights on which saving `next` over `stored` would leave an assignment on a room
 * that cannot take it: from `assignedFrom` on for a new room type or a room no longer
 * assignable (inactive, out of service), and the nights of each new spell out of order.
 * A store refuses the save (`'assigned'`) while the room holds a room-night in any of them.
 */
export function nightsMadeUnusable(stored: Room, next: Room, assignedFrom: IsoDate): NightRange[] {
  const ranges: NightRange[] = [];
  if (stored.roomTypeId !== next.roomTypeId || (isAssignable(stored) && !isAssignable(next))) {
    ranges.push({ from: assignedFrom, to: null });
  }
  const had = new Set((stored.outOfOrder ?? []).map((s) => `${s.from}/${s.to}`));
  for (const spell of next.outOfOrder ?? []) {
    if (!had.has(`${spell.from}/${spell.to}`)) ranges.push({ from: spell.from, to: spell.to });
  }
  return ranges;
}

/** Whether the night `date` falls in any of `ranges`. */
export function inNightRanges(ranges: readonly NightRange[], date: IsoDate): boolean {
  return ranges.some((r) => r.from <= date && (r.to === null || date < r.to));
}

/**
 * The rooms a departure hands to housekeeping: when `next` checks the guest out, the rooms
 * of the stay's last night. A store sets them `dirty` in the same atomic step.
 */
export function departedRooms(current: Reservation, next: Reservation): string[] {
  if (current.status !== 'checked-in' || next.status !== 'checked-out') return [];
  const lastNight = addDays(next.checkOut, -1);
  const rooms = (next.rooms ?? []).filter((a) => a.from <= lastNight && lastNight < a.to);
  return [...new Set(rooms.map((a) => a.roomId))].sort();
}
