import { eachDate, earlierDate, laterDate, todayIn } from '../calendar/calendar-date.js';
import { InnkeeperError, notFound } from '../errors.js';
import type { RoomNightClaim } from '../port/room-nights.js';
import type { Reservation } from '../reservation/reservation.js';
import { isAssignable, type Room } from '../rooms/room.js';
import {
  type AssignmentProblem,
  type AssignmentRules,
  assignmentProblems,
  type RoomAssignment,
} from '../rooms/room-assignment.js';
import { decideRooms, ROOM_STATUSES } from '../rooms/room-decisions.js';
import { type PlannerStay, planRoomAssignments, type Relocation } from '../rooms/room-planner.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { unwrapOutcome } from './outcome-errors.js';
import { allReservationsMatching } from './reservation-pages.js';
import {
  type AssignRoomInput,
  type AssignRoomsInput,
  assignRoomInputSchema,
  assignRoomsInputSchema,
  type FreeRoomsInput,
  type MoveRoomInput,
  moveRoomInputSchema,
  type RoomCalendarInput,
  roomCalendarInputSchema,
  roomRangeInputSchema,
  type UnassignRoomInput,
  unassignRoomInputSchema,
} from './room-requests.js';

/** How often a room change plans again when the reservation changed under it. */
const ATTEMPTS = 3;

/** One night of a room's calendar: who holds it (`null`: free). */
export interface RoomCalendarNight {
  date: string;
  reservationId: string | null;
}

/** What `assignRooms` did for one arrival date. */
export interface RoomAssignmentRun {
  /** The reservations given rooms, as stored after. */
  assigned: Reservation[];
  /** Nights no room of the type was free for: guests to relocate (overbooking's walk-ins). */
  relocations: Relocation[];
  /** Reservations that changed while the run planned (a room taken meanwhile): run it again. */
  skipped: string[];
}

/**
 * Giving rooms to stays: by hand (`assign`, `unassign`, `move`) and for a whole arrival
 * date (`assignRooms`). Each plans the reservation's new list of assignments on the
 * version it read, checks it purely (`assignmentProblems`), and hands it to the store
 * with `decideRooms`, which applies it only to that version; the store refuses
 * atomically a room-night another reservation holds. A reservation changed meanwhile is
 * planned again.
 */
export class RoomAssignments {
  constructor(
    private readonly context: EngineContext,
    private readonly catalog: Catalog,
  ) {}

  async assign(input: AssignRoomInput): Promise<Reservation> {
    const p = parse(assignRoomInputSchema, input);
    return this.replan(p.reservationId, 'assign a room to', async (current, rooms) => {
      const room = rooms.get(p.roomId);
      if (!room) throw notFound('room', `${current.hotelId}/${p.roomId}`);
      const from = p.from ?? current.checkIn;
      const to = p.to ?? current.checkOut;
      const reason = `room ${room.number} assigned`;
      // The room already has these nights: a repeat, which changes nothing.
      const existing = current.rooms ?? [];
      if (existing.some((a) => a.roomId === room.id && a.from <= from && to <= a.to)) {
        return { next: existing, otherTypes: true, reason };
      }
      const lineIndex = p.lineIndex ?? lineFor(current, room, from, to, p.allowOtherType);
      const added = { lineIndex, roomId: room.id, roomTypeId: room.roomTypeId, from, to };
      return {
        next: [...existing, added],
        otherTypes: p.allowOtherType,
        reason,
      };
    });
  }

  async unassign(input: UnassignRoomInput): Promise<Reservation> {
    const p = parse(unassignRoomInputSchema, input);
    return this.replan(p.reservationId, 'unassign a room of', async (current, rooms) => {
      const assigned = (current.rooms ?? []).filter((a) => a.roomId === p.roomId);
      if (assigned.length === 0) throw notAssigned(current, p.roomId);
      const from = p.from ?? current.checkIn;
      const next = (current.rooms ?? []).flatMap((a) => {
        if (a.roomId !== p.roomId || a.to <= from) return [a];
        return a.from < from ? [{ ...a, to: from }] : [];
      });
      const number = rooms.get(p.roomId)?.number ?? p.roomId;
      return { next, otherTypes: true, reason: `room ${number} unassigned from ${from}` };
    });
  }

  async move(input: MoveRoomInput): Promise<Reservation> {
    const p = parse(moveRoomInputSchema, input);
    return this.replan(p.reservationId, 'move a room of', async (current, rooms, today) => {
      const target = rooms.get(p.toRoomId);
      if (!target) throw notFound('room', `${current.hotelId}/${p.toRoomId}`);
      const moving = (current.rooms ?? []).filter((a) => a.roomId === p.fromRoomId);
      if (moving.length === 0) throw notAssigned(current, p.fromRoomId);
      const firstNight = moving.reduce((min, a) => earlierDate(min, a.from), current.checkOut);
      const from = p.from ?? laterDate(today, firstNight);
      const next = (current.rooms ?? []).flatMap((a): RoomAssignment[] => {
        if (a.roomId !== p.fromRoomId || a.to <= from) return [a];
        const moved = {
          ...a,
          roomId: target.id,
          roomTypeId: target.roomTypeId,
          from: laterDate(a.from, from),
        };
        return a.from < from ? [{ ...a, to: from }, moved] : [moved];
      });
      const number = rooms.get(p.fromRoomId)?.number ?? p.fromRoomId;
      return {
        next,
        otherTypes: p.allowOtherType,
        reason: `moved from room ${number} to ${target.number} from ${from}`,
      };
    });
  }

  /**
   * Rooms free on every night of `[from, to)`: active, in service, not out of order on
   * any of them and held by no one, by number.
   */
  async freeRooms(input: FreeRoomsInput): Promise<Room[]> {
    const { hotelId, from, to, roomTypeId } = parse(roomRangeInputSchema, input);
    await this.catalog.getHotel(hotelId);
    const outOfOrder = (r: Room) =>
      (r.outOfOrder ?? []).some((spell) => spell.from < to && from < spell.to);
    const rooms = (await this.context.store.listRooms(hotelId)).filter(
      (r) =>
        isAssignable(r) &&
        !outOfOrder(r) &&
        (roomTypeId === undefined || r.roomTypeId === roomTypeId),
    );
    const taken = new Set(
      (await this.context.store.listRoomNights({ hotelId, from, to })).map((c) => c.roomId),
    );
    return rooms.filter((r) => !taken.has(r.id)).sort(byNumber);
  }

  /** Who holds a room on each night of `[from, to)`. */
  async roomCalendar(input: RoomCalendarInput): Promise<RoomCalendarNight[]> {
    const { hotelId, roomId, from, to } = parse(roomCalendarInputSchema, input);
    await this.catalog.getHotel(hotelId);
    const rooms = await this.context.store.listRooms(hotelId);
    if (!rooms.some((r) => r.id === roomId)) throw notFound('room', `${hotelId}/${roomId}`);
    const claims = await this.context.store.listRoomNights({
      hotelId,
      from,
      to,
      roomIds: [roomId],
    });
    const holder = new Map(claims.map((c) => [c.date, c.reservationId]));
    return eachDate(from, to).map((date) => ({ date, reservationId: holder.get(date) ?? null }));
  }

  /**
   * Gives rooms to every arrival of a date (the hotel's today by default) that lacks
   * some, by the planner's preferences (one room for the whole stay, requested features,
   * tight fits). Nights no room is free for are reported as relocations, never failed
   * silently: with the calendar sold into its overbooking margin, some guests must be
   * walked. A reservation changed meanwhile is left for the next run (`skipped`).
   */
  async assignRooms(input: AssignRoomsInput): Promise<RoomAssignmentRun> {
    const { hotelId, date } = parse(assignRoomsInputSchema, input);
    const hotel = await this.catalog.getHotel(hotelId);
    const on = date ?? todayIn(hotel.timeZone, this.context.clock.now());
    const arrivals: Reservation[] = [];
    for await (const r of allReservationsMatching(this.context.store, {
      by: 'arrivals',
      hotelId,
      date: on,
    })) {
      arrivals.push(r);
    }
    const run: RoomAssignmentRun = { assigned: [], relocations: [], skipped: [] };
    if (arrivals.length === 0) return run;
    const until = arrivals.reduce((last, r) => laterDate(last, r.checkOut), on);
    const [rooms, claims] = await Promise.all([
      this.context.store.listRooms(hotelId),
      this.context.store.listRoomNights({ hotelId, from: on, to: until }),
    ]);
    const mine = new Set(arrivals.map((r) => r.id));
    const plan = planRoomAssignments({
      rooms,
      taken: claims.filter((c: RoomNightClaim) => !mine.has(c.reservationId)),
      stays: arrivals.map(plannerStay),
    });
    run.relocations = plan.relocations;
    const at = nowIso(this.context);
    for (const r of arrivals) {
      const added = plan.assignments.get(r.id);
      if (!added) continue;
      const next = [...(r.rooms ?? []), ...added];
      const outcome = await this.context.store.changeReservation(r.id, (current) =>
        decideRooms(current, at, r.version, next, 'rooms assigned for arrival'),
      );
      if (outcome.kind === 'applied') run.assigned.push(outcome.reservation);
      else run.skipped.push(r.id);
    }
    return run;
  }

  /**
   * Before a check-in at a hotel that uses rooms: gives every room of every line one for
   * the stay's nights where it has none (as `assignRooms` would), or refuses with
   * `CONFLICT` when no room of the type is free, so the front desk picks one by hand
   * (`allowOtherType`) or relocates the guest. A hotel without rooms is left alone.
   */
  async roomsForCheckIn(current: Reservation): Promise<void> {
    const rooms = await this.context.store.listRooms(current.hotelId);
    if (rooms.length === 0 || !ROOM_STATUSES.includes(current.status)) return;
    const claims = await this.context.store.listRoomNights({
      hotelId: current.hotelId,
      from: current.checkIn,
      to: current.checkOut,
    });
    const plan = planRoomAssignments({
      rooms,
      taken: claims.filter((c) => c.reservationId !== current.id),
      stays: [plannerStay(current)],
    });
    const [short] = plan.relocations;
    if (short) {
      throw new InnkeeperError(
        'CONFLICT',
        `No ${current.lines[short.lineIndex]?.roomTypeId ?? ''} room is free for reservation ${current.id} on ${short.nights.join(', ')}: assign one by hand (allowOtherType for another type) or relocate the guest`,
        { entity: 'room', id: current.id, reason: 'no room free', dates: short.nights },
      );
    }
    const added = plan.assignments.get(current.id);
    if (!added) return;
    const at = nowIso(this.context);
    const next = [...(current.rooms ?? []), ...added];
    const outcome = await this.context.store.changeReservation(current.id, (r) =>
      decideRooms(r, at, current.version, next, 'rooms assigned at check-in'),
    );
    unwrapOutcome(outcome, current.id, 'assign rooms at check-in to');
  }

  /**
   * Reads the reservation and the hotel's rooms, lets `plan` build the new list of
   * assignments, checks it, and applies it to the version read; again when that version
   * is gone by the time the store runs the decision.
   */
  private async replan(
    reservationId: string,
    action: string,
    plan: (
      current: Reservation,
      rooms: Map<string, Room>,
      today: string,
    ) => Promise<{ next: RoomAssignment[]; otherTypes: boolean; reason: string }>,
  ): Promise<Reservation> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.context.store.getReservation(reservationId);
      if (!current) throw notFound('reservation', reservationId);
      if (!ROOM_STATUSES.includes(current.status)) {
        return unwrapOutcome(
          { kind: 'invalid-state', reservation: current },
          reservationId,
          action,
        );
      }
      const hotel = await this.catalog.getHotel(current.hotelId);
      const rooms = new Map((await this.context.store.listRooms(hotel.id)).map((r) => [r.id, r]));
      const today = todayIn(hotel.timeZone, this.context.clock.now());
      const { next, otherTypes, reason } = await plan(current, rooms, today);
      const upgrades = otherTypes ? anyType(rooms) : upgradesGiven(current);
      const rules: AssignmentRules = { rooms, upgrades };
      const problems = assignmentProblems(current, next, rules);
      if (problems.length > 0) throw assignmentError(reservationId, problems);
      const at = nowIso(this.context);
      const outcome = await this.context.store.changeReservation(reservationId, (r) =>
        decideRooms(r, at, current.version, next, reason),
      );
      if (outcome.kind === 'conflict' && attempt < ATTEMPTS) continue;
      return unwrapOutcome(outcome, reservationId, action);
    }
  }
}

/** A reservation as the planner sees it: its stay, its rooms, the features it asked for. */
function plannerStay(r: Reservation): PlannerStay {
  return {
    reservationId: r.id,
    checkIn: r.checkIn,
    checkOut: r.checkOut,
    lines: r.lines,
    assigned: r.rooms ?? [],
    wantedFeatures: r.details?.roomFeatures ?? [],
  };
}

/**
 * The line a room goes to when the caller names none: the first of the room's type (of
 * any type, with `otherTypes`) that has a room without one on every night asked.
 */
function lineFor(r: Reservation, room: Room, from: string, to: string, otherTypes: boolean) {
  const nights = eachDate(from, to);
  const index = r.lines.findIndex((line, i) => {
    if (!otherTypes && line.roomTypeId !== room.roomTypeId) return false;
    return nights.every(
      (date) =>
        (r.rooms ?? []).filter((a) => a.lineIndex === i && a.from <= date && date < a.to).length <
        line.rooms,
    );
  });
  // None fits: line 0, which the checks then explain (wrong type, too many rooms).
  return index === -1 ? 0 : index;
}

/**
 * The other room types the stay's lines already hold (upgrades given earlier with
 * `allowOtherType`): a later change that does not ask for another type keeps them.
 */
function upgradesGiven(r: Reservation): Map<string, Set<string>> {
  const given = new Map<string, Set<string>>();
  for (const a of r.rooms ?? []) {
    const lineType = r.lines[a.lineIndex]?.roomTypeId;
    if (lineType === undefined || lineType === a.roomTypeId) continue;
    const types = given.get(lineType) ?? new Set<string>();
    types.add(a.roomTypeId);
    given.set(lineType, types);
  }
  return given;
}

/** Every line type may take every room type: what `allowOtherType` asks for. */
function anyType(rooms: Map<string, Room>): Map<string, Set<string>> {
  const types = new Set([...rooms.values()].map((r) => r.roomTypeId));
  return new Map([...types].map((t) => [t, types]));
}

function byNumber(a: Room, b: Room): number {
  return a.number.localeCompare(b.number, 'en', { numeric: true }) || (a.id < b.id ? -1 : 1);
}

function notAssigned(r: Reservation, roomId: string): InnkeeperError<'VALIDATION'> {
  return new InnkeeperError('VALIDATION', `Room ${roomId} is not assigned to reservation ${r.id}`, {
    issues: [{ path: ['roomId'], message: `Not assigned to reservation ${r.id}` }],
  });
}

const PROBLEM_TEXT: {
  [K in AssignmentProblem['kind']]: (p: Extract<AssignmentProblem, { kind: K }>) => string;
} = {
  'no-line': (p) => `the reservation has no line ${p.lineIndex}`,
  'outside-stay': (p) => `the nights ${p.from} to ${p.to} are not all in the stay`,
  'unknown-room': (p) => `room ${p.roomId} does not exist`,
  'not-assignable': (p) => `room ${p.roomId} is inactive or out of service`,
  'out-of-order': (p) => `room ${p.roomId} is out of order on ${p.date}`,
  'wrong-room-type': (p) =>
    `room ${p.roomId} is a ${p.roomTypeId}, the line books ${p.lineRoomTypeId} (allowOtherType to upgrade)`,
  'room-twice': (p) => `room ${p.roomId} would be given twice on ${p.date}`,
  'too-many-rooms': (p) => `line ${p.lineIndex} books ${p.rooms} room(s) on ${p.date}, no more`,
};

function assignmentError(reservationId: string, problems: AssignmentProblem[]) {
  const messages = problems.map((p) =>
    (PROBLEM_TEXT[p.kind] as (problem: AssignmentProblem) => string)(p),
  );
  return new InnkeeperError(
    'VALIDATION',
    `Cannot assign rooms to reservation ${reservationId}: ${messages.join('; ')}`,
    {
      issues: problems.map((p, i) => ({
        path: 'roomId' in p ? ['roomId'] : ['lineIndex'],
        message: messages[i] ?? '',
      })),
    },
  );
}
