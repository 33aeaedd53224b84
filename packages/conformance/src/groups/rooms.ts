import assert from 'node:assert/strict';
import { rejectsWithCode } from '../assert-error.js';
import { day, fixtureTest, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { addRooms, stay } from '../room-fixture.js';

/**
 * Physical rooms themselves: numbers unique per hotel, what an update may change while the
 * room is assigned, a room out of order for a range of nights (its type's total lowered in
 * the same step), and the port's room reads.
 */
export const roomsGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('createRoom() / updateRoom() / listRooms(): numbers unique per hotel, features sorted once, an unknown room type NOT_FOUND', async ({
    inn,
  }) => {
    const [room] = await addRooms(inn, ['101']);
    assert.equal(room?.housekeeping, 'clean');
    assert.equal(room?.active, true);
    const featured = await inn.createRoom({
      hotelId: HOTEL_ID,
      id: 'r102',
      number: '102',
      roomTypeId: 'std',
      floor: '1',
      features: ['sea-view', 'accessible', 'sea-view'],
    });
    assert.deepEqual(featured.features, ['accessible', 'sea-view']);
    await rejectsWithCode(
      inn.createRoom({ hotelId: HOTEL_ID, id: 'r999', number: '101', roomTypeId: 'std' }),
      'CONFLICT',
    );
    await rejectsWithCode(
      inn.createRoom({ hotelId: HOTEL_ID, id: 'r101', number: '999', roomTypeId: 'std' }),
      'CONFLICT',
    );
    await rejectsWithCode(
      inn.createRoom({ hotelId: HOTEL_ID, number: '300', roomTypeId: 'nope' }),
      'NOT_FOUND',
    );
    await rejectsWithCode(
      inn.updateRoom({ hotelId: HOTEL_ID, id: 'r102', number: '101' }),
      'CONFLICT',
    );
    const updated = await inn.updateRoom({
      hotelId: HOTEL_ID,
      id: 'r102',
      housekeeping: 'dirty',
      floor: null,
    });
    assert.equal(updated.housekeeping, 'dirty');
    assert.equal(updated.floor, null);
    const listed = await inn.listRooms(HOTEL_ID);
    assert.deepEqual(
      listed.map((r) => [r.id, r.number, r.housekeeping]),
      [
        ['r101', '101', 'clean'],
        ['r102', '102', 'dirty'],
      ],
    );
    await rejectsWithCode(inn.listRooms('nope'), 'NOT_FOUND');
    await rejectsWithCode(inn.updateRoom({ hotelId: HOTEL_ID, id: 'r404' }), 'NOT_FOUND');
  });

  test('updateRoom() will not change the type of, or take out of use, a room assigned from today on (CONFLICT); once it is free it will', async ({
    inn,
  }) => {
    await addRooms(inn, ['101']);
    const r = await stay(inn, day(1), day(3));
    await inn.assignRoom({ reservationId: r.id, roomId: 'r101' });
    for (const change of [
      { roomTypeId: 'suite' },
      { active: false },
      { housekeeping: 'out-of-service' as const },
    ]) {
      const error = await rejectsWithCode(
        inn.updateRoom({ hotelId: HOTEL_ID, id: 'r101', ...change }),
        'CONFLICT',
      );
      assert.equal(error.details.reason, 'room assigned');
    }
    // Housekeeping's everyday statuses and the room's number are free to change.
    await inn.updateRoom({ hotelId: HOTEL_ID, id: 'r101', housekeeping: 'dirty', number: '101A' });
    await inn.unassignRoom({ reservationId: r.id, roomId: 'r101' });
    const moved = await inn.updateRoom({ hotelId: HOTEL_ID, id: 'r101', roomTypeId: 'suite' });
    assert.equal(moved.roomTypeId, 'suite');
  });

  test("takeRoomOutOfOrder() takes one room out for its nights and its type's total down by one, in one step; refused while assigned on them or where the total would not cover what is sold; returnRoomToService() gives the nights back", async ({
    inn,
    store,
  }) => {
    await addRooms(inn, ['101', '102']);
    const totalOn = async (date: string) =>
      (await inn.getCalendar({ hotelId: HOTEL_ID, roomTypeId: 'std', from: date, to: date }))[0]
        ?.total;
    const before = await totalOn(day(2));
    const spell = { hotelId: HOTEL_ID, roomId: 'r101', from: day(2), to: day(4), reason: 'Leak' };
    const broken = await inn.takeRoomOutOfOrder(spell);
    assert.deepEqual(broken.outOfOrder, [{ from: day(2), to: day(4), reason: 'Leak' }]);
    assert.equal(await totalOn(day(1)), before);
    assert.equal(await totalOn(day(2)), (before ?? 0) - 1);
    assert.equal(await totalOn(day(3)), (before ?? 0) - 1);
    assert.equal(await totalOn(day(4)), before);
    assert.equal((await store.readEvents(0, 1000)).at(-1)?.type, 'inventory.changed');
    // Not given to a guest on those nights, by hand or automatically; free either side.
    const r = await stay(inn, day(1), day(3));
    const refused = await rejectsWithCode(
      inn.assignRoom({ reservationId: r.id, roomId: 'r101' }),
      'VALIDATION',
    );
    assert.match(refused.message, /out of order on/);
    await inn.assignRoom({ reservationId: r.id, roomId: 'r101', from: day(1), to: day(2) });
    const free = await inn.listFreeRooms({ hotelId: HOTEL_ID, from: day(2), to: day(3) });
    assert.deepEqual(
      free.map((x) => x.id),
      ['r102'],
    );
    // Overlapping spells and an assigned room are refused, writing nothing.
    await rejectsWithCode(
      inn.takeRoomOutOfOrder({ ...spell, from: day(3), to: day(5) }),
      'VALIDATION',
    );
    const assigned = await rejectsWithCode(
      inn.takeRoomOutOfOrder({ ...spell, from: day(1), to: day(2) }),
      'CONFLICT',
    );
    assert.equal(assigned.details.reason, 'room assigned');
    assert.equal(await totalOn(day(1)), before);
    // Sold out on a night: the lower total would not cover what is sold (unless
    // allowOverbooked, and then only within the overbooking margin).
    const night = { hotelId: HOTEL_ID, roomTypeId: 'std', from: day(10), to: day(10) };
    await inn.setInventory({ ...night, total: 20 });
    const full = await stay(inn, day(10), day(11), 20);
    const sold = await rejectsWithCode(
      inn.takeRoomOutOfOrder({ ...spell, roomId: 'r102', from: day(10), to: day(11) }),
      'CONFLICT',
    );
    assert.deepEqual(sold.details, {
      entity: 'inventory',
      id: `${HOTEL_ID}/std`,
      reason: 'below-reserved',
      dates: [day(10)],
    });
    assert.equal((await inn.listRooms(HOTEL_ID))[1]?.outOfOrder, undefined);
    await inn.takeRoomOutOfOrder({
      ...spell,
      roomId: 'r102',
      from: day(10),
      to: day(11),
      allowOverbooked: true,
    });
    assert.equal(await totalOn(day(10)), 19);
    assert.equal(full.status, 'confirmed');
    // Back in service from day 3: that night's total comes back, day 2 stays out.
    const back = await inn.returnRoomToService({ hotelId: HOTEL_ID, roomId: 'r101', from: day(3) });
    assert.deepEqual(back.outOfOrder, [{ from: day(2), to: day(3), reason: 'Leak' }]);
    assert.equal(await totalOn(day(2)), (before ?? 0) - 1);
    assert.equal(await totalOn(day(3)), before);
    // Nothing out of order from then on: returned as it is.
    const again = await inn.returnRoomToService({
      hotelId: HOTEL_ID,
      roomId: 'r101',
      from: day(3),
    });
    assert.equal(again.updatedAt, back.updatedAt);
  });

  test('store.listRooms() is by id and store.listRoomNights() by room then night over a half-open range, of the rooms asked (repeats and unknown ids harmless); both hand out copies', async ({
    inn,
    store,
  }) => {
    // Created out of id order, numbered against it.
    for (const [id, number] of [
      ['r3', '1'],
      ['r1', '3'],
      ['r2', '2'],
    ] as const) {
      await inn.createRoom({
        hotelId: HOTEL_ID,
        id,
        number,
        roomTypeId: 'std',
        features: ['b', 'a'],
      });
    }
    const listed = await store.listRooms(HOTEL_ID);
    assert.deepEqual(
      listed.map((r) => r.id),
      ['r1', 'r2', 'r3'],
    );
    listed[0]?.features.push('mutated');
    assert.deepEqual((await store.listRooms(HOTEL_ID))[0]?.features, ['a', 'b']);
    const spell = { hotelId: HOTEL_ID, roomId: 'r2', from: day(20), to: day(21), reason: 'Paint' };
    await inn.takeRoomOutOfOrder(spell);
    const [, painted] = await store.listRooms(HOTEL_ID);
    const first = painted?.outOfOrder?.[0];
    if (first) first.reason = 'mutated';
    assert.equal((await store.listRooms(HOTEL_ID))[1]?.outOfOrder?.[0]?.reason, 'Paint');
    assert.deepEqual(await store.listRooms('other-hotel'), []);

    const a = await stay(inn, day(1), day(4));
    const b = await stay(inn, day(2), day(3));
    // Room r1's later nights are claimed first: the listing is by date all the same.
    const c = await stay(inn, day(5), day(6));
    await inn.assignRoom({ reservationId: c.id, roomId: 'r1' });
    await inn.assignRoom({ reservationId: a.id, roomId: 'r3' });
    await inn.assignRoom({ reservationId: b.id, roomId: 'r1' });
    const all = await store.listRoomNights({ hotelId: HOTEL_ID, from: day(0), to: day(9) });
    assert.deepEqual(all, [
      { roomId: 'r1', date: day(2), reservationId: b.id },
      { roomId: 'r1', date: day(5), reservationId: c.id },
      { roomId: 'r3', date: day(1), reservationId: a.id },
      { roomId: 'r3', date: day(2), reservationId: a.id },
      { roomId: 'r3', date: day(3), reservationId: a.id },
    ]);
    // [from, to): the first night in, the last out.
    assert.deepEqual(
      (await store.listRoomNights({ hotelId: HOTEL_ID, from: day(2), to: day(3) })).map(
        (n) => `${n.roomId}@${n.date}`,
      ),
      [`r1@${day(2)}`, `r3@${day(2)}`],
    );
    const some = await store.listRoomNights({
      hotelId: HOTEL_ID,
      from: day(0),
      to: day(9),
      roomIds: ['r3', 'nope', 'r3'],
    });
    assert.deepEqual(
      some.map((n) => n.date),
      [day(1), day(2), day(3)],
    );
    assert.deepEqual(
      await store.listRoomNights({ hotelId: HOTEL_ID, from: day(0), to: day(9), roomIds: [] }),
      [],
    );
    // Rooms asked in any order come out by room id.
    const asked = await store.listRoomNights({
      hotelId: HOTEL_ID,
      from: day(0),
      to: day(9),
      roomIds: ['r3', 'r1'],
    });
    assert.deepEqual(asked, all);
    assert.deepEqual(
      await store.listRoomNights({ hotelId: 'other-hotel', from: day(0), to: day(9) }),
      [],
    );
    // A save that only renames a room is no change to what it holds: allowed.
    await inn.updateRoom({ hotelId: HOTEL_ID, id: 'r3', number: '33' });
    // The store answers 'exists' for a second create, and 'assigned' exactly from the
    // first night held: a night before the cut-off does not hold the room.
    const [r3] = await store
      .listRooms(HOTEL_ID)
      .then((rooms) => rooms.filter((r) => r.id === 'r3'));
    assert.ok(r3);
    assert.equal(await store.saveRoom(r3, 'create', { assignedFrom: day(0) }), 'exists');
    const retyped = { ...r3, roomTypeId: 'suite' };
    assert.equal(await store.saveRoom(retyped, 'update', { assignedFrom: day(3) }), 'assigned');
    assert.equal(await store.saveRoom(retyped, 'update', { assignedFrom: day(4) }), 'updated');
  });
  test("setInventory() without total counts the room type's active, in-service rooms, less those out of order each night; with no rooms to count it is VALIDATION at total", async ({
    inn,
  }) => {
    const range = { hotelId: HOTEL_ID, roomTypeId: 'std', from: day(1), to: day(3) };
    const error = await rejectsWithCode(inn.setInventory(range), 'VALIDATION');
    assert.deepEqual(error.details.issues[0]?.path, ['total']);
    await addRooms(inn, ['101', '102', '103', '104']);
    await inn.updateRoom({ hotelId: HOTEL_ID, id: 'r104', active: false });
    const spell = { hotelId: HOTEL_ID, roomId: 'r101', from: day(2), to: day(3), reason: 'Paint' };
    await inn.takeRoomOutOfOrder(spell);
    const days = await inn.setInventory(range);
    assert.deepEqual(
      days.map((d) => [d.date, d.total]),
      [
        [day(1), 3],
        [day(2), 2],
        [day(3), 3],
      ],
    );
  });
};
