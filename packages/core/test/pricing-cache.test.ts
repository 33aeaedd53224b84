import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  type CalendarDay,
  createInnkeeper,
  createManualClock,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  type InnkeeperStore,
  type StayView,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { PricingCache } from '../src/engine/pricing-cache.js';
import { errorOf, GUEST, HOTEL, key } from './engine-support.js';

/**
 * The pricing cache: what `book` and `hold` price from between calls. The cache itself
 * (hits only when every room type and night was read, one revision per hotel, bounded by
 * rows), then the engine on it: one store call per cached booking, a fresh read whenever
 * the store answers `repriced` or the cached plan is refused.
 */
const NOW = '2027-04-01T10:00:00.000Z';
const STAY = { hotelId: HOTEL, checkIn: '2027-05-03', checkOut: '2027-05-05', guest: GUEST };
const LINES = [{ roomTypeId: 'std', adults: 1 }];

function view(
  hotelId: string,
  revision: number,
  rows: { roomTypeId: string; date: string; rate?: number }[],
): StayView {
  const at = '2027-01-01T00:00:00.000Z';
  const roomTypeIds = [...new Set(rows.map((r) => r.roomTypeId))];
  return {
    hotel: {
      id: hotelId,
      name: hotelId,
      timeZone: 'UTC',
      currency: 'EUR',
      overbookingPercent: 0,
      active: true,
      ...EMPTY_HOTEL_PROFILE,
      createdAt: at,
      updatedAt: at,
    },
    roomTypes: roomTypeIds.map((id) => ({
      id,
      hotelId,
      name: id,
      maxAdults: 2,
      maxChildren: 0,
      maxOccupancy: 2,
      overbookingPercent: null,
      baseRate: 10_000,
      active: true,
      ...EMPTY_ROOM_TYPE_PROFILE,
      displayOrder: 0,
      createdAt: at,
      updatedAt: at,
    })),
    rateCard: null,
    days: rows.map(
      (r): CalendarDay => ({
        hotelId,
        roomTypeId: r.roomTypeId,
        date: r.date,
        total: 5,
        overbookingLimit: 0,
        reserved: 0,
        stopSell: false,
        rate: r.rate ?? null,
      }),
    ),
    pricingRevision: revision,
  };
}

const query = (hotelId: string, roomTypeIds: string[], from: string, to: string) => ({
  hotelId,
  roomTypeIds,
  from,
  to,
});

describe('PricingCache', () => {
  test('answers only when every room type and every night was read; days by room type, then date', () => {
    const cache = new PricingCache({ maxRows: 100 });
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'))).toBeNull();
    cache.remember(
      view('h', 4, [
        { roomTypeId: 'std', date: '2027-05-03' },
        { roomTypeId: 'std', date: '2027-05-04', rate: 12_000 },
        { roomTypeId: 'suite', date: '2027-05-03' },
      ]),
    );
    const hit = cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'));
    expect(hit?.pricingRevision).toBe(4);
    expect(hit?.days.map((d) => [d.date, d.rate])).toEqual([
      ['2027-05-03', null],
      ['2027-05-04', 12_000],
    ]);
    expect(hit?.roomTypes.map((rt) => rt.id)).toEqual(['std']);
    // A night never read, a room type never read, a hotel never read: misses.
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-06'))).toBeNull();
    expect(cache.lookup(query('h', ['suite'], '2027-05-03', '2027-05-05'))).toBeNull();
    expect(cache.lookup(query('h', ['loft'], '2027-05-03', '2027-05-04'))).toBeNull();
    expect(cache.lookup(query('other', ['std'], '2027-05-03', '2027-05-04'))).toBeNull();
    const both = cache.lookup(query('h', ['suite', 'std'], '2027-05-03', '2027-05-04'));
    expect(both?.days.map((d) => `${d.roomTypeId}@${d.date}`)).toEqual([
      'std@2027-05-03',
      'suite@2027-05-03',
    ]);
    expect(cache.size).toBe(3);
  });

  test('reads at one revision add up; a read at another revision replaces the hotel', () => {
    const cache = new PricingCache({ maxRows: 100 });
    cache.remember(view('h', 1, [{ roomTypeId: 'std', date: '2027-05-03' }]));
    cache.remember(view('h', 1, [{ roomTypeId: 'std', date: '2027-05-04' }]));
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'))).not.toBeNull();
    expect(cache.size).toBe(2);
    cache.remember(view('h', 2, [{ roomTypeId: 'std', date: '2027-05-04', rate: 9_000 }]));
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'))).toBeNull();
    expect(cache.lookup(query('h', ['std'], '2027-05-04', '2027-05-05'))?.days[0]?.rate).toBe(
      9_000,
    );
    expect(cache.size).toBe(1);
    cache.forget('h');
    expect(cache.size).toBe(0);
    expect(cache.lookup(query('h', ['std'], '2027-05-04', '2027-05-05'))).toBeNull();
  });

  test('over maxRows, drops the hotels least recently used down to nine tenths of it, never the one just read', () => {
    const cache = new PricingCache({ maxRows: 10 });
    const nights = (hotelId: string, count: number) =>
      view(
        hotelId,
        0,
        Array.from({ length: count }, (_, i) => ({
          roomTypeId: 'std',
          date: `2027-05-${String(i + 1).padStart(2, '0')}`,
        })),
      );
    const has = (hotelId: string) =>
      cache.lookup(query(hotelId, ['std'], '2027-05-01', '2027-05-03')) !== null;
    for (const hotelId of ['a', 'b', 'c', 'd', 'e']) cache.remember(nights(hotelId, 2));
    expect(cache.size).toBe(10);
    expect(has('a')).toBe(true); // a is now the most recently used
    cache.remember(nights('f', 2));
    // 12 rows: b, then c, go (least recently used first), down to 8 <= 9.
    expect(['a', 'b', 'c', 'd', 'e', 'f'].filter(has)).toEqual(['a', 'd', 'e', 'f']);
    expect(cache.size).toBe(8);
    // A read larger than the whole budget is still kept (alone).
    cache.remember(nights('g', 12));
    expect(['a', 'd', 'e', 'f', 'g'].filter(has)).toEqual(['g']);
    expect(cache.size).toBe(12);
  });

  test('the option: false turns it off; maxRows must be a positive integer', () => {
    expect(PricingCache.from(false)).toBeNull();
    expect(PricingCache.from(undefined)).toBeInstanceOf(PricingCache);
    expect(PricingCache.from({ maxRows: 10 })).toBeInstanceOf(PricingCache);
    for (const bad of [{ maxRows: 0 }, { maxRows: 1.5 }, { rows: 3 }, true]) {
      expect(() => PricingCache.from(bad as never)).toThrow(/maxRows|rows|Invalid/);
    }
  });
});

/** A memory store that counts the engine's calls of each port method. */
function countedStore(answer?: (call: string) => unknown) {
  const store = createMemoryStore();
  const calls: Record<string, number> = {};
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        const forced = answer?.(property);
        if (forced !== undefined) return forced;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted as InnkeeperStore, calls, raw: store };
}

async function hotelOn(store: InnkeeperStore, options: { pricingCache?: false } = {}) {
  const inn = createInnkeeper({ store, clock: createManualClock(NOW), ...options });
  await inn.createHotel({ id: HOTEL, name: 'H', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({ hotelId: HOTEL, id: 'std', name: 'Std', maxAdults: 2, baseRate: 100 });
  const range = { hotelId: HOTEL, roomTypeId: 'std', from: '2027-05-01', to: '2027-05-31' };
  await inn.setInventory({ ...range, total: 5 });
  return { inn, range };
}

describe('book() on the pricing cache', () => {
  test('the second booking of nights already read is one store call; without the cache, two', async () => {
    for (const pricingCache of [undefined, false] as const) {
      const { store, calls } = countedStore();
      const { inn } = await hotelOn(store, pricingCache === false ? { pricingCache } : {});
      await inn.book({ ...STAY, idempotencyKey: key(), lines: LINES });
      const before = { ...calls };
      await inn.book({ ...STAY, idempotencyKey: key(), lines: LINES });
      const delta = (call: string) => (calls[call] ?? 0) - (before[call] ?? 0);
      expect(delta('applyBooking')).toBe(1);
      expect(delta('readStay')).toBe(pricingCache === false ? 1 : 0);
    }
  });

  test('a rate changed since the read: the store answers repriced, the engine reads again and books at the new rate', async () => {
    const { store, calls } = countedStore();
    const { inn, range } = await hotelOn(store);
    const first = await inn.book({ ...STAY, idempotencyKey: key(), lines: LINES });
    expect(first.total).toBe(200);
    await inn.setRates({ ...range, amount: 150 });
    const before = { ...calls };
    const second = await inn.book({ ...STAY, idempotencyKey: key(), lines: LINES });
    expect(second.total).toBe(300);
    expect((calls.applyBooking ?? 0) - (before.applyBooking ?? 0)).toBe(2);
    expect((calls.readStay ?? 0) - (before.readStay ?? 0)).toBe(1);
  });

  test('a refusal decided on cached data is decided again on a fresh read: a restriction, a stay sold out since, a changed expectedTotal', async () => {
    const { store } = countedStore();
    const { inn, range } = await hotelOn(store);
    const other = createInnkeeper({ store, clock: createManualClock(NOW) });
    await inn.book({ ...STAY, idempotencyKey: key(), lines: LINES });

    // Sold out by another engine: the cached rows still show rooms; the store refuses.
    await other.setInventory({ ...range, total: 1 });
    const soldOut = await errorOf(() => inn.book({ ...STAY, idempotencyKey: key(), lines: LINES }));
    expect(soldOut.code).toBe('SOLD_OUT');
    await other.setInventory({ ...range, total: 5 });

    // A price the caller expects from an older quote: CONFLICT on the fresh read too.
    const stale = await errorOf(() =>
      inn.book({ ...STAY, idempotencyKey: key(), lines: LINES, expectedTotal: 999 }),
    );
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { reason: 'price changed' } });

    // A restriction another engine added (the rate card moves the revision).
    await other.upsertRestriction({
      hotelId: HOTEL,
      restriction: { id: 'min3', minStay: 3, from: '2027-05-01', to: '2027-05-31' },
    });
    const restricted = await errorOf(() =>
      inn.book({ ...STAY, idempotencyKey: key(), lines: LINES }),
    );
    expect(restricted.code).toBe('RESTRICTED');
  });

  test('prices that change under every attempt: CONFLICT repriced after three, nothing written', async () => {
    const { store, calls, raw } = countedStore((call) =>
      call === 'applyBooking' ? { kind: 'repriced', pricingRevision: 99 } : undefined,
    );
    const { inn } = await hotelOn(store);
    const error = await errorOf(() => inn.book({ ...STAY, idempotencyKey: key(), lines: LINES }));
    expect(error).toMatchObject({
      code: 'CONFLICT',
      details: { entity: 'price', id: HOTEL, reason: 'repriced' },
    });
    expect(calls.applyBooking).toBe(3);
    expect(calls.readStay).toBe(3);
    expect(
      await raw.listReservations({ filter: { by: 'hotel', hotelId: HOTEL }, limit: 10 }),
    ).toEqual([]);
  });
});
