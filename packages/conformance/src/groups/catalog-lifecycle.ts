import assert from 'node:assert/strict';
import type { CreateHotelInput } from '@innkeeper/core';
import { rejectsWithCode, rejectsWithIssue } from '../assert-error.js';
import { bookingRequest, day, fixtureTest, HOTEL_ID, TODAY } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const AT = `${TODAY}T12:00:00.000Z`;

/** A hotel with every profile field set. */
export const LISBON_HOTEL = {
  id: 'lis-1',
  name: 'Casa do Rio',
  timeZone: 'Europe/Lisbon',
  currency: 'EUR',
  address: {
    lines: ['Rua da Prata 12', '3º andar'],
    city: 'Lisboa',
    region: 'Lisboa',
    postalCode: '1100-420',
    country: 'PT',
  },
  location: { lat: 38.7107, lon: -9.1364 },
  starRating: 4.5,
  description: { en: 'By the river.', 'pt-PT': 'Junto ao rio.' },
  amenities: ['wifi', 'breakfast', 'sea-view'],
  images: [
    { url: 'https://img.example.com/lis-1/front.jpg', caption: { en: 'The front' } },
    { url: 'https://img.example.com/lis-1/room.jpg', caption: {} },
  ],
  contact: { phone: '+351 21 000 0000', email: 'desk@casadorio.example', website: null },
  policies: { en: 'No pets.' },
} as const satisfies CreateHotelInput;

/** The catalog's profiles and lifecycle: what a hotel page shows, deactivation, catalog events. */
export const catalogLifecycleGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('a hotel with its whole profile reads back as written, from the engine and the store, and in listHotels', async ({
    inn,
    store,
  }) => {
    const hotel = await inn.createHotel(LISBON_HOTEL);
    assert.deepEqual(hotel, {
      ...LISBON_HOTEL,
      overbookingPercent: 10,
      active: true,
      createdAt: AT,
      updatedAt: AT,
    });
    assert.deepEqual(await inn.getHotel('lis-1'), hotel);
    assert.deepEqual(await store.getHotel('lis-1'), hotel);
    assert.deepEqual((await inn.listHotels({ city: 'Lisboa' })).items, [hotel]);
  });

  test('updateHotel() replaces each profile field given whole, null clears, and the rest is kept', async ({
    inn,
    store,
  }) => {
    await inn.createHotel(LISBON_HOTEL);
    const updated = await inn.updateHotel({
      id: 'lis-1',
      description: { fr: 'Au bord du fleuve.' },
      amenities: ['wifi'],
      location: null,
      contact: null,
    });
    assert.deepEqual(updated.description, { fr: 'Au bord du fleuve.' });
    assert.deepEqual(updated.amenities, ['wifi']);
    assert.equal(updated.location, null);
    assert.equal(updated.contact, null);
    assert.deepEqual(updated.address, LISBON_HOTEL.address);
    assert.deepEqual(updated.images, LISBON_HOTEL.images);
    assert.deepEqual(await store.getHotel('lis-1'), updated);
    // Without a location it is no longer in any box.
    const box = { south: 38, west: -10, north: 39, east: -9 };
    assert.deepEqual(await store.listHotels({ limit: 10, box }), []);
  });

  test('a bad profile is VALIDATION naming the field, and nothing is stored or appended', async ({
    inn,
    store,
  }) => {
    const events = (await store.readEvents(0, 10_000)).length;
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ address: { ...LISBON_HOTEL.address, country: 'XX' } }, ['address', 'country']],
      [{ address: { ...LISBON_HOTEL.address, country: 'pt' } }, ['address', 'country']],
      [{ address: { ...LISBON_HOTEL.address, lines: [] } }, ['address', 'lines']],
      [{ location: { lat: 91, lon: 0 } }, ['location', 'lat']],
      [{ location: { lat: 0, lon: -181 } }, ['location', 'lon']],
      [{ starRating: 4.3 }, ['starRating']],
      [{ starRating: 6 }, ['starRating']],
      [{ amenities: ['Wi Fi'] }, ['amenities', 0]],
      [{ amenities: ['wifi', 'wifi'] }, ['amenities']],
      [{ images: [{ url: 'javascript:alert(1)' }] }, ['images', 0, 'url']],
      [{ description: { EN_us: 'x' } }, ['description', 'EN_us']],
      [{ description: { en: '' } }, ['description', 'en']],
      [{ contact: { email: 'not an address' } }, ['contact', 'email']],
      [{ active: false }, ['active']],
    ];
    for (const [fields, path] of cases) {
      await rejectsWithIssue(inn.createHotel({ ...LISBON_HOTEL, ...fields }), path);
    }
    assert.equal(await store.getHotel('lis-1'), null);
    await rejectsWithIssue(inn.updateHotel({ id: HOTEL_ID, starRating: 0.5 }), ['starRating']);
    assert.equal((await store.readEvents(0, 10_000)).length, events);
  });

  test('a room type with its profile reads back as written; listRoomTypes() is in display order', async ({
    inn,
    store,
  }) => {
    const loft = await inn.createRoomType({
      id: 'loft',
      hotelId: HOTEL_ID,
      name: 'Loft',
      maxAdults: 2,
      baseRate: 20_000,
      description: { en: 'Under the roof.' },
      sizeSqm: 32.5,
      beds: [{ kind: 'queen', count: 1 }],
      amenities: ['air-conditioning'],
      images: [{ url: 'https://img.example.com/loft.jpg', caption: { en: 'Loft' } }],
      displayOrder: -1,
    });
    assert.deepEqual(
      {
        active: loft.active,
        sizeSqm: loft.sizeSqm,
        beds: loft.beds,
        displayOrder: loft.displayOrder,
      },
      { active: true, sizeSqm: 32.5, beds: [{ kind: 'queen', count: 1 }], displayOrder: -1 },
    );
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).find((rt) => rt.id === 'loft'),
      loft,
    );
    await inn.updateRoomType({ hotelId: HOTEL_ID, id: 'dorm', displayOrder: 5 });
    assert.deepEqual(
      (await inn.listRoomTypes(HOTEL_ID)).map((rt) => rt.id),
      ['loft', 'std', 'suite', 'dorm'],
    );
    // The store's own order stays by id.
    assert.deepEqual(
      (await store.listRoomTypes(HOTEL_ID)).map((rt) => rt.id),
      ['dorm', 'loft', 'std', 'suite'],
    );
    await rejectsWithIssue(
      inn.createRoomType({
        hotelId: HOTEL_ID,
        name: 'Bad',
        maxAdults: 1,
        baseRate: 1,
        beds: [{ kind: 'waterbed' as 'single', count: 1 }],
      }),
      ['beds', 0, 'kind'],
    );
  });

  test('a deactivated hotel sells nothing new and is not searched, but its reservations live on; reactivated, it sells again', async ({
    inn,
    store,
  }) => {
    const kept = await inn.book(bookingRequest({ checkIn: day(0), checkOut: day(2) }));
    const events = (await store.readEvents(0, 10_000)).length;
    const off = await inn.deactivateHotel(HOTEL_ID);
    assert.equal(off.active, false);
    assert.equal((await store.getHotel(HOTEL_ID))?.active, false);
    // Once: deactivating again writes nothing.
    assert.deepEqual(await inn.deactivateHotel(HOTEL_ID), off);
    const after = await store.readEvents(0, 10_000);
    assert.deepEqual(
      after.slice(events).map((e) => e.type),
      ['hotel.updated'],
    );

    for (const call of [
      () => inn.book(bookingRequest()),
      () => inn.hold(bookingRequest()),
      () =>
        inn.quote({
          hotelId: HOTEL_ID,
          checkIn: day(1),
          checkOut: day(2),
          lines: [{ roomTypeId: 'std', adults: 1 }],
        }),
      () => inn.modify({ reservationId: kept.id, checkOut: day(3) }),
    ]) {
      const error = await rejectsWithCode(call(), 'RESTRICTED');
      assert.equal(error.details.rule, 'inactive');
    }
    const search = await inn.search({ hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(2) });
    assert.deepEqual(search.offers, []);
    assert.equal((await inn.listHotels({ active: true })).items.length, 0);
    assert.deepEqual(
      (await inn.listHotels({ active: false })).items.map((h) => h.id),
      [HOTEL_ID],
    );

    // The stay sold before goes on: shortened, checked in, checked out.
    const shorter = await inn.modify({ reservationId: kept.id, checkOut: day(1) });
    assert.equal(shorter.checkOut, day(1));
    await inn.checkIn({ reservationId: kept.id });
    await inn.checkOut({ reservationId: kept.id });

    assert.equal((await inn.reactivateHotel(HOTEL_ID)).active, true);
    await inn.book(bookingRequest());
    assert.equal((await store.audit()).ok, true);
  });

  test('a deactivated room type is not sold or searched; the hotel`s other room types are', async ({
    inn,
  }) => {
    const kept = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    assert.equal(
      (await inn.deactivateRoomType({ hotelId: HOTEL_ID, roomTypeId: 'std' })).active,
      false,
    );
    const error = await rejectsWithCode(inn.book(bookingRequest()), 'RESTRICTED');
    assert.deepEqual([error.details.rule, error.details.roomTypeId], ['inactive', 'std']);
    await inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    const offers = (await inn.search({ hotelId: HOTEL_ID, checkIn: day(1), checkOut: day(2) }))
      .offers;
    assert.ok(offers.length > 0);
    assert.ok(offers.every((offer) => offer.roomTypeId !== 'std'));
    // A stay may not move onto it, nor add nights on it; a change of guests is fine.
    const dorm = await inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] }));
    const moved = await rejectsWithCode(
      inn.modify({ reservationId: dorm.id, lines: [{ roomTypeId: 'std', adults: 1 }] }),
      'RESTRICTED',
    );
    assert.equal(moved.details.rule, 'inactive');
    await rejectsWithCode(inn.modify({ reservationId: kept.id, checkOut: day(4) }), 'RESTRICTED');
    await inn.modify({ reservationId: kept.id, lines: [{ roomTypeId: 'std', adults: 1 }] });
    await inn.reactivateRoomType({ hotelId: HOTEL_ID, roomTypeId: 'std' });
    await inn.book(bookingRequest());
  });

  test('deactivation moves the pricing revision, so a booking priced before it is priced again and refused', async ({
    inn,
    store,
  }) => {
    const query = { hotelId: HOTEL_ID, from: day(1), to: day(2) };
    const before = (await store.readStay(query))?.pricingRevision ?? -1;
    await inn.deactivateRoomType({ hotelId: HOTEL_ID, roomTypeId: 'std' });
    const afterType = (await store.readStay(query))?.pricingRevision ?? -1;
    assert.ok(afterType > before);
    await inn.reactivateRoomType({ hotelId: HOTEL_ID, roomTypeId: 'std' });
    const reactivated = (await store.readStay(query))?.pricingRevision ?? -1;
    await inn.deactivateHotel(HOTEL_ID);
    const afterHotel = (await store.readStay(query))?.pricingRevision ?? -1;
    assert.ok(afterHotel > reactivated);
  });

  test('every catalog write appends its event, at its updatedAt, in the same step; bookings append none of them', async ({
    inn,
    store,
    clock,
  }) => {
    const start = (await store.readEvents(0, 10_000)).length;
    await inn.createHotel({ ...LISBON_HOTEL, id: 'h9' });
    clock.advance(60_000);
    await inn.updateHotel({ id: 'h9', name: 'Casa Nova' });
    await inn.createRoomType({ id: 'x', hotelId: 'h9', name: 'X', maxAdults: 1, baseRate: 1 });
    await inn.updateRoomType({ hotelId: 'h9', id: 'x', name: 'Y' });
    await inn.upsertRatePlan({
      hotelId: 'h9',
      expectedRevision: 0,
      ratePlan: { id: 'flex', name: 'Flexible', roomTypeIds: ['x'] },
    });
    await inn.book(bookingRequest());
    const tail = (await store.readEvents(0, 10_000))
      .slice(start)
      .map((e) => [e.type, e.hotelId, e.reservationId, e.at, e.days.length]);
    const later = new Date(Date.parse(AT) + 60_000).toISOString();
    assert.deepEqual(tail.slice(0, 5), [
      ['hotel.created', 'h9', null, AT, 0],
      ['hotel.updated', 'h9', null, later, 0],
      ['room-type.created', 'h9', null, later, 0],
      ['room-type.updated', 'h9', null, later, 0],
      ['rate-card.updated', 'h9', null, later, 0],
    ]);
    assert.deepEqual(
      tail.slice(5).map(([type]) => type),
      ['reservation.created'],
    );
  });

  test('store.listHotels() filters by active, city key, country and a box (edges in, across the antimeridian), paging by id', async ({
    inn,
    store,
  }) => {
    const place = async (id: string, city: string, country: string, lat: number, lon: number) =>
      inn.createHotel({
        id,
        name: id,
        timeZone: 'UTC',
        currency: 'EUR',
        address: { lines: ['1 Main St'], city, country },
        location: { lat, lon },
      });
    await place('a1', 'São Paulo', 'BR', -23.55, -46.63);
    await place('a2', 'SAO  PAULO', 'BR', -23.5, -46.6);
    await place('a3', 'Rio de Janeiro', 'BR', -22.9, -43.2);
    await place('f1', 'Suva', 'FJ', -18.14, 178.44);
    await place('f2', 'Apia', 'WS', -13.83, -171.76);
    await place('e1', 'Edge', 'PT', 40, 10);
    await inn.deactivateHotel('a3');
    const ids = async (query: Parameters<typeof store.listHotels>[0]) =>
      (await store.listHotels(query)).map((h) => h.id);

    assert.deepEqual(await ids({ limit: 10, cityKey: 'sao paulo' }), ['a1', 'a2']);
    assert.deepEqual(await ids({ limit: 10, country: 'BR' }), ['a1', 'a2', 'a3']);
    assert.deepEqual(await ids({ limit: 10, country: 'BR', active: true }), ['a1', 'a2']);
    assert.deepEqual(await ids({ limit: 10, country: 'BR', active: false }), ['a3']);
    assert.deepEqual(await ids({ limit: 1, country: 'BR', afterId: 'a1' }), ['a2']);
    assert.deepEqual(await ids({ limit: 10, active: false }), ['a3']);
    // A box's edges are in it.
    assert.deepEqual(await ids({ limit: 10, box: { south: 40, west: 10, north: 41, east: 11 } }), [
      'e1',
    ]);
    assert.deepEqual(
      await ids({ limit: 10, box: { south: -30, west: -50, north: -20, east: -40 } }),
      ['a1', 'a2', 'a3'],
    );
    // Across the antimeridian: west > east.
    assert.deepEqual(
      await ids({ limit: 10, box: { south: -20, west: 170, north: -10, east: -170 } }),
      ['f1', 'f2'],
    );
    assert.deepEqual(
      await ids({
        limit: 10,
        box: { south: -30, west: -50, north: -20, east: -40 },
        active: true,
        cityKey: 'sao paulo',
      }),
      ['a1', 'a2'],
    );
    // The fixture's hotel has no address: in no city, country or box.
    assert.deepEqual(await ids({ limit: 10, cityKey: 'paris' }), []);
    assert.deepEqual(
      (await inn.listHotels({ city: 'são paulo', limit: 1 })).items.map((h) => h.id),
      ['a1'],
    );
  });

  test('store.readStays() reads each hotel like readStay, in the order asked, leaving unknown hotels out', async ({
    inn,
    store,
  }) => {
    await inn.createHotel(LISBON_HOTEL);
    await inn.createRoomType({
      id: 'dbl',
      hotelId: 'lis-1',
      name: 'Double',
      maxAdults: 2,
      baseRate: 9_000,
    });
    await inn.setInventory({
      hotelId: 'lis-1',
      roomTypeId: 'dbl',
      from: day(1),
      to: day(3),
      total: 4,
    });
    await inn.book(bookingRequest());
    const stays = await store.readStays({
      hotelIds: ['lis-1', 'nope', HOTEL_ID],
      from: day(1),
      to: day(3),
    });
    assert.deepEqual(
      stays.map((s) => s.hotel.id),
      ['lis-1', HOTEL_ID],
    );
    for (const stay of stays) {
      const single = await store.readStay({ hotelId: stay.hotel.id, from: day(1), to: day(3) });
      assert.ok(single);
      const { pricingRevision: _, ...view } = single;
      assert.deepEqual(stay, view);
    }
    assert.deepEqual(await store.readStays({ hotelIds: [], from: day(1), to: day(3) }), []);
  });
};
