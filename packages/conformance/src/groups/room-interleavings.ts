import assert from 'node:assert/strict';
import {
  type Innkeeper,
  type InnkeeperStore,
  isInnkeeperError,
  type Reservation,
  roomNightsOf,
} from '@innkeeper/core';
import fc from 'fast-check';
import { bookingRequest, createFixture, day, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { scheduleStoreCalls } from '../model/scheduled-store.js';
import { createSuiteEngine } from '../suite-engine.js';

/** Rooms of the fixture's types: three `std`, one `suite`. */
const ROOMS = [
  { id: 'r101', number: '101', roomTypeId: 'std' },
  { id: 'r102', number: '102', roomTypeId: 'std' },
  { id: 'r103', number: '103', roomTypeId: 'std' },
  { id: 'r501', number: '501', roomTypeId: 'suite' },
] as const;
const ROOM_IDS = ROOMS.map((r) => r.id);

/** A stay booked before the concurrent phase: nights `[from, to)` from TODAY, `rooms` std rooms. */
interface RoomSeed {
  from: number;
  nights: number;
  rooms: number;
}

type RoomCommand =
  | { kind: 'assign'; stay: number; room: number; from: number; nights: number; other: boolean }
  | { kind: 'unassign'; stay: number; room: number; from: number }
  | { kind: 'move'; stay: number; room: number; to: number; from: number }
  | { kind: 'assign-rooms'; date: number }
  | { kind: 'check-in'; stay: number }
  | { kind: 'cancel'; stay: number }
  | { kind: 'modify'; stay: number; from: number; nights: number; rooms: number }
  | { kind: 'update-room'; room: number; change: RoomChange };

/** What the front office does to a room while stays are being given rooms. */
type RoomChange =
  | 'deactivate'
  | 'reactivate'
  | 'retype'
  | 'out-of-service'
  | 'clean'
  | 'out-of-order'
  | 'back-in-service';
const ROOM_CHANGES: readonly RoomChange[] = [
  'deactivate',
  'reactivate',
  'retype',
  'out-of-service',
  'clean',
  'out-of-order',
  'back-in-service',
];

const seedArb = fc.array(
  fc.record({
    from: fc.integer({ min: 0, max: 2 }),
    nights: fc.integer({ min: 1, max: 3 }),
    rooms: fc.integer({ min: 1, max: 2 }),
  }),
  { minLength: 2, maxLength: 5 },
);

function commandArb(stays: number): fc.Arbitrary<RoomCommand> {
  const stay = fc.nat(stays - 1);
  const room = fc.nat(ROOMS.length - 1);
  const night = fc.integer({ min: 0, max: 4 });
  return fc.oneof(
    fc.record({
      kind: fc.constant('assign' as const),
      stay,
      room,
      from: night,
      nights: fc.integer({ min: 1, max: 3 }),
      other: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('unassign' as const), stay, room, from: night }),
    fc.record({ kind: fc.constant('move' as const), stay, room, to: room, from: night }),
    fc.record({ kind: fc.constant('assign-rooms' as const), date: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('check-in' as const), stay }),
    fc.record({ kind: fc.constant('cancel' as const), stay }),
    fc.record({
      kind: fc.constant('modify' as const),
      stay,
      from: fc.integer({ min: 0, max: 2 }),
      nights: fc.integer({ min: 1, max: 3 }),
      rooms: fc.integer({ min: 1, max: 2 }),
    }),
    fc.record({
      kind: fc.constant('update-room' as const),
      room,
      change: fc.constantFrom(...ROOM_CHANGES),
    }),
  );
}

/**
 * Rooms under concurrency: stays booked, then assignRoom / unassignRoom / moveRoom /
 * assignRooms / checkIn / cancel / modify / updateRoom (deactivate, retype, out of
 * service) / takeRoomOutOfOrder / returnRoomToService calls all at once, every port call ordered by
 * `fc.scheduler()`. Every call either succeeds or fails with a typed error the rules allow
 * (CONFLICT, VALIDATION, INVALID_STATE, SOLD_OUT, NOT_FOUND); afterwards, on what the store
 * persisted:
 *
 * - no room-night is held by two reservations (derived from the reservations themselves);
 * - the store's room-night index is exactly the nights the reservations claim;
 * - every reservation's assignments are within its stay, never more rooms on a night than
 *   its line books, only on rooms that exist; a released reservation claims nothing;
 * - a room holding nights is active, in service, of the type its assignment names and
 *   not out of order on them (and the audit, below, covers the totals a spell lowered);
 * - the calendar audit is clean (counts within `total + overbookingLimit`).
 */
export async function checkRoomInterleavings(
  createStore: () => InnkeeperStore | Promise<InnkeeperStore>,
  runs: number,
  parameters: Omit<fc.Parameters<[[fc.Scheduler, RoomSeed[], RoomCommand[]]]>, 'numRuns'> = {},
): Promise<void> {
  const args = seedArb.chain((seeds) =>
    fc.tuple(
      fc.scheduler(),
      fc.constant(seeds),
      fc.array(commandArb(seeds.length), { minLength: 1, maxLength: 10 }),
    ),
  );
  await fc.assert(
    fc.asyncProperty(args, async ([s, seeds, commands]) => {
      const store = await createStore();
      try {
        const problems = await runRooms(store, s, seeds, commands);
        if (problems.length > 0) assert.fail(`after the run:\n${problems.join('\n')}`);
      } finally {
        await store.close();
      }
    }),
    { includeErrorInReport: true, ...parameters, numRuns: runs },
  );
}

/** Errors a room call may end with under concurrency: the rules refusing, never a failure. */
const EXPECTED = ['CONFLICT', 'VALIDATION', 'INVALID_STATE', 'SOLD_OUT', 'NOT_FOUND', 'RESTRICTED'];

async function runRooms(
  store: InnkeeperStore,
  s: fc.Scheduler,
  seeds: RoomSeed[],
  commands: RoomCommand[],
): Promise<string[]> {
  const { inn: setup, clock } = await createFixture(store);
  for (const room of ROOMS) await setup.createRoom({ hotelId: HOTEL_ID, ...room });
  const stays: Reservation[] = [];
  for (const seed of seeds) {
    const request = bookingRequest({
      checkIn: day(seed.from),
      checkOut: day(seed.from + seed.nights),
      lines: [{ roomTypeId: 'std', rooms: seed.rooms, adults: 1 }],
    });
    stays.push(await setup.book(request));
  }
  let next = 0;
  const inn = createSuiteEngine({
    store: scheduleStoreCalls(store, s),
    clock,
    generateId: () => `c${++next}`,
  });
  const problems: string[] = [];
  const calls = commands.map(async (command) => {
    try {
      await run(inn, stays, command);
    } catch (error) {
      if (!isInnkeeperError(error) || !EXPECTED.includes(error.code)) {
        problems.push(`${JSON.stringify(command)} failed: ${String(error)}`);
      }
    }
  });
  await s.waitFor(Promise.all(calls));
  problems.push(...(await roomProblems(store)));
  return problems;
}

function run(inn: Innkeeper, stays: Reservation[], c: RoomCommand): Promise<unknown> {
  const reservationId = stays['stay' in c ? c.stay : 0]?.id ?? 'none';
  const roomId = (i: number) => ROOM_IDS[i] ?? 'none';
  switch (c.kind) {
    case 'assign':
      return inn.assignRoom({
        reservationId,
        roomId: roomId(c.room),
        from: day(c.from),
        to: day(c.from + c.nights),
        allowOtherType: c.other,
      });
    case 'unassign':
      return inn.unassignRoom({ reservationId, roomId: roomId(c.room), from: day(c.from) });
    case 'move':
      return inn.moveRoom({
        reservationId,
        fromRoomId: roomId(c.room),
        toRoomId: roomId(c.to),
        from: day(c.from),
        allowOtherType: true,
      });
    case 'assign-rooms':
      return inn.assignRooms({ hotelId: HOTEL_ID, date: day(c.date) });
    case 'check-in':
      return inn.checkIn({ reservationId });
    case 'cancel':
      return inn.cancel({ reservationId });
    case 'modify':
      return inn.modify({
        reservationId,
        checkIn: day(c.from),
        checkOut: day(c.from + c.nights),
        lines: [{ roomTypeId: 'std', rooms: c.rooms, adults: 1 }],
      });
    case 'update-room': {
      const id = roomId(c.room);
      if (c.change === 'out-of-order') {
        const spell = { from: day(1), to: day(3), reason: 'maintenance' };
        return inn.takeRoomOutOfOrder({ hotelId: HOTEL_ID, roomId: id, ...spell });
      }
      if (c.change === 'back-in-service') {
        return inn.returnRoomToService({ hotelId: HOTEL_ID, roomId: id, from: day(2) });
      }
      const room = ROOMS.find((r) => r.id === id);
      const change = {
        deactivate: { active: false },
        reactivate: { active: true },
        retype: { roomTypeId: room?.roomTypeId === 'std' ? 'suite' : 'std' },
        'out-of-service': { housekeeping: 'out-of-service' as const },
        clean: { housekeeping: 'clean' as const },
      }[c.change];
      return inn.updateRoom({ hotelId: HOTEL_ID, id, ...change });
    }
  }
}

/** The room invariants on what the store persisted. */
export async function roomProblems(store: InnkeeperStore): Promise<string[]> {
  const problems: string[] = [];
  const reservations = await store.listReservations({
    filter: { by: 'hotel', hotelId: HOTEL_ID },
    limit: 10_000,
  });
  const rooms = new Map((await store.listRooms(HOTEL_ID)).map((room) => [room.id, room]));
  const holder = new Map<string, string>();
  for (const r of reservations) {
    for (const { roomId, date } of roomNightsOf(r.status, r.rooms ?? [])) {
      const key = `${roomId}@${date}`;
      const other = holder.get(key);
      if (other !== undefined) problems.push(`${key} held by ${other} and ${r.id}`);
      holder.set(key, r.id);
    }
    const perNight = new Map<string, number>();
    for (const a of r.rooms ?? []) {
      if (!rooms.has(a.roomId)) {
        problems.push(`${r.id}: unknown room ${a.roomId}`);
      }
      const line = r.lines[a.lineIndex];
      if (!line) problems.push(`${r.id}: an assignment of line ${a.lineIndex}, which it has not`);
      if (a.from < r.checkIn || a.to > r.checkOut || a.from >= a.to) {
        problems.push(
          `${r.id}: ${a.roomId} ${a.from}..${a.to} outside ${r.checkIn}..${r.checkOut}`,
        );
      }
      for (const { date } of roomNightsOf('confirmed', [a])) {
        const key = `${a.lineIndex}@${date}`;
        const count = (perNight.get(key) ?? 0) + 1;
        perNight.set(key, count);
        if (line && count > line.rooms) {
          problems.push(`${r.id}: line ${a.lineIndex} has ${count} rooms on ${date}`);
        }
      }
    }
  }
  // A room holding nights from today on is still usable for what it was given for.
  for (const r of reservations) {
    const claimed = new Set(roomNightsOf(r.status, r.rooms ?? []).map((n) => n.roomId));
    for (const a of (r.rooms ?? []).filter((x) => claimed.has(x.roomId) && x.to > TODAY)) {
      const room = rooms.get(a.roomId);
      if (!room?.active || room.housekeeping === 'out-of-service') {
        problems.push(`${r.id}: holds ${a.roomId}, which is out of use`);
      } else if (room.roomTypeId !== a.roomTypeId) {
        problems.push(
          `${r.id}: holds ${a.roomId} as a ${a.roomTypeId}, it is a ${room.roomTypeId}`,
        );
      }
    }
  }
  const indexed = await store.listRoomNights({ hotelId: HOTEL_ID, from: TODAY, to: day(30) });
  const index = new Map(indexed.map((n) => [`${n.roomId}@${n.date}`, n.reservationId]));
  if (index.size !== indexed.length) problems.push('the index lists a room-night twice');
  for (const [key, id] of holder) {
    if (index.get(key) !== id) problems.push(`${key}: held by ${id}, indexed as ${index.get(key)}`);
  }
  for (const [key, id] of index) {
    if (holder.get(key) !== id) problems.push(`${key}: indexed for ${id}, which does not hold it`);
  }
  const audit = await store.audit({ hotelId: HOTEL_ID });
  if (!audit.ok) problems.push(`audit: ${JSON.stringify(audit.findings)}`);
  return problems;
}

export const roomInterleavingsGroup: ConformanceGroup = (api, options) => {
  api.test(
    `concurrent assignRoom/unassignRoom/moveRoom/assignRooms/checkIn/cancel/modify/updateRoom interleaved by fc.scheduler() never give a room-night twice and keep the index, the assignments and the counts consistent (${options.propertyRuns} runs)`,
    () =>
      checkRoomInterleavings(
        options.createStore,
        options.propertyRuns,
        options.propertySeed === undefined ? {} : { seed: options.propertySeed },
      ),
    options.slowTimeoutMs,
  );
};
