import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays, eachDate } from '../src/calendar/calendar-date.js';
import type { Room } from '../src/rooms/room.js';
import type { RoomAssignment, RoomNight } from '../src/rooms/room-assignment.js';
import { type PlannerStay, planRoomAssignments } from '../src/rooms/room-planner.js';
import { room as fixtureRoom } from './fixtures.js';

/** Room `number`, with the id `room-<number>`. */
function room(number: string, roomTypeId = 'std', over: Partial<Room> = {}): Room {
  return fixtureRoom(`room-${number}`, roomTypeId, { number, ...over });
}

const D = '2026-05-01';
const day = (n: number) => addDays(D, n);

function stay(id: string, from: number, to: number, rooms = 1, over: Partial<PlannerStay> = {}) {
  return {
    reservationId: id,
    checkIn: day(from),
    checkOut: day(to),
    lines: [{ roomTypeId: 'std', rooms }],
    assigned: [],
    ...over,
  } satisfies PlannerStay;
}

const of = (roomId: string, from: number, to: number, lineIndex = 0): RoomAssignment => ({
  lineIndex,
  roomId,
  roomTypeId: 'std',
  from: day(from),
  to: day(to),
});

describe('planRoomAssignments', () => {
  test('each stay gets one room for all its nights, in room number order (2 before 10)', () => {
    const plan = planRoomAssignments({
      rooms: [room('10'), room('2')],
      taken: [],
      stays: [stay('a', 0, 2), stay('b', 0, 1)],
    });
    expect(plan.relocations).toEqual([]);
    expect(Object.fromEntries(plan.assignments)).toEqual({
      a: [of('room-2', 0, 2)],
      b: [of('room-10', 0, 1)],
    });
  });

  test('prefers the features asked for, then a room whose free gap the stay fills', () => {
    const rooms = [room('1'), room('2', 'std', { features: ['sea-view'] }), room('3')];
    // Room 3 is taken the night after: a one-night stay fits its gap snugly.
    const taken: RoomNight[] = [{ roomId: 'room-3', date: day(1) }];
    const plan = planRoomAssignments({
      rooms,
      taken,
      stays: [stay('sea', 0, 1, 1, { wantedFeatures: ['sea-view'] }), stay('any', 0, 1)],
    });
    expect(plan.assignments.get('sea')).toEqual([of('room-2', 0, 1)]);
    expect(plan.assignments.get('any')).toEqual([of('room-3', 0, 1)]);
  });

  test('moves mid-stay only when no room is free throughout, and reports nights nobody can take', () => {
    const rooms = [room('1'), room('2')];
    // Room 1 is free nights 0-1, room 2 nights 2-3: a 4-night stay must move once.
    const taken: RoomNight[] = [
      { roomId: 'room-1', date: day(2) },
      { roomId: 'room-1', date: day(3) },
      { roomId: 'room-2', date: day(0) },
      { roomId: 'room-2', date: day(1) },
    ];
    const moved = planRoomAssignments({ rooms, taken, stays: [stay('a', 0, 4)] });
    expect(moved.assignments.get('a')).toEqual([of('room-1', 0, 2), of('room-2', 2, 4)]);
    expect(moved.relocations).toEqual([]);
    // Both rooms taken on night 1: that night is a relocation, the others are placed.
    const full = planRoomAssignments({
      rooms,
      taken: [...taken, { roomId: 'room-1', date: day(1) }],
      stays: [stay('a', 0, 4)],
    });
    expect(full.assignments.get('a')).toEqual([of('room-1', 0, 1), of('room-2', 2, 4)]);
    expect(full.relocations).toEqual([{ reservationId: 'a', lineIndex: 0, nights: [day(1)] }]);
  });

  test('keeps what a stay already has and places only the rooms still missing; never an inactive or out-of-service room', () => {
    const rooms = [
      room('1'),
      room('2', 'std', { active: false }),
      room('3', 'std', { housekeeping: 'out-of-service' }),
      room('4'),
    ];
    const plan = planRoomAssignments({
      rooms,
      taken: [],
      stays: [stay('a', 0, 2, 2, { assigned: [of('room-4', 0, 2)] })],
    });
    expect(plan.assignments.get('a')).toEqual([of('room-1', 0, 2)]);
  });

  test('overbooked: more rooms sold than exist on a night gives relocations, one per room short', () => {
    const plan = planRoomAssignments({
      rooms: [room('1')],
      taken: [],
      stays: [stay('long', 0, 3), stay('short', 1, 2)],
    });
    expect(plan.assignments.get('long')).toEqual([of('room-1', 0, 3)]);
    expect(plan.relocations).toEqual([{ reservationId: 'short', lineIndex: 0, nights: [day(1)] }]);
  });

  test('never an inactive, out-of-service or out-of-order room, even when it comes first by number', () => {
    const rooms = [
      room('1', 'std', { active: false }),
      room('2', 'std', { housekeeping: 'out-of-service' }),
      room('3', 'std', { outOfOrder: [{ from: day(0), to: day(1), reason: 'Leak' }] }),
      room('4'),
    ];
    const plan = planRoomAssignments({ rooms, taken: [], stays: [stay('a', 0, 1)] });
    expect(plan.assignments.get('a')).toEqual([of('room-4', 0, 1)]);
    // After its spell, room 3 is free again.
    const later = planRoomAssignments({ rooms, taken: [], stays: [stay('b', 1, 2)] });
    expect(later.assignments.get('b')).toEqual([of('room-3', 1, 2)]);
  });

  test('the rooms other stays of the run already hold are taken; a stay with all its rooms gets no entry', () => {
    const plan = planRoomAssignments({
      rooms: [room('1'), room('2')],
      taken: [],
      stays: [stay('y', 0, 1), stay('x', 0, 2, 1, { assigned: [of('room-1', 0, 2)] })],
    });
    expect(plan.assignments.get('y')).toEqual([of('room-2', 0, 1)]);
    expect(plan.assignments.has('x')).toBe(false);
    expect(plan.relocations).toEqual([]);
  });

  test('a stay whose neighbouring night (the first of the window) is taken in a room fits that room snugly', () => {
    const plan = planRoomAssignments({
      rooms: [room('1'), room('2')],
      taken: [{ roomId: 'room-2', date: day(-1) }],
      stays: [stay('a', 0, 1)],
    });
    expect(plan.assignments.get('a')).toEqual([of('room-2', 0, 1)]);
  });

  test('a feature asked for outweighs a snug fit on both sides', () => {
    const plan = planRoomAssignments({
      rooms: [room('1', 'std', { features: ['sea-view'] }), room('2')],
      taken: [
        { roomId: 'room-2', date: day(-1) },
        { roomId: 'room-2', date: day(1) },
      ],
      stays: [stay('a', 0, 1, 1, { wantedFeatures: ['sea-view'] })],
    });
    expect(plan.assignments.get('a')).toEqual([of('room-1', 0, 1)]);
  });

  test('longer stays are placed first, then earlier arrivals, then by reservation id; the input is left as given', () => {
    const one = [room('1')];
    const stays = Object.freeze([stay('short', 1, 2), stay('long', 0, 3)]);
    const byLength = planRoomAssignments({ rooms: one, taken: [], stays });
    expect(byLength.assignments.get('long')).toEqual([of('room-1', 0, 3)]);
    expect(byLength.relocations).toEqual([
      { reservationId: 'short', lineIndex: 0, nights: [day(1)] },
    ]);
    const byArrival = planRoomAssignments({
      rooms: one,
      taken: [],
      stays: [stay('late', 1, 3), stay('early', 0, 2)],
    });
    expect(byArrival.assignments.get('early')).toEqual([of('room-1', 0, 2)]);
    expect(byArrival.assignments.get('late')).toEqual([of('room-1', 2, 3)]);
    expect(byArrival.relocations).toEqual([
      { reservationId: 'late', lineIndex: 0, nights: [day(1)] },
    ]);
    // Longer first even when it arrives later.
    const longLater = planRoomAssignments({
      rooms: one,
      taken: [],
      stays: [stay('short', 0, 2), stay('long', 1, 4)],
    });
    expect(longLater.assignments.get('long')).toEqual([of('room-1', 1, 4)]);
    expect(longLater.relocations).toEqual([
      { reservationId: 'short', lineIndex: 0, nights: [day(1)] },
    ]);
    // Ties broken in the same order whatever order the stays come in.
    for (const order of [
      ['c', 'b', 'a'],
      ['b', 'c', 'a'],
      ['a', 'c', 'b'],
    ]) {
      const tied = planRoomAssignments({
        rooms: one,
        taken: [],
        stays: order.map((id) => stay(id, 0, 1)),
      });
      expect(tied.assignments.get('a')).toEqual([of('room-1', 0, 1)]);
      const arrivals = planRoomAssignments({
        rooms: one,
        taken: [],
        stays: order.map((id) =>
          stay(id, { a: 0, b: 1, c: 2 }[id] ?? 0, ({ a: 0, b: 1, c: 2 }[id] ?? 0) + 2),
        ),
      });
      // a (0-2) first, then b (1-3) takes what is left of its stay, then c (2-4).
      expect(arrivals.assignments.get('a')).toEqual([of('room-1', 0, 2)]);
      expect(arrivals.assignments.get('b')).toEqual([of('room-1', 2, 3)]);
      expect(arrivals.assignments.get('c')).toEqual([of('room-1', 3, 4)]);
      expect(arrivals.relocations).toEqual([
        { reservationId: 'b', lineIndex: 0, nights: [day(1)] },
        { reservationId: 'c', lineIndex: 0, nights: [day(2)] },
      ]);
    }
    const byId = planRoomAssignments({
      rooms: one,
      taken: [],
      stays: [stay('b', 0, 1), stay('a', 0, 1)],
    });
    expect(byId.assignments.get('a')).toEqual([of('room-1', 0, 1)]);
    expect(byId.relocations).toEqual([{ reservationId: 'b', lineIndex: 0, nights: [day(0)] }]);
  });

  test('only the nights a line lacks are placed: another line’s rooms do not count, and a room held for some nights leaves the rest', () => {
    const twoLines = stay('a', 0, 3, 1, {
      lines: [
        { roomTypeId: 'std', rooms: 1 },
        { roomTypeId: 'std', rooms: 1 },
      ],
      assigned: [of('room-9', 0, 3, 1), of('room-8', 1, 2, 0)],
    });
    const plan = planRoomAssignments({
      rooms: [room('1'), room('8'), room('9')],
      taken: [],
      stays: [twoLines],
    });
    // Line 0 lacks nights 0 and 2 (not consecutive): one room, two assignments.
    expect(plan.assignments.get('a')).toEqual([of('room-1', 0, 1), of('room-1', 2, 3)]);
  });

  test('property: no room-night twice, never more rooms than booked, relocation only when every room of the type is taken, same plan for the same input', () => {
    const stayArb = fc.record({
      from: fc.integer({ min: 0, max: 6 }),
      nights: fc.integer({ min: 1, max: 4 }),
      rooms: fc.integer({ min: 1, max: 2 }),
      type: fc.constantFrom('std', 'suite'),
    });
    fc.assert(
      fc.property(
        fc.array(stayArb, { maxLength: 12 }),
        fc.array(fc.record({ room: fc.nat(5), night: fc.nat(9) }), { maxLength: 10 }),
        (specs, takenSpecs) => {
          const rooms = [
            ...['1', '2', '3', '4'].map((n) => room(n)),
            ...['5', '6'].map((n) => room(n, 'suite')),
          ];
          const taken = takenSpecs.map((t) => ({
            roomId: rooms[t.room]?.id ?? '',
            date: day(t.night),
          }));
          const stays = specs.map((s, i) =>
            stay(`r${i}`, s.from, s.from + s.nights, s.rooms, {
              lines: [{ roomTypeId: s.type, rooms: s.rooms }],
            }),
          );
          const input = { rooms, taken, stays };
          const plan = planRoomAssignments(input);
          expect(planRoomAssignments(input)).toEqual(plan);

          const used = new Set(taken.map((t) => `${t.roomId}@${t.date}`));
          for (const s of stays) {
            const given = plan.assignments.get(s.reservationId) ?? [];
            const relocated = plan.relocations.filter((r) => r.reservationId === s.reservationId);
            for (const date of eachDate(s.checkIn, s.checkOut)) {
              const rooms = given.filter((a) => a.from <= date && date < a.to);
              const short = relocated.filter((r) => r.nights.includes(date)).length;
              // Every room of the line is placed or reported, never more than booked.
              expect(rooms.length + short).toBe(s.lines[0]?.rooms);
            }
            for (const a of given) {
              const typeOk =
                rooms.find((r) => r.id === a.roomId)?.roomTypeId === s.lines[0]?.roomTypeId;
              expect(typeOk).toBe(true);
              for (const date of eachDate(a.from, a.to)) {
                const key = `${a.roomId}@${date}`;
                expect(used.has(key), key).toBe(false);
                used.add(key);
              }
            }
          }
          // A night reported for relocation had no room of the type free once planned.
          for (const r of plan.relocations) {
            const type = stays.find((s) => s.reservationId === r.reservationId)?.lines[0]
              ?.roomTypeId;
            for (const date of r.nights) {
              const free = rooms.filter(
                (x) => x.roomTypeId === type && !used.has(`${x.id}@${date}`),
              );
              expect(free).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
