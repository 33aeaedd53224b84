import { z } from 'zod';
import { eachDate, earlierDate, isoDateSchema, laterDate } from '../calendar/calendar-date.js';
import { entityIdSchema } from '../catalog/ids.js';
import type { ReservationStatus } from '../reservation/reservation.js';
import { isAssignable, isOutOfOrderOn, type Room } from './room.js';

/**
 * A room given to one room of a reservation line for the nights `[from, to)`. A move
 * mid-stay is two assignments of the line: one room up to the move, another after it.
 */
export const roomAssignmentSchema = z.object({
  /** Index of the line in `reservation.lines`. */
  lineIndex: z.number().int().nonnegative(),
  roomId: entityIdSchema,
  /**
   * The room's type when it was assigned: the line's own, or the type it was upgraded to.
   * A store claims the room-nights only while the room still is of this type.
   */
  roomTypeId: entityIdSchema,
  from: isoDateSchema,
  to: isoDateSchema,
});
export type RoomAssignment = z.infer<typeof roomAssignmentSchema>;

/** What the assignment rules read of a reservation. */
export interface AssignedStay {
  id: string;
  status: ReservationStatus;
  checkIn: string;
  checkOut: string;
  lines: readonly { roomTypeId: string; rooms: number }[];
}

/**
 * Statuses whose assignments claim their room-nights. A departed guest's nights stay
 * theirs (the room calendar shows who slept there); a cancelled, expired or no-show
 * reservation gives its rooms back with its nights.
 */
const CLAIMING: readonly ReservationStatus[] = ['held', 'confirmed', 'checked-in', 'checked-out'];

/** One room on one night: the unit the invariant is about. */
export interface RoomNight {
  roomId: string;
  date: string;
}

/**
 * The room-nights a reservation claims: what a store indexes, unique per (hotel, room,
 * night), in the same atomic step as the reservation. Nothing for a released reservation.
 */
export function roomNightsOf(
  status: ReservationStatus,
  assignments: readonly RoomAssignment[],
): RoomNight[] {
  if (!CLAIMING.includes(status)) return [];
  return assignments.flatMap((a) =>
    eachDate(a.from, a.to).map((date) => ({ roomId: a.roomId, date })),
  );
}

/** Why an assignment cannot be made; each names what is wrong. */
export type AssignmentProblem =
  | { kind: 'no-line'; lineIndex: number }
  | { kind: 'outside-stay'; lineIndex: number; from: string; to: string }
  | { kind: 'unknown-room'; roomId: string }
  | { kind: 'not-assignable'; roomId: string }
  | { kind: 'out-of-order'; roomId: string; date: string }
  | { kind: 'wrong-room-type'; roomId: string; roomTypeId: string; lineRoomTypeId: string }
  | { kind: 'room-twice'; roomId: string; date: string }
  | { kind: 'too-many-rooms'; lineIndex: number; date: string; rooms: number };

export interface AssignmentRules {
  rooms: ReadonlyMap<string, Room>;
  /** Room types a line of another type may be given instead (an upgrade), per line type. */
  upgrades?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Checks a reservation's whole set of assignments against its stay: each within its
 * line's nights, each room of the line's type (or an allowed upgrade), active, in service
 * and not out of order on its nights, no room twice on one night, and never more rooms on a night than the line
 * books. Room-nights of *other* reservations are the store's to check, atomically.
 */
export function assignmentProblems(
  stay: AssignedStay,
  assignments: readonly RoomAssignment[],
  { rooms, upgrades }: AssignmentRules,
): AssignmentProblem[] {
  const problems: AssignmentProblem[] = [];
  const perNight = new Map<string, number>();
  const seen = new Set<string>();
  for (const a of assignments) {
    const line = stay.lines[a.lineIndex];
    if (!line) {
      problems.push({ kind: 'no-line', lineIndex: a.lineIndex });
      continue;
    }
    if (a.from >= a.to || a.from < stay.checkIn || a.to > stay.checkOut) {
      problems.push({ kind: 'outside-stay', lineIndex: a.lineIndex, from: a.from, to: a.to });
      continue;
    }
    const room = rooms.get(a.roomId);
    if (!room) {
      problems.push({ kind: 'unknown-room', roomId: a.roomId });
      continue;
    }
    if (!isAssignable(room)) problems.push({ kind: 'not-assignable', roomId: a.roomId });
    const allowed =
      room.roomTypeId === line.roomTypeId || upgrades?.get(line.roomTypeId)?.has(room.roomTypeId);
    if (!allowed) {
      problems.push({
        kind: 'wrong-room-type',
        roomId: a.roomId,
        roomTypeId: room.roomTypeId,
        lineRoomTypeId: line.roomTypeId,
      });
    }
    for (const date of eachDate(a.from, a.to)) {
      if (isOutOfOrderOn(room, date))
        problems.push({ kind: 'out-of-order', roomId: a.roomId, date });
      const roomNight = `${a.roomId}@${date}`;
      if (seen.has(roomNight)) problems.push({ kind: 'room-twice', roomId: a.roomId, date });
      seen.add(roomNight);
      const key = `${a.lineIndex}@${date}`;
      const count = (perNight.get(key) ?? 0) + 1;
      perNight.set(key, count);
      if (count === line.rooms + 1) {
        problems.push({ kind: 'too-many-rooms', lineIndex: a.lineIndex, date, rooms: line.rooms });
      }
    }
  }
  return problems;
}

/**
 * The assignments that still fit a stay after it changed (a modification, an early
 * departure, its undo): each cut to its line's new nights (`cut`), or dropped whole when
 * nothing is left, when its line is gone or now books another room type (an upgrade
 * holds only while the line keeps the type it was given for), or when the line now books
 * fewer rooms than are assigned on a night (the later assignments go first).
 */
export function trimAssignments(
  before: AssignedStay,
  after: AssignedStay,
  assignments: readonly RoomAssignment[],
): { kept: RoomAssignment[]; cut: RoomAssignment[]; dropped: RoomAssignment[] } {
  const kept: RoomAssignment[] = [];
  const cut: RoomAssignment[] = [];
  const dropped: RoomAssignment[] = [];
  const perNight = new Map<string, number>();
  for (const a of assignments) {
    const line = after.lines[a.lineIndex];
    const from = laterDate(a.from, after.checkIn);
    const to = earlierDate(a.to, after.checkOut);
    const allowed =
      line !== undefined &&
      (a.roomTypeId === line.roomTypeId ||
        before.lines[a.lineIndex]?.roomTypeId === line.roomTypeId);
    const nights = from < to ? eachDate(from, to) : [];
    const fits =
      allowed &&
      nights.length > 0 &&
      nights.every((date) => (perNight.get(`${a.lineIndex}@${date}`) ?? 0) < (line?.rooms ?? 0));
    if (!fits) {
      dropped.push(a);
      continue;
    }
    for (const date of nights) {
      const key = `${a.lineIndex}@${date}`;
      perNight.set(key, (perNight.get(key) ?? 0) + 1);
    }
    kept.push({ ...a, from, to });
    if (from !== a.from || to !== a.to) cut.push(a);
  }
  return { kept, cut, dropped };
}
