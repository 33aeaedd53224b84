import { addDays, eachDate } from '../calendar/calendar-date.js';
import { isAssignable, type Room } from './room.js';
import type { RoomAssignment, RoomNight } from './room-assignment.js';

/**
 * # Automatic room assignment, as a pure plan
 *
 * Given a hotel's rooms, the room-nights already taken and the stays to place, decides
 * which room each still-unassigned room of each line gets. The engine applies the plan
 * one reservation at a time through the store, which re-checks every room-night
 * atomically; a room taken meanwhile only makes that reservation's step fail, and the
 * next run plans again. Deterministic: the same input gives the same plan.
 *
 * Preferences, in order: a stay keeps one room throughout (a move mid-stay only when no
 * single room is free for all its nights, and then as few moves as the greedy walk
 * finds); rooms with the features the guest asked for; rooms whose free gap the stay
 * fills tightly (so long gaps stay whole for long stays); then room number order.
 * Longer stays are placed first: they are the hardest to fit.
 */

export interface PlannerStay {
  reservationId: string;
  checkIn: string;
  checkOut: string;
  lines: readonly { roomTypeId: string; rooms: number }[];
  /** What the stay already has: kept, and counted against each line's rooms. */
  assigned: readonly RoomAssignment[];
  /** Features the guest asked for (`sea-view`, ...): preferred, never required. */
  wantedFeatures?: readonly string[];
}

export interface RoomPlanInput {
  /** The hotel's rooms; those not active or out of service are never used. */
  rooms: readonly Room[];
  /** Room-nights held by reservations other than `stays`. */
  taken: readonly RoomNight[];
  stays: readonly PlannerStay[];
}

/** The nights of one room of a line that no room was free for: a guest to relocate. */
export interface Relocation {
  reservationId: string;
  lineIndex: number;
  nights: string[];
}

export interface RoomPlan {
  /** New assignments per reservation (only reservations that get some). */
  assignments: Map<string, RoomAssignment[]>;
  relocations: Relocation[];
}

/** One room's nights over the planning window: 1 where taken. */
interface RoomTrack {
  room: Room;
  nights: Uint8Array;
}

export function planRoomAssignments(input: RoomPlanInput): RoomPlan {
  const plan: RoomPlan = { assignments: new Map(), relocations: [] };
  if (input.stays.length === 0) return plan;
  const window = planningWindow(input.stays);
  const tracks = roomTracks(input, window);
  const stays = [...input.stays].sort(hardestFirst);
  for (const stay of stays) {
    for (const [lineIndex, line] of stay.lines.entries()) {
      const candidates = tracks.get(line.roomTypeId) ?? [];
      for (const need of neededRooms(stay, lineIndex, line.rooms)) {
        placeOne(stay, lineIndex, need, candidates, window, plan);
      }
    }
  }
  return plan;
}

/** Day indexes of the nights from the first arrival to the last departure (and one each side). */
interface Window {
  length: number;
  index: (date: string) => number;
}

function planningWindow(stays: readonly PlannerStay[]): Window {
  let first = stays[0]?.checkIn ?? '';
  let last = stays[0]?.checkOut ?? '';
  for (const s of stays) {
    if (s.checkIn < first) first = s.checkIn;
    if (s.checkOut > last) last = s.checkOut;
  }
  // One night more on each side, so whether a stay's neighbours are taken is known.
  const dates = eachDate(addDays(first, -1), addDays(last, 1));
  const positions = new Map(dates.map((d, i) => [d, i]));
  return { length: dates.length, index: (date) => positions.get(date) ?? -1 };
}

function roomTracks(input: RoomPlanInput, window: Window): Map<string, RoomTrack[]> {
  const byId = new Map<string, RoomTrack>();
  for (const room of input.rooms) {
    if (isAssignable(room)) byId.set(room.id, { room, nights: new Uint8Array(window.length) });
  }
  const mark = (roomId: string, date: string) => {
    const i = window.index(date);
    const track = byId.get(roomId);
    if (track && i >= 0) track.nights[i] = 1;
  };
  for (const { roomId, date } of input.taken) mark(roomId, date);
  for (const room of input.rooms) {
    for (const spell of room.outOfOrder ?? []) {
      for (const date of eachDate(spell.from, spell.to)) mark(room.id, date);
    }
  }
  for (const stay of input.stays) {
    for (const a of stay.assigned) for (const date of eachDate(a.from, a.to)) mark(a.roomId, date);
  }
  const byType = new Map<string, RoomTrack[]>();
  for (const track of byId.values()) {
    const list = byType.get(track.room.roomTypeId) ?? [];
    list.push(track);
    byType.set(track.room.roomTypeId, list);
  }
  for (const list of byType.values()) list.sort((a, b) => roomOrder(a.room, b.room));
  return byType;
}

/** Room numbers in the order a person reads them: `2` before `10`, then by id. */
function roomOrder(a: Room, b: Room): number {
  return (
    a.number.localeCompare(b.number, 'en', { numeric: true }) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function hardestFirst(a: PlannerStay, b: PlannerStay): number {
  const nights = (s: PlannerStay) => eachDate(s.checkIn, s.checkOut).length;
  return (
    nights(b) - nights(a) ||
    (a.checkIn < b.checkIn ? -1 : a.checkIn > b.checkIn ? 1 : 0) ||
    (a.reservationId < b.reservationId ? -1 : a.reservationId > b.reservationId ? 1 : 0)
  );
}

/**
 * For each room of the line still to place, the nights it needs a room: a line of two
 * rooms with one already assigned for all nights needs one more room for all nights.
 */
function neededRooms(stay: PlannerStay, lineIndex: number, rooms: number): string[][] {
  const nights = eachDate(stay.checkIn, stay.checkOut);
  const have = nights.map(
    (date) =>
      stay.assigned.filter((a) => a.lineIndex === lineIndex && a.from <= date && date < a.to)
        .length,
  );
  const needs: string[][] = [];
  for (let k = 0; k < rooms; k++) {
    const missing = nights.filter((_, i) => (have[i] ?? 0) <= k);
    if (missing.length > 0) needs.push(missing);
  }
  return needs;
}

/** Places one room of a line for `nights` (consecutive or not), splitting only if it must. */
function placeOne(
  stay: PlannerStay,
  lineIndex: number,
  nights: string[],
  candidates: readonly RoomTrack[],
  window: Window,
  plan: RoomPlan,
) {
  const idx = nights.map((d) => window.index(d));
  const wanted = stay.wantedFeatures ?? [];
  const whole = best(candidates, (t) => idx.every((i) => t.nights[i] === 0), idx, wanted);
  if (whole) {
    take(stay.reservationId, lineIndex, whole, nights, idx, plan);
    return;
  }
  // No room is free for every night: walk the nights, each time taking the room free
  // for the longest run from here, so the stay moves as few times as it can.
  const homeless: string[] = [];
  let at = 0;
  while (at < idx.length) {
    let longest = 0;
    let chosen: RoomTrack | undefined;
    for (const track of candidates) {
      let run = 0;
      while (at + run < idx.length && track.nights[idx[at + run] ?? -1] === 0) run++;
      if (run > longest) {
        longest = run;
        chosen = track;
      }
    }
    if (!chosen) {
      homeless.push(nights[at] ?? '');
      at++;
      continue;
    }
    take(
      stay.reservationId,
      lineIndex,
      chosen,
      nights.slice(at, at + longest),
      idx.slice(at, at + longest),
      plan,
    );
    at += longest;
  }
  if (homeless.length > 0) {
    plan.relocations.push({ reservationId: stay.reservationId, lineIndex, nights: homeless });
  }
}

/** The best free room by feature match, then how tightly the stay fills its gap. */
function best(
  candidates: readonly RoomTrack[],
  free: (t: RoomTrack) => boolean,
  idx: number[],
  wanted: readonly string[],
): RoomTrack | undefined {
  let chosen: RoomTrack | undefined;
  let chosenScore = -1;
  for (const track of candidates) {
    if (!free(track)) continue;
    const features = wanted.filter((f) => track.room.features.includes(f)).length;
    const before = (idx[0] ?? 0) - 1;
    const after = (idx.at(-1) ?? 0) + 1;
    // A taken (or window-edge) night on either side means the stay fills a gap.
    const snug =
      Number(before < 0 || track.nights[before] === 1) +
      Number(after >= track.nights.length || track.nights[after] === 1);
    const score = features * 3 + snug;
    if (score > chosenScore) {
      chosen = track;
      chosenScore = score;
    }
  }
  return chosen;
}

/** Marks the nights taken and adds them to the plan as consecutive assignments. */
function take(
  reservationId: string,
  lineIndex: number,
  track: RoomTrack,
  nights: string[],
  idx: number[],
  plan: RoomPlan,
) {
  for (const i of idx) track.nights[i] = 1;
  const list = plan.assignments.get(reservationId) ?? [];
  let start = 0;
  for (let i = 1; i <= nights.length; i++) {
    const breaks = i === nights.length || idx[i] !== (idx[i - 1] ?? 0) + 1;
    if (!breaks) continue;
    const from = nights[start] ?? '';
    const last = nights[i - 1] ?? from;
    list.push({
      lineIndex,
      roomId: track.room.id,
      roomTypeId: track.room.roomTypeId,
      from,
      to: addDays(last, 1),
    });
    start = i;
  }
  plan.assignments.set(reservationId, list);
}
