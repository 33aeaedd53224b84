import { createInnkeeper, createManualClock, type Innkeeper } from '@innkeeper/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool } from './support/test-database.js';

/**
 * `readStays` leaves out the catalog (hotel, room types, rate card) of a hotel whose stamp
 * the store already holds. Whatever another process writes to the catalog must still be
 * read: here a second store on the same schema (its own process, as far as the first can
 * tell) makes every kind of catalog write, and after each the first store's `readStays`
 * must equal what a brand-new store reads.
 */
const pool = newPool(4);
let schema = '';
let reader: PostgresStore;
let writer: Innkeeper;
const stays = { hotelIds: ['h-1', 'h-2'], from: '2031-03-01', to: '2031-03-04' };

beforeAll(async () => {
  schema = await freshSchema(pool, 'staycat');
  reader = createPostgresStore({ pool }, { schema });
  writer = createInnkeeper({
    store: createPostgresStore({ pool }, { schema }),
    clock: createManualClock('2031-01-01T00:00:00Z'),
  });
  for (const id of stays.hotelIds) {
    await writer.createHotel({
      id,
      name: `Hotel ${id}`,
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });
    await writer.createRoomType({
      id: 'std',
      hotelId: id,
      name: 'Standard',
      maxAdults: 2,
      baseRate: 9_000,
    });
    await writer.setInventory({
      hotelId: id,
      roomTypeId: 'std',
      from: stays.from,
      to: stays.to,
      total: 5,
    });
  }
});

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

/** What a store holding nothing reads. */
async function freshRead() {
  return createPostgresStore({ pool }, { schema }).readStays(stays);
}

describe('readStay, readStays and the catalogs they hold', () => {
  test('an unchanged hotel is served from what was held (the same frozen objects)', async () => {
    const first = await reader.readStays(stays);
    const second = await reader.readStays(stays);
    expect(second).toEqual(await freshRead());
    expect(second[0]?.hotel).toBe(first[0]?.hotel);
    expect(second[0]?.roomTypes).toBe(first[0]?.roomTypes);
    expect(Object.isFrozen(second[0]?.hotel)).toBe(true);
    const stay = await reader.readStay({ hotelId: 'h-1', from: stays.from, to: stays.to });
    expect(stay?.hotel).toBe(first[0]?.hotel);
    expect(stay?.pricingRevision).toBeGreaterThan(0);
  });

  const writes: [string, () => Promise<unknown>][] = [
    [
      'a hotel profile edit',
      () => writer.updateHotel({ id: 'h-1', description: { en: 'By the river' } }),
    ],
    ['a hotel deactivated', () => writer.deactivateHotel('h-2')],
    [
      'a room type renamed',
      () => writer.updateRoomType({ hotelId: 'h-1', id: 'std', name: 'Classic' }),
    ],
    [
      'a room type added',
      () =>
        writer.createRoomType({
          id: 'suite',
          hotelId: 'h-1',
          name: 'Suite',
          maxAdults: 4,
          baseRate: 30_000,
        }),
    ],
    [
      'a rate card written',
      () =>
        writer.setTaxes({
          hotelId: 'h-1',
          taxes: [{ id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 600 }],
        }),
    ],
    [
      'a calendar rate set',
      () =>
        writer.setRates({
          hotelId: 'h-1',
          roomTypeId: 'std',
          from: stays.from,
          to: stays.to,
          amount: 12_000,
        }),
    ],
  ];
  for (const [what, write] of writes) {
    test(`${what} by another store is read at once`, async () => {
      const before = await reader.readStays(stays);
      await write();
      const after = await reader.readStays(stays);
      expect(after).toEqual(await freshRead());
      expect(after).not.toEqual(before);
      // readStay holds the same catalogs, with or without a room type filter.
      const fresh = createPostgresStore({ pool }, { schema });
      for (const query of [
        { hotelId: 'h-1', from: stays.from, to: stays.to },
        { hotelId: 'h-1', roomTypeIds: ['std'], from: stays.from, to: stays.to },
      ]) {
        expect(await reader.readStay(query)).toEqual(await fresh.readStay(query));
      }
    });
  }

  test('hotels asked twice, or unknown, come back as asked', async () => {
    const views = await reader.readStays({ ...stays, hotelIds: ['h-2', 'nope', 'h-1', 'h-2'] });
    expect(views.map((view) => view.hotel.id)).toEqual(['h-2', 'h-1', 'h-2']);
  });
});
