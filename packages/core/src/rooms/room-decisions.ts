import type { Reservation, ReservationStatus } from '../reservation/reservation.js';
import { type Decision, transition } from '../reservation/reservation-decisions.js';
import type { RoomAssignment } from './room-assignment.js';

/** Statuses a room can be given to (or taken from): a stay that still holds its nights. */
export const ROOM_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed', 'checked-in'];

/**
 * Replaces a reservation's room assignments with `rooms`, which the engine planned and
 * checked (`assignmentProblems`) on the version it read: any other version is a
 * `conflict` (the engine plans again), a released or departed stay is `invalid-state`,
 * the same assignments again are `unchanged`. The store then checks, atomically, that no
 * other reservation holds the room-nights and that each room is still usable.
 */
export function decideRooms(
  current: Reservation,
  at: string,
  plannedOn: number,
  rooms: readonly RoomAssignment[],
  reason: string,
): Decision {
  if (current.version !== plannedOn) return { kind: 'conflict', reservation: current };
  if (!ROOM_STATUSES.includes(current.status))
    return { kind: 'invalid-state', reservation: current };
  if (sameAssignments(current.rooms ?? [], rooms))
    return { kind: 'unchanged', reservation: current };
  const next = transition(
    current,
    at,
    'rooms-changed',
    { rooms: rooms.map((a) => ({ ...a })) },
    reason,
  );
  return { kind: 'apply', next, deltas: [], action: 'rooms-changed' };
}

function sameAssignments(a: readonly RoomAssignment[], b: readonly RoomAssignment[]): boolean {
  const key = (x: RoomAssignment) => `${x.lineIndex}|${x.roomId}|${x.roomTypeId}|${x.from}|${x.to}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
