import assert from 'node:assert/strict';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const paris = { name: 'Hotel Two', timeZone: 'Europe/Paris', currency: 'EUR' };

/** Hotels and room types: create, read, update, duplicates, validation, paging. */
export const catalogGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('createHotel() stores the hotel with a 10% default overbooking and getHotel() returns it', async ({
    inn,
    store,
  }) => {
    const hotel = await inn.createHotel({ id: 'h2', ...paris });
    const at = `${TODAY}T12:00:00.000Z`;
    assert.deepEqual(hotel, {
      id: 'h2',
      ...paris,
      overbookingPercent: 10,
      active: true,
      address: null,
      location: null,
      starRating: null,
      description: {},
      amenities: [],
      images: [],
      contact: null,
      policies: {},
      createdAt: at,
      updatedAt: at,
    });
    assert.deepEqual(await inn.getHotel('h2'), hotel);
    assert.deepEqual(await store.getHotel('h2'), hotel);
  });

  test('createHotel() with a taken id is a CONFLICT and keeps the original hotel', async ({
    inn,
    store,
    hotel,
  }) => {
    const error = await rejectsWithCode(
      inn.createHotel({ id: HOTEL_ID, ...paris, name: 'Impostor' }),
      'CONFLICT',
    );
    assert.equal(error.details.entity, 'hotel');
    assert.deepEqual(await store.getHotel(HOTEL_ID), hotel);
  });

  test('createHotel() with a bad time zone, currency or overbooking percent is VALIDATION naming each path', async ({
    inn,
    store,
  }) => {
    await rejectsWithIssue(inn.createHotel({ id: 'h2', ...paris, timeZone: 'Europe/Atlantis' }), [
      'timeZone',
    ]);
    await rejectsWithIssue(inn.createHotel({ id: 'h2', ...paris, currency: 'eur' }), ['currency']);
    await rejectsWithIssue(inn.createHotel({ id: 'h2', ...paris, currency: 'XYZ' }), ['currency']);
    await rejectsWithIssue(inn.createHotel({ id: 'h2', ...paris, overbookingPercent: 11 }), [
      'overbookingPercent',
    ]);
    await rejectsWithIssue(inn.createHotel({ id: 'h2', ...paris, overbookingPercent: -1 }), [
      'overbookingPercent',
    ]);
    assert.equal(await store.getHotel('h2'), null);
  });

  test('getHotel() and updateHotel() of an unknown hotel are NOT_FOUND', async ({ inn }) => {
    const error = await rejectsWithCode(inn.getHotel('nope'), 'NOT_FOUND');
    assert.deepEqual(error.details, { entity: 'hotel', id: 'nope' });
    await rejectsWithCode(inn.updateHotel({ id: 'nope', name: 'X' }), 'NOT_FOUND');
  });

  test('updateHotel() changes the given fields, keeps the others and createdAt, and persists', async ({
    inn,
    store,
    hotel,
    clock,
  }) => {
    clock.advance(60_000);
    const updated = await inn.updateHotel({ id: HOTEL_ID, name: 'Renamed', overbookingPercent: 5 });
    assert.deepEqual(updated, {
      ...hotel,
      name: 'Renamed',
      overbookingPercent: 5,
      updatedAt: clock.now().toISOString(),
    });
    assert.deepEqual(await store.getHotel(HOTEL_ID), updated);
    await rejectsWithIssue(inn.updateHotel({ id: HOTEL_ID, overbookingPercent: 11 }), [
      'overbookingPercent',
    ]);
    await rejectsWithIssue(inn.updateHotel({ id: HOTEL_ID, timeZone: 'Mars/Olympus' }), [
      'timeZone',
    ]);
    assert.deepEqual(await store.getHotel(HOTEL_ID), updated);
  });

  test('createRoomType() defaults maxOccupancy and a null overbooking override; listRoomTypes() orders by id', async ({
    inn,
    store,
    std,
  }) => {
    const rt = await inn.createRoomType({
      id: 'fam',
      hotelId: HOTEL_ID,
      name: 'Family',
      maxAdults: 2,
      maxChildren: 3,
      baseRate: 15_000,
    });
    assert.equal(rt.maxOccupancy, 5);
    assert.equal(rt.overbookingPercent, null);
    assert.equal(std.overbookingPercent, null);
    const ids = (await inn.listRoomTypes(HOTEL_ID)).map((r) => r.id);
    assert.deepEqual(ids, ['dorm', 'fam', 'std', 'suite']);
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).find((r) => r.id === 'fam'),
      rt,
    );
  });

  test('createRoomType() with a taken id is a CONFLICT, but the same id at another hotel is fine', async ({
    inn,
    store,
    std,
  }) => {
    const dup = { id: 'std', hotelId: HOTEL_ID, name: 'Other', maxAdults: 1, baseRate: 1 };
    const error = await rejectsWithCode(inn.createRoomType(dup), 'CONFLICT');
    assert.equal(error.details.entity, 'roomType');
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).find((r) => r.id === 'std'),
      std,
    );
    await inn.createHotel({ id: 'h2', ...paris });
    const other = await inn.createRoomType({ ...dup, hotelId: 'h2' });
    assert.deepEqual(await store.listRoomTypes('h2'), [other]);
  });

  test('createRoomType() and listRoomTypes() of an unknown hotel are NOT_FOUND and store nothing', async ({
    inn,
    store,
  }) => {
    const rt = { id: 'x', hotelId: 'nope', name: 'X', maxAdults: 1, baseRate: 1 };
    const error = await rejectsWithCode(inn.createRoomType(rt), 'NOT_FOUND');
    assert.deepEqual(error.details, { entity: 'hotel', id: 'nope' });
    await rejectsWithCode(inn.listRoomTypes('nope'), 'NOT_FOUND');
    assert.deepEqual(await store.listRoomTypes('nope'), []);
  });

  test('createRoomType() with an overbooking percent over 10 or a float rate is VALIDATION', async ({
    inn,
    store,
  }) => {
    const rt = { id: 'x', hotelId: HOTEL_ID, name: 'X', maxAdults: 1, baseRate: 100 };
    await rejectsWithIssue(inn.createRoomType({ ...rt, overbookingPercent: 11 }), [
      'overbookingPercent',
    ]);
    await rejectsWithIssue(inn.createRoomType({ ...rt, baseRate: 99.5 }), ['baseRate']);
    await rejectsWithIssue(inn.createRoomType({ ...rt, maxAdults: 0 }), ['maxAdults']);
    assert.equal((await store.listRoomTypes(HOTEL_ID)).length, 3);
  });

  test('updateRoomType() patches fields, caps maxOccupancy to the new guests, and persists', async ({
    inn,
    store,
    std,
    clock,
  }) => {
    clock.advance(1000);
    const updated = await inn.updateRoomType({
      hotelId: HOTEL_ID,
      id: 'std',
      maxAdults: 1,
      baseRate: 12_000,
      overbookingPercent: 0,
    });
    assert.deepEqual(updated, {
      ...std,
      maxAdults: 1,
      maxOccupancy: 3,
      baseRate: 12_000,
      overbookingPercent: 0,
      updatedAt: clock.now().toISOString(),
    });
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).find((r) => r.id === 'std'),
      updated,
    );
    const capped = await inn.updateRoomType({ hotelId: HOTEL_ID, id: 'std', maxChildren: 0 });
    assert.equal(capped.maxOccupancy, 1);
    await rejectsWithCode(
      inn.updateRoomType({ hotelId: HOTEL_ID, id: 'nope', name: 'X' }),
      'NOT_FOUND',
    );
    await rejectsWithCode(
      inn.updateRoomType({ hotelId: 'nope', id: 'std', name: 'X' }),
      'NOT_FOUND',
    );
  });

  test('store.listHotels() pages by id with afterId and limit, ending with an empty page', async ({
    inn,
    store,
  }) => {
    for (const id of ['h4', 'h2', 'h5', 'h3']) await inn.createHotel({ id, ...paris });
    const seen: string[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < 10; page++) {
      const hotels = await store.listHotels(
        afterId === undefined ? { limit: 2 } : { afterId, limit: 2 },
      );
      if (hotels.length === 0) break;
      assert.ok(hotels.length <= 2);
      seen.push(...hotels.map((h) => h.id));
      afterId = hotels[hotels.length - 1]?.id;
    }
    assert.deepEqual(seen, ['h1', 'h2', 'h3', 'h4', 'h5']);
    assert.deepEqual(
      (await store.listHotels({ afterId: 'h2', limit: 2 })).map((h) => h.id),
      ['h3', 'h4'],
    );
    assert.deepEqual(await store.listHotels({ afterId: 'h5', limit: 2 }), []);
  });

  test('inn.listHotels() pages every hotel in id order: nextCursor until the last page, then null', async ({
    inn,
  }) => {
    for (const id of ['h4', 'h2', 'h5', 'h3']) await inn.createHotel({ id, ...paris });
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { items, nextCursor } = await inn.listHotels(
        cursor === undefined ? { limit: 2 } : { limit: 2, cursor },
      );
      pages.push(items.map((h) => h.id));
      if (nextCursor === null) break;
      cursor = nextCursor;
    }
    // Five hotels, two a page: the third page holds one and says it is the last.
    assert.deepEqual(pages, [['h1', 'h2'], ['h3', 'h4'], ['h5']]);
    // A page that ends exactly on the last hotel says so too: no empty page after it.
    assert.deepEqual(await inn.listHotels({ limit: 5 }), {
      items: await Promise.all(['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => inn.getHotel(id))),
      nextCursor: null,
    });
    assert.deepEqual(await inn.listHotels({ cursor: 'h5' }), { items: [], nextCursor: null });
    await rejectsWithCode(inn.listHotels({ limit: 0 }), 'VALIDATION');
    await rejectsWithCode(inn.listHotels({ limit: 1001 }), 'VALIDATION');
  });
};
