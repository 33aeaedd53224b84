import { describe, expect, test } from 'vitest';
import {
  departedRooms,
  inNightRanges,
  nightsMadeUnusable,
  roomClaimRefusal,
  roomNightChanges,
  roomUsableFor,
} from '../src/port/room-nights.js';
import { transition } from '../src/reservation/reservation-decisions.js';
import type { RoomAssignment } from '../src/rooms/room-assignment.js';
import { decideRooms } from '../src/rooms/room-decisions.js';
import { line, reservation, room } from './fixtures.js';

const AT = '2026-04-02T10:00:00.000Z';
const a = (roomId: string, from = '2026-05-01', to = '2026-05-03', roomTypeId = 'std') =>
  ({ lineIndex: 0, roomId, roomTypeId, from, to }) satisfies RoomAssignment;

describe('roomNightChanges', () => {
  test('a new assignment claims each of its nights with its room type; nothing is released', () => {
    const before = reservation({ status: 'confirmed' });
    const after = { ...before, rooms: [a('101')] };
    expect(roomNightChanges(before, after)).toEqual({
      released: [],
      claimed: [
        { roomId: '101', date: '2026-05-01', roomTypeId: 'std' },
        { roomId: '101', date: '2026-05-02', roomTypeId: 'std' },
      ],
    });
    expect(roomNightChanges(null, after).claimed).toHaveLength(2);
  });

  test('a move releases the old room-nights and claims only the new; kept nights are neither', () => {
    const before = reservation({ status: 'confirmed', rooms: [a('101')] });
    const after = {
      ...before,
      rooms: [a('101', '2026-05-01', '2026-05-02'), a('102', '2026-05-02')],
    };
    expect(roomNightChanges(before, after)).toEqual({
      released: [{ roomId: '101', date: '2026-05-02' }],
      claimed: [{ roomId: '102', date: '2026-05-02', roomTypeId: 'std' }],
    });
  });

  test('a cancellation releases every room-night; a reservation without rooms changes nothing', () => {
    const before = reservation({ status: 'confirmed', rooms: [a('101')] });
    const after = { ...before, status: 'cancelled' as const };
    expect(roomNightChanges(before, after)).toEqual({
      released: [
        { roomId: '101', date: '2026-05-01' },
        { roomId: '101', date: '2026-05-02' },
      ],
      claimed: [],
    });
    const plain = reservation({ status: 'confirmed' });
    expect(roomNightChanges(plain, { ...plain, rooms: [] })).toEqual({ released: [], claimed: [] });
    const roomless = reservation({ status: 'confirmed' });
    delete roomless.rooms;
    expect(roomNightChanges(null, roomless)).toEqual({ released: [], claimed: [] });
  });
});

describe('roomClaimRefusal', () => {
  const claim = (roomId: string, date: string, roomTypeId = 'std') => ({
    roomId,
    date,
    roomTypeId,
  });
  const rooms = new Map([
    ['101', room('101')],
    ['102', room('102')],
    ['103', room('103', 'std', { active: false })],
  ]);
  const lookup = (held: Record<string, string>) => ({
    room: (roomId: string) => rooms.get(roomId),
    holder: (roomId: string, date: string) => held[`${roomId}/${date}`],
  });

  test('free, usable room-nights (or ones the reservation itself holds) are no refusal', () => {
    const claimed = [claim('101', '2026-05-01'), claim('101', '2026-05-02')];
    expect(roomClaimRefusal(claimed, 'res-1', lookup({}))).toBeNull();
    expect(roomClaimRefusal(claimed, 'res-1', lookup({ '101/2026-05-01': 'res-1' }))).toBeNull();
    expect(roomClaimRefusal([], 'res-1', lookup({}))).toBeNull();
  });

  test('an unusable room wins over a taken one, the first by room id whatever the order given', () => {
    const claimed = [
      claim('103', '2026-05-01'),
      claim('101', '2026-05-01'),
      claim('102', '2026-05-01', 'suite'),
    ];
    const held = lookup({ '101/2026-05-01': 'res-9' });
    expect(roomClaimRefusal(claimed, 'res-1', held)).toEqual({
      kind: 'room-unusable',
      roomId: '102',
    });
    expect(roomClaimRefusal([claim('404', '2026-05-01')], 'res-1', held)).toEqual({
      kind: 'room-unusable',
      roomId: '404',
    });
  });

  test('taken: the first room by id, the holder of its earliest night, and only that holder’s nights', () => {
    const claimed = [
      claim('102', '2026-05-03'),
      claim('102', '2026-05-01'),
      claim('102', '2026-05-02'),
      claim('101', '2026-05-04'),
    ];
    const held = lookup({
      '102/2026-05-01': 'res-7',
      '102/2026-05-02': 'res-8',
      '102/2026-05-03': 'res-7',
    });
    expect(roomClaimRefusal(claimed, 'res-1', held)).toEqual({
      kind: 'room-taken',
      roomId: '102',
      nights: ['2026-05-01', '2026-05-03'],
      holderId: 'res-7',
    });
    // The holder's nights in other rooms are not this room's.
    const both = lookup({ '101/2026-05-04': 'res-5', '102/2026-05-01': 'res-5' });
    expect(roomClaimRefusal(claimed, 'res-1', both)).toEqual({
      kind: 'room-taken',
      roomId: '101',
      nights: ['2026-05-04'],
      holderId: 'res-5',
    });
  });
});

const NIGHT = '2026-05-01';

describe('roomUsableFor and nightsMadeUnusable', () => {
  test('usable: the room exists, is active, in service, of the type named and not out of order that night', () => {
    expect(roomUsableFor(room('101'), 'std', NIGHT)).toBe(true);
    expect(roomUsableFor(undefined, 'std', NIGHT)).toBe(false);
    expect(roomUsableFor(room('101', 'suite'), 'std', NIGHT)).toBe(false);
    expect(roomUsableFor(room('101', 'std', { active: false }), 'std', NIGHT)).toBe(false);
    const spell = { from: '2026-05-01', to: '2026-05-03', reason: 'leak' };
    const broken = room('101', 'std', { outOfOrder: [spell] });
    expect(roomUsableFor(broken, 'std', '2026-04-30')).toBe(true);
    expect(roomUsableFor(broken, 'std', '2026-05-01')).toBe(false);
    expect(roomUsableFor(broken, 'std', '2026-05-02')).toBe(false);
    expect(roomUsableFor(broken, 'std', '2026-05-03')).toBe(true);
    const outOfService = room('101', 'std', { housekeeping: 'out-of-service' });
    expect(roomUsableFor(outOfService, 'std', NIGHT)).toBe(false);
    expect(roomUsableFor(room('101', 'std', { housekeeping: 'dirty' }), 'std', NIGHT)).toBe(true);
  });

  test('a new type or leaving use makes every night from today unusable; a new spell its own nights; a number, features or cleaning none', () => {
    const stored = room('101');
    const forever = [{ from: NIGHT, to: null }];
    expect(nightsMadeUnusable(stored, room('101', 'suite'), NIGHT)).toEqual(forever);
    expect(nightsMadeUnusable(stored, room('101', 'std', { active: false }), NIGHT)).toEqual(
      forever,
    );
    const outOfService = room('101', 'std', { housekeeping: 'out-of-service' });
    expect(nightsMadeUnusable(stored, outOfService, NIGHT)).toEqual(forever);
    expect(nightsMadeUnusable(stored, room('101', 'std', { number: '101A' }), NIGHT)).toEqual([]);
    const dirty = room('101', 'std', { housekeeping: 'dirty' });
    expect(nightsMadeUnusable(stored, dirty, NIGHT)).toEqual([]);
    // Already out of use: taking it out again breaks nothing.
    const retired = room('101', 'std', { active: false });
    expect(nightsMadeUnusable(retired, room('101', 'std', { active: false }), NIGHT)).toEqual([]);
    // Spells: only the new one counts; a kept one was checked when it was made.
    const old = { from: '2026-05-01', to: '2026-05-02', reason: 'paint' };
    const added = { from: '2026-05-05', to: '2026-05-07', reason: 'leak' };
    const withOld = room('101', 'std', { outOfOrder: [old] });
    const withBoth = room('101', 'std', { outOfOrder: [old, added] });
    expect(nightsMadeUnusable(withOld, withBoth, NIGHT)).toEqual([
      { from: '2026-05-05', to: '2026-05-07' },
    ]);
    expect(nightsMadeUnusable(withBoth, withOld, NIGHT)).toEqual([]);
  });

  test('inNightRanges: half-open ranges, an open end running on', () => {
    const ranges = [
      { from: '2026-05-05', to: '2026-05-07' },
      { from: '2026-06-01', to: null },
    ];
    expect(inNightRanges(ranges, '2026-05-04')).toBe(false);
    expect(inNightRanges(ranges, '2026-05-05')).toBe(true);
    expect(inNightRanges(ranges, '2026-05-06')).toBe(true);
    expect(inNightRanges(ranges, '2026-05-07')).toBe(false);
    expect(inNightRanges(ranges, '2099-01-01')).toBe(true);
    expect(inNightRanges([], '2026-05-05')).toBe(false);
  });
});

describe('departedRooms', () => {
  test('a check-out hands the rooms of the last night to housekeeping, each once, sorted', () => {
    const inHouse = reservation({
      status: 'checked-in',
      checkOut: '2026-05-03',
      rooms: [a('102', '2026-05-02'), a('103', '2026-05-01', '2026-05-02'), a('101', '2026-05-02')],
    });
    const gone = { ...inHouse, status: 'checked-out' as const };
    expect(departedRooms(inHouse, gone)).toEqual(['101', '102']);
    expect(departedRooms(gone, gone)).toEqual([]);
    expect(departedRooms(inHouse, { ...inHouse, status: 'checked-in' as const })).toEqual([]);
    const confirmed = { ...inHouse, status: 'confirmed' as const };
    expect(departedRooms(confirmed, gone)).toEqual([]);
    // A room left mid-stay is not the departure's; a stay without rooms has none.
    const moved = {
      ...inHouse,
      rooms: [a('104', '2026-05-01', '2026-05-02'), a('105', '2026-05-02')],
    };
    expect(departedRooms(moved, { ...moved, status: 'checked-out' as const })).toEqual(['105']);
    const roomless = reservation({ status: 'checked-in' });
    delete roomless.rooms;
    expect(departedRooms(roomless, { ...roomless, status: 'checked-out' as const })).toEqual([]);
  });
});

describe('decideRooms', () => {
  test('applies the planned rooms to the version planned on, with a rooms-changed entry', () => {
    const current = reservation({ status: 'confirmed' });
    const decision = decideRooms(current, AT, 1, [a('101')], 'room 101 assigned');
    expect(decision.kind).toBe('apply');
    if (decision.kind !== 'apply') return;
    expect(decision.action).toBe('rooms-changed');
    expect(decision.deltas).toEqual([]);
    expect(decision.next.rooms).toEqual([a('101')]);
    expect(decision.next.version).toBe(2);
    expect(decision.next.history.at(-1)).toEqual({
      at: AT,
      action: 'rooms-changed',
      status: 'confirmed',
      reason: 'room 101 assigned',
    });
  });

  test('another version is a conflict; a released stay invalid-state; the same rooms unchanged', () => {
    const current = reservation({ status: 'confirmed', version: 3, rooms: [a('101'), a('102')] });
    expect(decideRooms(current, AT, 2, [], 'x').kind).toBe('conflict');
    for (const status of ['cancelled', 'expired', 'no-show', 'checked-out'] as const) {
      expect(decideRooms({ ...current, status }, AT, 3, [], 'x').kind).toBe('invalid-state');
    }
    for (const status of ['held', 'confirmed', 'checked-in'] as const) {
      expect(decideRooms({ ...current, status }, AT, 3, [], 'x').kind).toBe('apply');
    }
    // The same assignments in another order change nothing.
    expect(decideRooms(current, AT, 3, [a('102'), a('101')], 'x').kind).toBe('unchanged');
    // One field different is a change.
    expect(decideRooms(current, AT, 3, [a('101'), a('102', '2026-05-02')], 'x').kind).toBe('apply');
    expect(
      decideRooms(current, AT, 3, [a('101'), a('102', undefined, undefined, 'x')], 'x').kind,
    ).toBe('apply');
    expect(decideRooms(current, AT, 3, [a('101')], 'x').kind).toBe('apply');
    const stored = [a('101')];
    const decision = decideRooms({ ...current, rooms: [] }, AT, 3, stored, 'x');
    if (decision.kind === 'apply') expect(decision.next.rooms?.[0]).not.toBe(stored[0]);
    // Stored in another order than planned, and none stored at all: still unchanged.
    const reversed = { ...current, rooms: [a('102'), a('101')] };
    expect(decideRooms(reversed, AT, 3, [a('101'), a('102')], 'x').kind).toBe('unchanged');
    const none = reservation({ status: 'confirmed', version: 3 });
    delete none.rooms;
    expect(decideRooms(none, AT, 3, [], 'x').kind).toBe('unchanged');
  });
});

describe('transition keeps only the rooms that fit a changed stay', () => {
  test('a shorter stay cuts them; a patch of rooms, or an unchanged stay, leaves them as given', () => {
    const current = reservation({ status: 'confirmed', rooms: [a('101')] });
    const shorter = transition(current, AT, 'modified', {
      checkOut: '2026-05-02',
      lines: [line('std', '2026-05-01', '2026-05-02')],
    });
    expect(shorter.rooms).toEqual([a('101', '2026-05-01', '2026-05-02')]);
    // What a changed stay cut or dropped is in its history entry, old and new.
    expect(shorter.history.at(-1)?.changes).toEqual([
      {
        field: 'rooms',
        from: JSON.stringify([a('101')]),
        to: JSON.stringify([a('101', '2026-05-01', '2026-05-02')]),
      },
    ]);
    const longer = transition(current, AT, 'modified', { checkOut: '2026-05-04' });
    expect(longer.rooms).toEqual(current.rooms);
    expect(longer.history.at(-1)?.changes).toBeUndefined();
    const later = transition(current, AT, 'modified', { checkIn: '2026-05-02' });
    expect(later.rooms).toEqual([a('101', '2026-05-02', '2026-05-03')]);
    const patched = transition(current, AT, 'rooms-changed', { rooms: [] });
    expect(patched.rooms).toEqual([]);
    expect(transition(current, AT, 'payment', {}).rooms).toBe(current.rooms);
    expect(
      transition(reservation({ status: 'confirmed' }), AT, 'modified', { checkOut: '2026-05-02' })
        .rooms,
    ).toBeUndefined();
  });
});
