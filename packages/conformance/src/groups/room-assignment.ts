import assert from 'node:assert/strict';
import type { Reservation } from '@innkeeper/core';
import { decideRooms } from '@innkeeper/core/store';
import { rejectsWithCode } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { addRooms, holders, stay } from '../room-fixture.js';

/**
 * Giving rooms to stays. The invariant every store keeps atomically: on every night a room
 * is held by at most one reservation, and only while that reservation holds its nights.
 */
export const roomAssignmentGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test("assignRoom(): the room is the stay's on each of its nights, shown by the room calendar and gone from the free rooms; another stay on those nights is refused with the room, the nights and the holder", async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102']);
    const first = await stay(inn, day(1), day(4));
    const assigned = await inn.assignRoom({ reservationId: first.id, roomId: 'r101' });
    assert.deepEqual(assigned.rooms, [
      { lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: day(1), to: day(4) },
    ]);
    assert.equal(assigned.history.at(-1)?.action, 'rooms-changed');
    assert.deepEqual(await holders(inn, 'r101', day(0), day(5)), [
      null,
      first.id,
      first.id,
      first.id,
      null,
    ]);
    const free = await inn.listFreeRooms({ hotelId: HOTEL_ID, from: day(2), to: day(3) });
    assert.deepEqual(
      free.map((r) => r.id),
      ['r102'],
    );
    const second = await stay(inn, day(3), day(6));
    const error = await rejectsWithCode(
      inn.assignRoom({ reservationId: second.id, roomId: 'r101' }),
      'CONFLICT',
    );
    assert.deepEqual(error.details, {
      entity: 'room',
      id: 'r101',
      reason: 'room taken',
      dates: [day(3)],
      heldBy: first.id,
    });
    // Nothing was written: the second stay has no room, the calendar is as it was.
    assert.equal((await inn.getReservation(second.id)).rooms, undefined);
    // The departure day is the next guest's: a stay from day 4 takes the room.
    const next = await stay(inn, day(4), day(6));
    const given = await inn.assignRoom({ reservationId: next.id, roomId: 'r101' });
    // Assigning what is already assigned is unchanged (no new version).
    const again = await inn.assignRoom({ reservationId: next.id, roomId: 'r101' });
    assert.equal(again.version, given.version);
    assert.deepEqual(again.rooms, given.rooms);
  });

  test('assignRoom() refuses what breaks the rules (VALIDATION, nothing written): another type unless allowOtherType, nights outside the stay, more rooms than the line books; an unknown room is NOT_FOUND, a cancelled stay INVALID_STATE', async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102']);
    await addRooms(inn, ['501'], 'suite');
    await addRooms(inn, ['103'], 'std');
    await inn.updateRoom({ hotelId: HOTEL_ID, id: 'r103', active: false });
    const r = await stay(inn, day(1), day(3));
    await rejectsWithCode(inn.assignRoom({ reservationId: r.id, roomId: 'r501' }), 'VALIDATION');
    await rejectsWithCode(inn.assignRoom({ reservationId: r.id, roomId: 'r103' }), 'VALIDATION');
    await rejectsWithCode(
      inn.assignRoom({ reservationId: r.id, roomId: 'r101', from: day(0), to: day(2) }),
      'VALIDATION',
    );
    await rejectsWithCode(
      inn.assignRoom({ reservationId: r.id, roomId: 'r101', from: day(2), to: day(1) }),
      'VALIDATION',
    );
    await rejectsWithCode(inn.assignRoom({ reservationId: r.id, roomId: 'r404' }), 'NOT_FOUND');
    await inn.assignRoom({ reservationId: r.id, roomId: 'r101' });
    await rejectsWithCode(
      inn.assignRoom({ reservationId: r.id, roomId: 'r102', lineIndex: 0 }),
      'VALIDATION',
    );
    assert.equal((await inn.getReservation(r.id)).rooms?.length, 1);
    // An upgrade, asked for: the suite for the standard line.
    const upgraded = await stay(inn, day(1), day(2));
    const given = await inn.assignRoom({
      reservationId: upgraded.id,
      roomId: 'r501',
      allowOtherType: true,
    });
    assert.equal(given.rooms?.[0]?.roomTypeId, 'suite');
    // An upgrade given once stays allowed: the stay's other room is assigned as usual.
    const pair = await stay(inn, day(4), day(5), 2);
    await inn.assignRoom({ reservationId: pair.id, roomId: 'r501', allowOtherType: true });
    const both = await inn.assignRoom({ reservationId: pair.id, roomId: 'r102' });
    assert.deepEqual(
      both.rooms?.map((a) => a.roomId),
      ['r501', 'r102'],
    );
    const cancelled = await stay(inn, day(5), day(6));
    await inn.cancel({ reservationId: cancelled.id });
    await rejectsWithCode(
      inn.assignRoom({ reservationId: cancelled.id, roomId: 'r102' }),
      'INVALID_STATE',
    );
  });

  test('a cancellation, an expired hold and a no-show free their rooms; the assignment stays on the reservation as a record', async ({
    inn,
    clock,
  }) => {
    await addRooms(inn, ['101', '102', '103']);
    const cancelled = await stay(inn, day(1), day(3));
    await inn.assignRoom({ reservationId: cancelled.id, roomId: 'r101' });
    const after = await inn.cancel({ reservationId: cancelled.id });
    assert.equal(after.rooms?.length, 1);
    assert.deepEqual(await holders(inn, 'r101', day(1), day(3)), [null, null]);

    const hold = await inn.hold({
      ...bookingRequest({ checkIn: day(1), checkOut: day(2) }),
      ttlSeconds: 60,
    });
    await inn.assignRoom({ reservationId: hold.id, roomId: 'r102' });
    clock.advance(61_000);
    await inn.expireHolds();
    assert.deepEqual(await holders(inn, 'r102', day(1), day(2)), [null]);

    const missed = await stay(inn, TODAY, day(1));
    await inn.assignRoom({ reservationId: missed.id, roomId: 'r103' });
    clock.advance(12 * 3600_000);
    await inn.markNoShow({ reservationId: missed.id });
    assert.deepEqual(await holders(inn, 'r103', TODAY, day(1)), [null]);
    // Each freed room can be given again.
    const next = await stay(inn, day(1), day(2));
    await inn.assignRoom({ reservationId: next.id, roomId: 'r101' });
  });

  test('modify() keeps the rooms that still fit (cut to the new nights) and drops the rest; an early departure frees the nights after it', async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102']);
    await addRooms(inn, ['501'], 'suite');
    const r = await stay(inn, day(1), day(5));
    await inn.assignRoom({ reservationId: r.id, roomId: 'r101' });
    const shorter = await inn.modify({ reservationId: r.id, checkOut: day(3) });
    assert.deepEqual(shorter.rooms, [
      { lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: day(1), to: day(3) },
    ]);
    // The change reports what it did to the rooms: old and new, in its history entry.
    const [roomsChange] = shorter.history.at(-1)?.changes ?? [];
    assert.equal(roomsChange?.field, 'rooms');
    assert.deepEqual(JSON.parse(roomsChange?.to ?? ''), shorter.rooms);
    assert.deepEqual(await holders(inn, 'r101', day(1), day(5)), [r.id, r.id, null, null]);
    const suite = await inn.modify({
      reservationId: r.id,
      lines: [{ roomTypeId: 'suite', rooms: 1, adults: 2 }],
    });
    assert.deepEqual(suite.rooms, []);
    assert.deepEqual(await holders(inn, 'r101', day(1), day(3)), [null, null]);

    const guest = await stay(inn, TODAY, day(3));
    await inn.assignRoom({ reservationId: guest.id, roomId: 'r102' });
    await inn.checkIn({ reservationId: guest.id });
    const gone = await inn.checkOut({ reservationId: guest.id });
    assert.equal(gone.checkOut, day(1));
    assert.deepEqual(await holders(inn, 'r102', TODAY, day(3)), [guest.id, null, null]);
  });

  test('moveRoom() moves a stay from a night on (the nights before stay in the old room); unassignRoom() frees a room from a night on', async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102']);
    const r = await stay(inn, TODAY, day(4));
    await inn.assignRoom({ reservationId: r.id, roomId: 'r101' });
    const moved = await inn.moveRoom({
      reservationId: r.id,
      fromRoomId: 'r101',
      toRoomId: 'r102',
      from: day(2),
    });
    assert.deepEqual(moved.rooms, [
      { lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: TODAY, to: day(2) },
      { lineIndex: 0, roomId: 'r102', roomTypeId: 'std', from: day(2), to: day(4) },
    ]);
    assert.deepEqual(await holders(inn, 'r101', TODAY, day(4)), [r.id, r.id, null, null]);
    assert.deepEqual(await holders(inn, 'r102', TODAY, day(4)), [null, null, r.id, r.id]);
    const freed = await inn.unassignRoom({ reservationId: r.id, roomId: 'r102', from: day(3) });
    assert.deepEqual(freed.rooms?.at(-1), {
      lineIndex: 0,
      roomId: 'r102',
      roomTypeId: 'std',
      from: day(2),
      to: day(3),
    });
    const none = await inn.unassignRoom({ reservationId: r.id, roomId: 'r101' });
    assert.equal(
      none.rooms?.some((a) => a.roomId === 'r101'),
      false,
    );
    await rejectsWithCode(inn.unassignRoom({ reservationId: r.id, roomId: 'r101' }), 'VALIDATION');
  });

  test('assignRooms(): every arrival of the date gets a room for its whole stay; with more stays than rooms the rest are reported to relocate, not failed', async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102', '103']);
    const long = await stay(inn, TODAY, day(3));
    const pair = await stay(inn, TODAY, day(1), 2);
    const later = await stay(inn, day(1), day(2));
    const run = await inn.assignRooms({ hotelId: HOTEL_ID });
    assert.deepEqual(run.assigned.map((r) => r.id).sort(), [long.id, pair.id].sort());
    const rooms = (r: Reservation) => (r.rooms ?? []).map((a) => a.roomId).sort();
    const longAfter = await inn.getReservation(long.id);
    assert.equal(longAfter.rooms?.length, 1);
    assert.equal(rooms(await inn.getReservation(pair.id)).length, 2);
    assert.deepEqual(run.relocations, []);
    assert.equal((await inn.getReservation(later.id)).rooms, undefined);
    // Running it again gives nothing new.
    assert.deepEqual((await inn.assignRooms({ hotelId: HOTEL_ID })).assigned, []);

    // Day 1: the long stay keeps its room; two rooms left for three one-night stays.
    const extra = [await stay(inn, day(1), day(2)), await stay(inn, day(1), day(2))];
    const next = await inn.assignRooms({ hotelId: HOTEL_ID, date: day(1) });
    assert.equal(next.assigned.length, 2);
    assert.equal(next.relocations.length, 1);
    const walked = next.relocations[0];
    assert.ok(walked && [later.id, ...extra.map((r) => r.id)].includes(walked.reservationId));
    assert.deepEqual(walked?.nights, [day(1)]);
  });

  test('checkIn() at a hotel that uses rooms gives the stay a room first, or refuses (CONFLICT, nothing written) when none of its type is free; checkOut() leaves the room dirty', async ({
    inn,
    clock,
  }) => {
    await addRooms(inn, ['101']);
    const first = await stay(inn, TODAY, day(2));
    const arrived = await inn.checkIn({ reservationId: first.id });
    assert.equal(arrived.status, 'checked-in');
    assert.deepEqual(arrived.rooms, [
      { lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: TODAY, to: day(2) },
    ]);
    const second = await stay(inn, TODAY, day(1));
    const error = await rejectsWithCode(inn.checkIn({ reservationId: second.id }), 'CONFLICT');
    assert.equal(error.details.reason, 'no room free');
    const after = await inn.getReservation(second.id);
    assert.equal(after.status, 'confirmed');
    assert.equal(after.rooms, undefined);
    // A room assigned by hand is the one the guest gets.
    await addRooms(inn, ['102']);
    await inn.assignRoom({ reservationId: second.id, roomId: 'r102' });
    const inRoom = await inn.checkIn({ reservationId: second.id });
    assert.deepEqual(
      inRoom.rooms?.map((a) => a.roomId),
      ['r102'],
    );
    clock.advance(86_400_000);
    await inn.checkOut({ reservationId: second.id });
    const rooms = await inn.listRooms(HOTEL_ID);
    assert.deepEqual(
      rooms.map((r) => [r.id, r.housekeeping]),
      [
        ['r101', 'clean'],
        ['r102', 'dirty'],
      ],
    );
  });

  test('assignRooms() prefers the room features a reservation asked for (details.roomFeatures, set and cleared like any detail)', async ({
    inn,
  }) => {
    await addRooms(inn, ['101', '102']);
    await inn.createRoom({
      hotelId: HOTEL_ID,
      id: 'r103',
      number: '103',
      roomTypeId: 'std',
      features: ['sea-view'],
    });
    const plain = await stay(inn, TODAY, day(1));
    const wants = await stay(inn, TODAY, day(1));
    const asked = await inn.updateReservationDetails({
      reservationId: wants.id,
      roomFeatures: ['sea-view'],
    });
    assert.deepEqual(asked.details?.roomFeatures, ['sea-view']);
    assert.equal(asked.history.at(-1)?.changes?.[0]?.field, 'roomFeatures');
    await inn.assignRooms({ hotelId: HOTEL_ID });
    assert.deepEqual(
      (await inn.getReservation(wants.id)).rooms?.map((a) => a.roomId),
      ['r103'],
    );
    assert.notDeepEqual(
      (await inn.getReservation(plain.id)).rooms?.map((a) => a.roomId),
      ['r103'],
    );
    const cleared = await inn.updateReservationDetails({
      reservationId: wants.id,
      roomFeatures: null,
    });
    assert.equal(cleared.details?.roomFeatures, undefined);
  });

  test('changeReservation() with rooms another reservation holds answers room-taken and writes nothing; with a room taken out of use behind the engine, room-unusable', async ({
    inn,
    store,
  }) => {
    await addRooms(inn, ['101', '102']);
    const first = await stay(inn, day(1), day(3));
    await inn.assignRoom({ reservationId: first.id, roomId: 'r101' });
    const second = await stay(inn, day(2), day(4));
    const at = `${TODAY}T13:00:00.000Z`;
    const taking = [{ lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: day(2), to: day(4) }];
    const outcome = await store.changeReservation(second.id, (r) =>
      decideRooms(r, at, r.version, taking, 'by hand'),
    );
    assert.deepEqual(outcome, {
      kind: 'room-taken',
      roomId: 'r101',
      nights: [day(2)],
      holderId: first.id,
    });
    // Two holders on the nights asked: the first (earliest) one is named, with its nights.
    const later = await stay(inn, day(4), day(5));
    await inn.assignRoom({ reservationId: later.id, roomId: 'r101' });
    const wide = await stay(inn, day(1), day(6));
    const across = [{ lineIndex: 0, roomId: 'r101', roomTypeId: 'std', from: day(1), to: day(6) }];
    const both = await store.changeReservation(wide.id, (r) =>
      decideRooms(r, at, r.version, across, 'by hand'),
    );
    assert.deepEqual(both, {
      kind: 'room-taken',
      roomId: 'r101',
      nights: [day(1), day(2)],
      holderId: first.id,
    });
    assert.equal((await store.getReservation(second.id))?.version, second.version);
    // A room of another type than the assignment names is unusable.
    const wrongType = [
      { lineIndex: 0, roomId: 'r102', roomTypeId: 'suite', from: day(2), to: day(4) },
    ];
    const unusable = await store.changeReservation(second.id, (r) =>
      decideRooms(r, at, r.version, wrongType, 'by hand'),
    );
    assert.deepEqual(unusable, { kind: 'room-unusable', roomId: 'r102' });
    const nights = await store.listRoomNights({ hotelId: HOTEL_ID, from: day(0), to: day(9) });
    assert.deepEqual(nights, [
      { roomId: 'r101', date: day(1), reservationId: first.id },
      { roomId: 'r101', date: day(2), reservationId: first.id },
      { roomId: 'r101', date: day(4), reservationId: later.id },
    ]);
  });

  test('two stays racing for one room: exactly one gets it, the other is refused with CONFLICT', async ({
    inn,
  }) => {
    await addRooms(inn, ['101']);
    const a = await stay(inn, day(1), day(3));
    const b = await stay(inn, day(2), day(4));
    const results = await Promise.allSettled([
      inn.assignRoom({ reservationId: a.id, roomId: 'r101' }),
      inn.assignRoom({ reservationId: b.id, roomId: 'r101' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r) => r.status === 'rejected');
    assert.equal((refused as PromiseRejectedResult).reason.code, 'CONFLICT');
    const nights = await holders(inn, 'r101', day(1), day(4));
    const winner = nights.find((n) => n !== null);
    assert.ok(winner === a.id || winner === b.id);
    assert.equal(nights.filter((n) => n !== null).length, winner === a.id ? 2 : 2);
  });
};
