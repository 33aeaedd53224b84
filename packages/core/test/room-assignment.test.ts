import { describe, expect, test } from 'vitest';
import {
  type AssignedStay,
  assignmentProblems,
  type RoomAssignment,
  roomNightsOf,
  trimAssignments,
} from '../src/rooms/room-assignment.js';
import { room } from './fixtures.js';

const rooms = new Map(
  [
    room('101'),
    room('102'),
    room('105'),
    room('201', 'suite'),
    room('103', 'std', { active: false }),
    room('104', 'std', { housekeeping: 'out-of-service' }),
  ].map((r) => [r.id, r]),
);

/** Two std rooms and a suite, May 1 to May 4. */
const stay: AssignedStay = {
  id: 'r1',
  status: 'confirmed',
  checkIn: '2026-05-01',
  checkOut: '2026-05-04',
  lines: [
    { roomTypeId: 'std', rooms: 2 },
    { roomTypeId: 'suite', rooms: 1 },
  ],
};

const at = (lineIndex: number, roomId: string, from = '2026-05-01', to = '2026-05-04') => ({
  lineIndex,
  roomId,
  roomTypeId: rooms.get(roomId)?.roomTypeId ?? 'std',
  from,
  to,
});

describe('assignmentProblems', () => {
  test('rooms of the line type for its nights, a move mid-stay as two assignments: no problem', () => {
    const assignments: RoomAssignment[] = [
      at(0, '101'),
      at(0, '102', '2026-05-01', '2026-05-02'),
      at(0, '105', '2026-05-02', '2026-05-04'),
      at(1, '201'),
    ];
    expect(assignmentProblems(stay, assignments, { rooms })).toEqual([]);
  });

  test('each broken rule is named', () => {
    const problems = assignmentProblems(
      stay,
      [
        at(5, '101'),
        at(0, '101', '2026-04-30', '2026-05-02'),
        at(0, 'nope'),
        at(0, '103'),
        at(0, '104'),
        at(0, '201'),
        at(1, '101'),
      ],
      { rooms },
    );
    expect(problems).toEqual([
      { kind: 'no-line', lineIndex: 5 },
      { kind: 'outside-stay', lineIndex: 0, from: '2026-04-30', to: '2026-05-02' },
      { kind: 'unknown-room', roomId: 'nope' },
      { kind: 'not-assignable', roomId: '103' },
      { kind: 'not-assignable', roomId: '104' },
      { kind: 'wrong-room-type', roomId: '201', roomTypeId: 'suite', lineRoomTypeId: 'std' },
      // 103 and 104 already fill the line's two rooms on every night: 201 is a third.
      { kind: 'too-many-rooms', lineIndex: 0, date: '2026-05-01', rooms: 2 },
      { kind: 'too-many-rooms', lineIndex: 0, date: '2026-05-02', rooms: 2 },
      { kind: 'too-many-rooms', lineIndex: 0, date: '2026-05-03', rooms: 2 },
      { kind: 'wrong-room-type', roomId: '101', roomTypeId: 'std', lineRoomTypeId: 'suite' },
    ]);
  });

  test('one room twice on a night, even for two lines, is refused; an allowed upgrade is not', () => {
    expect(assignmentProblems(stay, [at(0, '101'), at(0, '101', '2026-05-03')], { rooms })).toEqual(
      [{ kind: 'room-twice', roomId: '101', date: '2026-05-03' }],
    );
    const upgrades = new Map([['std', new Set(['suite'])]]);
    expect(assignmentProblems(stay, [at(0, '201')], { rooms, upgrades })).toEqual([]);
  });
});

describe('assignmentProblems at the edges of the stay', () => {
  test('an assignment of no nights, or running past the check-out, is outside the stay', () => {
    expect(assignmentProblems(stay, [at(0, '101', '2026-05-02', '2026-05-02')], { rooms })).toEqual(
      [{ kind: 'outside-stay', lineIndex: 0, from: '2026-05-02', to: '2026-05-02' }],
    );
    expect(assignmentProblems(stay, [at(0, '101', '2026-05-02', '2026-05-05')], { rooms })).toEqual(
      [{ kind: 'outside-stay', lineIndex: 0, from: '2026-05-02', to: '2026-05-05' }],
    );
  });
});

describe('roomNightsOf', () => {
  test('every night of every assignment while the stay holds its nights; none once released', () => {
    const assignments = [at(0, '101', '2026-05-01', '2026-05-03')];
    const nights = [
      { roomId: '101', date: '2026-05-01' },
      { roomId: '101', date: '2026-05-02' },
    ];
    for (const status of ['held', 'confirmed', 'checked-in', 'checked-out'] as const) {
      expect(roomNightsOf(status, assignments)).toEqual(nights);
    }
    for (const status of ['cancelled', 'expired', 'no-show'] as const) {
      expect(roomNightsOf(status, assignments)).toEqual([]);
    }
  });
});

describe('trimAssignments', () => {
  test('a shorter stay cuts the assignments to its nights and drops those left with none', () => {
    const shorter = { ...stay, checkOut: '2026-05-02' };
    const moved = at(0, '102', '2026-05-02', '2026-05-04');
    const { kept, cut, dropped } = trimAssignments(stay, shorter, [
      at(0, '101'),
      moved,
      at(1, '201'),
    ]);
    expect(kept).toEqual([
      at(0, '101', '2026-05-01', '2026-05-02'),
      at(1, '201', '2026-05-01', '2026-05-02'),
    ]);
    expect(cut).toEqual([at(0, '101'), at(1, '201')]);
    expect(dropped).toEqual([moved]);
  });

  test('a line that lost a room, changed type or is gone drops the assignments that no longer fit', () => {
    const fewer: AssignedStay = { ...stay, lines: [{ roomTypeId: 'std', rooms: 1 }] };
    const { kept, dropped } = trimAssignments(stay, fewer, [
      at(0, '101'),
      at(0, '102'),
      at(1, '201'),
    ]);
    expect(kept).toEqual([at(0, '101')]);
    expect(dropped).toEqual([at(0, '102'), at(1, '201')]);
    const suiteNow: AssignedStay = { ...stay, lines: [{ roomTypeId: 'suite', rooms: 2 }] };
    expect(trimAssignments(stay, suiteNow, [at(0, '101')]).dropped).toEqual([at(0, '101')]);
  });

  test('an upgrade holds while its line keeps the type it was given for', () => {
    const upgraded = at(0, '201');
    const later = { ...stay, checkOut: '2026-05-03' };
    expect(trimAssignments(stay, later, [upgraded]).kept).toEqual([
      at(0, '201', '2026-05-01', '2026-05-03'),
    ]);
    const otherType: AssignedStay = { ...stay, lines: [{ roomTypeId: 'family', rooms: 2 }] };
    expect(trimAssignments(stay, otherType, [upgraded]).dropped).toEqual([upgraded]);
  });

  test('a later arrival cuts the start (a cut too); a line that became the assignment’s own type keeps it', () => {
    const later = { ...stay, checkIn: '2026-05-02' };
    const { kept, cut } = trimAssignments(stay, later, [at(0, '101')]);
    expect(kept).toEqual([at(0, '101', '2026-05-02', '2026-05-04')]);
    expect(cut).toEqual([at(0, '101')]);
    // The suite line given a std room (another type), now a std line: the room fits it.
    const stdNow: AssignedStay = {
      ...stay,
      lines: [stay.lines[0] as AssignedStay['lines'][number], { roomTypeId: 'std', rooms: 1 }],
    };
    const given = { ...at(1, '105'), roomTypeId: 'std' };
    expect(trimAssignments(stay, stdNow, [given]).kept).toEqual([given]);
    // A line the stay did not have before, given a room of another type: dropped.
    const added: AssignedStay = {
      ...stay,
      lines: [...stay.lines, { roomTypeId: 'std', rooms: 1 }],
    };
    const other = { ...at(2, '201'), roomTypeId: 'suite' };
    expect(trimAssignments(stay, added, [other]).dropped).toEqual([other]);
  });

  test('a line keeps no more rooms on a night than it books, counting every assignment before', () => {
    const two: AssignedStay = { ...stay, lines: [{ roomTypeId: 'std', rooms: 2 }] };
    const third = at(0, '105');
    const { kept, dropped } = trimAssignments(stay, two, [at(0, '101'), at(0, '102'), third]);
    expect(kept).toEqual([at(0, '101'), at(0, '102')]);
    expect(dropped).toEqual([third]);
    // One room booked: an assignment sharing one of its nights with the first is dropped.
    const one: AssignedStay = { ...stay, lines: [{ roomTypeId: 'std', rooms: 1 }] };
    const overlapping = at(0, '102', '2026-05-01', '2026-05-03');
    expect(
      trimAssignments(stay, one, [at(0, '101', '2026-05-02', '2026-05-04'), overlapping]).dropped,
    ).toEqual([overlapping]);
  });
});
