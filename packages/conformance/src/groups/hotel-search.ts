import assert from 'node:assert/strict';
import type { HotelMatch, Innkeeper, SearchHotelsInput, SearchOffer } from '@innkeeper/core';
import { rejectsWithIssue } from '../assert-error.js';
import { day, fixtureTest } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';

const CENTER = { lat: 38.7107, lon: -9.1364 };

interface Place {
  id: string;
  city: string;
  country: string;
  lat: number;
  lon: number;
  stars: number;
  amenities: string[];
  currency?: string;
  rate: number;
  rooms: number;
}

/**
 * A small chain: Lisbon's hotels around `CENTER` and one in Porto, each with a double
 * (`dbl`) at its own rate. `l3` is sold out on day 2; `l4` is deactivated; `l5` sells
 * only singles; `l6` sells in pounds.
 */
const PLACES: Place[] = [
  {
    id: 'l1',
    city: 'Lisboa',
    country: 'PT',
    lat: 38.711,
    lon: -9.137,
    stars: 4,
    amenities: ['wifi', 'pool'],
    rate: 12_000,
    rooms: 5,
  },
  {
    id: 'l2',
    city: 'lisboa',
    country: 'PT',
    lat: 38.72,
    lon: -9.15,
    stars: 3,
    amenities: ['wifi'],
    rate: 8_000,
    rooms: 2,
  },
  {
    id: 'l3',
    city: 'Lisboa',
    country: 'PT',
    lat: 38.69,
    lon: -9.2,
    stars: 5,
    amenities: ['wifi', 'pool', 'spa'],
    rate: 30_000,
    rooms: 3,
  },
  {
    id: 'l4',
    city: 'Lisboa',
    country: 'PT',
    lat: 38.71,
    lon: -9.14,
    stars: 2,
    amenities: [],
    rate: 5_000,
    rooms: 9,
  },
  {
    id: 'l5',
    city: 'Lisboa',
    country: 'PT',
    lat: 38.71,
    lon: -9.13,
    stars: 2,
    amenities: [],
    rate: 4_000,
    rooms: 9,
  },
  {
    id: 'l6',
    city: 'LISBOA',
    country: 'PT',
    lat: 38.7,
    lon: -9.14,
    stars: 3,
    amenities: ['wifi'],
    currency: 'GBP',
    rate: 9_000,
    rooms: 4,
  },
  {
    id: 'p1',
    city: 'Porto',
    country: 'PT',
    lat: 41.15,
    lon: -8.61,
    stars: 4,
    amenities: ['wifi'],
    rate: 7_000,
    rooms: 4,
  },
];

async function openChain(inn: Innkeeper): Promise<void> {
  for (const p of PLACES) {
    await inn.createHotel({
      id: p.id,
      name: `Hotel ${p.id}`,
      timeZone: 'Europe/Lisbon',
      currency: p.currency ?? 'EUR',
      address: { lines: ['1 Rua'], city: p.city, country: p.country },
      location: { lat: p.lat, lon: p.lon },
      starRating: p.stars,
      amenities: p.amenities,
    });
    const type = p.id === 'l5' ? { id: 'sgl', maxAdults: 1 } : { id: 'dbl', maxAdults: 2 };
    await inn.createRoomType({ hotelId: p.id, name: type.id, baseRate: p.rate, ...type });
    await inn.setInventory({
      hotelId: p.id,
      roomTypeId: type.id,
      from: day(0),
      to: day(10),
      total: p.rooms,
    });
  }
  await inn.setInventory({ hotelId: 'l3', roomTypeId: 'dbl', from: day(2), to: day(2), total: 0 });
  await inn.deactivateHotel('l4');
}

const STAY = { checkIn: day(1), checkOut: day(3), adults: 2 };

/** The ids of a page, in order. */
const idsOf = (items: HotelMatch[]) => items.map((m) => m.hotel.id);

async function search(inn: Innkeeper, input: Partial<SearchHotelsInput>) {
  return inn.searchHotels({ ...STAY, ...input } as SearchHotelsInput);
}

/** What `search` offers on the hotel: its cheapest available offer and how many are available. */
async function offersOf(inn: Innkeeper, hotelId: string, rooms = 1) {
  const { offers } = await inn.search({ hotelId, ...STAY, rooms });
  const available = offers.filter((o) => o.available);
  const cheapest = available.reduce<SearchOffer | null>(
    (best, o) => (best === null || o.total < best.total ? o : best),
    null,
  );
  return { cheapest, count: available.length };
}

/** Search across hotels: areas, filters, order, paging, and the same offers as `search`. */
export const hotelSearchGroup: ConformanceGroup = (api, options) => {
  const test = fixtureTest(api, options);

  test('a city search lists the hotels with a sellable offer for the whole stay, cheapest first, each with the cheapest offer search gives and its count', async ({
    inn,
  }) => {
    await openChain(inn);
    const result = await search(inn, { city: 'Lisboa' });
    // l3 is sold out on a night, l4 deactivated, l5 has nothing for two; euros before pounds.
    assert.deepEqual(idsOf(result.items), ['l2', 'l1', 'l6']);
    assert.equal(result.total, 3);
    assert.equal(result.nights, 2);
    assert.equal(result.nextCursor, null);
    for (const match of result.items) {
      const expected = await offersOf(inn, match.hotel.id);
      assert.deepEqual(match.cheapestOffer, expected.cheapest);
      assert.equal(match.offerCount, expected.count);
      assert.equal(match.distanceKm, null);
      assert.deepEqual(match.hotel, await inn.getHotel(match.hotel.id));
    }
    assert.equal(result.items[0]?.cheapestOffer.total, 16_000);
    // Accents, case and spaces do not matter.
    assert.deepEqual(idsOf((await search(inn, { city: '  LISBOA ' })).items), ['l2', 'l1', 'l6']);
    assert.deepEqual((await search(inn, { city: 'Lisbon' })).items, []);
  });

  test('a page at a time: the cursor goes on where the last page ended, until nextCursor is null', async ({
    inn,
  }) => {
    await openChain(inn);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await search(inn, { country: 'PT', limit: 2, ...(cursor ? { cursor } : {}) });
      assert.equal(page.total, 4);
      seen.push(...idsOf(page.items));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, ['p1', 'l2', 'l1', 'l6']);
    await rejectsWithIssue(search(inn, { country: 'PT', cursor: 'not-a-cursor' }), ['cursor']);
    // A cursor of one order is refused by another.
    const byPrice = await search(inn, { country: 'PT', limit: 1 });
    await rejectsWithIssue(
      search(inn, { country: 'PT', sort: 'stars', cursor: byPrice.nextCursor ?? '' }),
      ['cursor'],
    );
  });

  test('an area holding more hotels than one read takes (several reads in flight): each qualifying hotel once, in order', async ({
    inn,
  }) => {
    // 150 hotels in Faro at rates falling with their number; every seventh is sold out.
    const count = 150;
    const hotelId = (i: number) => `f${String(i).padStart(3, '0')}`;
    for (let i = 0; i < count; i++) {
      const id = hotelId(i);
      await inn.createHotel({
        id,
        name: `Hotel ${id}`,
        timeZone: 'Europe/Lisbon',
        currency: 'EUR',
        address: { lines: ['1 Rua'], city: 'Faro', country: 'PT' },
      });
      await inn.createRoomType({
        hotelId: id,
        id: 'dbl',
        name: 'Double',
        maxAdults: 2,
        baseRate: 50_000 - i * 100,
      });
      const total = i % 7 === 0 ? 0 : 2;
      await inn.setInventory({ hotelId: id, roomTypeId: 'dbl', from: day(0), to: day(10), total });
    }
    const expected = Array.from({ length: count }, (_, i) => i)
      .filter((i) => i % 7 !== 0)
      .reverse()
      .map(hotelId);
    const first = await search(inn, { city: 'Faro', limit: 100 });
    const second = await search(inn, { city: 'Faro', limit: 100, cursor: first.nextCursor ?? '' });
    assert.equal(first.total, expected.length);
    assert.equal(second.nextCursor, null);
    assert.deepEqual([...idsOf(first.items), ...idsOf(second.items)], expected);
  });

  test('near a point: only hotels within the radius, with their distance, nearest first when sorted by distance', async ({
    inn,
  }) => {
    await openChain(inn);
    const result = await search(inn, { near: { ...CENTER, radiusKm: 3 }, sort: 'distance' });
    assert.deepEqual(idsOf(result.items), ['l1', 'l6', 'l2']);
    const distances = result.items.map((m) => m.distanceKm ?? -1);
    assert.ok(
      distances.every((d, i) => d >= 0 && d <= 3 && (i === 0 || d >= (distances[i - 1] ?? 0))),
    );
    assert.ok((distances[0] ?? 1) < 0.1);
    // l3, about 5.98 km out (and free from day 3), is inside the box around a 5.9 km circle
    // but not inside the circle.
    const later = { checkIn: day(3), checkOut: day(5) };
    const within = async (radiusKm: number) =>
      idsOf((await search(inn, { ...later, near: { ...CENTER, radiusKm } })).items);
    assert.equal((await within(5.9)).includes('l3'), false);
    assert.equal((await within(6.1)).includes('l3'), true);
    assert.deepEqual(
      idsOf((await search(inn, { near: { lat: 41.15, lon: -8.61, radiusKm: 1 } })).items),
      ['p1'],
    );
  });

  test('a bounding box finds the hotels inside it', async ({ inn }) => {
    await openChain(inn);
    const box = { south: 41, west: -9, north: 42, east: -8 };
    assert.deepEqual(idsOf((await search(inn, { boundingBox: box })).items), ['p1']);
    const lisbon = { south: 38.6, west: -9.3, north: 38.8, east: -9 };
    assert.deepEqual(idsOf((await search(inn, { boundingBox: lisbon })).items), ['l2', 'l1', 'l6']);
  });

  test('filters: stars, amenities, currency and a maximum total; sorted by stars', async ({
    inn,
  }) => {
    await openChain(inn);
    assert.deepEqual(idsOf((await search(inn, { country: 'PT', minStars: 4 })).items), [
      'p1',
      'l1',
    ]);
    assert.deepEqual(idsOf((await search(inn, { country: 'PT', amenities: ['pool'] })).items), [
      'l1',
    ]);
    assert.deepEqual(idsOf((await search(inn, { country: 'PT', currency: 'GBP' })).items), ['l6']);
    assert.deepEqual(
      idsOf((await search(inn, { country: 'PT', currency: 'EUR', maxTotal: 16_000 })).items),
      ['p1', 'l2'],
    );
    assert.deepEqual(idsOf((await search(inn, { country: 'PT', sort: 'stars' })).items), [
      'p1',
      'l1',
      'l2',
      'l6',
    ]);
  });

  test('the same rules as search: rooms beyond capacity, a restriction, a deactivated room type leave a hotel out', async ({
    inn,
  }) => {
    await openChain(inn);
    // Three rooms: l2 has two.
    const three = await search(inn, { city: 'Lisboa', rooms: 3 });
    assert.deepEqual(idsOf(three.items), ['l1', 'l6']);
    assert.equal(
      three.items[0]?.cheapestOffer.total,
      (await offersOf(inn, 'l1', 3)).cheapest?.total,
    );
    await inn.upsertRestriction({
      hotelId: 'l1',
      restriction: { id: 'min3', from: day(1), to: day(1), minStay: 3 },
    });
    await inn.deactivateRoomType({ hotelId: 'l6', roomTypeId: 'dbl' });
    assert.deepEqual(idsOf((await search(inn, { city: 'Lisboa' })).items), ['l2']);
    await inn.reactivateHotel('l4');
    assert.deepEqual(idsOf((await search(inn, { city: 'Lisboa' })).items), ['l4', 'l2']);
  });

  test('malformed searches are VALIDATION naming the field', async ({ inn }) => {
    await openChain(inn);
    await rejectsWithIssue(search(inn, {}), ['city']);
    await rejectsWithIssue(search(inn, { city: 'Lisboa', near: { ...CENTER, radiusKm: 1 } }), [
      'near',
    ]);
    await rejectsWithIssue(search(inn, { city: 'Lisboa', sort: 'distance' }), ['sort']);
    await rejectsWithIssue(search(inn, { city: 'Lisboa', maxTotal: 100 }), ['currency']);
    await rejectsWithIssue(search(inn, { near: { ...CENTER, radiusKm: 0 } }), ['near', 'radiusKm']);
    await rejectsWithIssue(search(inn, { near: { ...CENTER, radiusKm: 501 } }), [
      'near',
      'radiusKm',
    ]);
    await rejectsWithIssue(
      search(inn, { boundingBox: { south: 40, west: 0, north: 39, east: 1 } }),
      ['boundingBox', 'north'],
    );
    await rejectsWithIssue(search(inn, { city: 'Lisboa', checkOut: day(1) }), ['checkOut']);
    await rejectsWithIssue(search(inn, { country: 'XX' }), ['country']);
    await rejectsWithIssue(search(inn, { city: 'Lisboa', limit: 101 }), ['limit']);
  });
};
