import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  addDays,
  type CalendarDay,
  createInnkeeper,
  createManualClock,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  fromEpochDay,
  type InnkeeperStore,
  type StayQuery,
  type StayView,
  toEpochDay,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { BLOCK_NIGHTS, PricingCache } from '../src/engine/pricing-cache.js';
import { cardReads } from './card-reads.js';
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

/** The blocks of BLOCK_NIGHTS nights that `dates` fall in. */
const blockCount = (dates: string[]) =>
  new Set(dates.map((date) => Math.floor(toEpochDay(date) / BLOCK_NIGHTS))).size;

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
    // Nights are held by blocks of 32 dates, each holding both room types read.
    expect(cache.size).toBe(blockCount(['2027-05-03', '2027-05-04']) * BLOCK_NIGHTS * 2);
  });

  test('a room type read later widens every block the hotel holds, as nightsAdding foretells', () => {
    const cache = new PricingCache({ maxRows: 1_000 });
    // May and June are two blocks apart or more: std in each, then suite in June only.
    const std = view('h', 1, [
      { roomTypeId: 'std', date: '2027-05-03' },
      { roomTypeId: 'std', date: '2027-06-20' },
    ]);
    expect(cache.nightsAdding(std)).toBe(2 * BLOCK_NIGHTS);
    cache.remember(std);
    expect(cache.size).toBe(2 * BLOCK_NIGHTS);
    const suite = view('h', 1, [{ roomTypeId: 'suite', date: '2027-06-20' }]);
    // Both blocks get a suite column, May's too, where no suite night was read.
    expect(cache.nightsAdding(suite)).toBe(2 * BLOCK_NIGHTS);
    cache.remember(suite);
    expect(cache.size).toBe(4 * BLOCK_NIGHTS);
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-04'))).not.toBeNull();
    expect(cache.lookup(query('h', ['suite'], '2027-06-20', '2027-06-21'))).not.toBeNull();
    expect(cache.lookup(query('h', ['suite'], '2027-05-03', '2027-05-04'))).toBeNull();
    // Forgetting the hotel gives all of it back.
    cache.forget('h');
    expect(cache.size).toBe(0);
  });

  test('reads at one revision add up; a read at another revision replaces the hotel', () => {
    const cache = new PricingCache({ maxRows: 100 });
    cache.remember(view('h', 1, [{ roomTypeId: 'std', date: '2027-05-03' }]));
    cache.remember(view('h', 1, [{ roomTypeId: 'std', date: '2027-05-04' }]));
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'))).not.toBeNull();
    expect(cache.size).toBe(blockCount(['2027-05-03', '2027-05-04']) * BLOCK_NIGHTS);
    cache.remember(view('h', 2, [{ roomTypeId: 'std', date: '2027-05-04', rate: 9_000 }]));
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-05'))).toBeNull();
    expect(cache.lookup(query('h', ['std'], '2027-05-04', '2027-05-05'))?.days[0]?.rate).toBe(
      9_000,
    );
    expect(cache.size).toBe(BLOCK_NIGHTS);
    cache.forget('h');
    expect(cache.size).toBe(0);
    expect(cache.lookup(query('h', ['std'], '2027-05-04', '2027-05-05'))).toBeNull();
  });

  test('over maxRows, drops the hotels least recently used down to nine tenths of it, never the one just read', () => {
    // Each hotel reads two nights of one block: BLOCK_NIGHTS nights held.
    const cache = new PricingCache({ maxRows: 5 * BLOCK_NIGHTS });
    const first = fromEpochDay(Math.ceil(toEpochDay('2027-05-01') / BLOCK_NIGHTS) * BLOCK_NIGHTS);
    const nights = (hotelId: string, count: number) =>
      view(
        hotelId,
        0,
        Array.from({ length: count }, (_, i) => ({ roomTypeId: 'std', date: addDays(first, i) })),
      );
    const has = (hotelId: string) =>
      cache.lookup(query(hotelId, ['std'], first, addDays(first, 2))) !== null;
    for (const hotelId of ['a', 'b', 'c', 'd', 'e']) cache.remember(nights(hotelId, 2));
    expect(cache.size).toBe(5 * BLOCK_NIGHTS);
    expect(has('a')).toBe(true); // a lookup: a is now the most recently used
    cache.remember(nights('b', 2)); // a read again: then b
    expect(cache.size).toBe(5 * BLOCK_NIGHTS);
    cache.remember(nights('f', 2));
    // 6 blocks: c, then d, go (least recently used first), down to 4 <= 4.5.
    expect(['c', 'd', 'e', 'a', 'b', 'f'].filter(has)).toEqual(['e', 'a', 'b', 'f']);
    expect(cache.size).toBe(4 * BLOCK_NIGHTS);
    // A read larger than the whole budget is still kept (alone).
    cache.remember(nights('g', 6 * BLOCK_NIGHTS));
    expect(['a', 'b', 'e', 'f', 'g'].filter(has)).toEqual(['g']);
    expect(cache.size).toBe(6 * BLOCK_NIGHTS);
  });

  test('keeps every field of a row as read, and knows a night never read inside a block', () => {
    const cache = new PricingCache({ maxRows: 1_000 });
    const stay = view('h', 1, [
      { roomTypeId: 'std', date: '2027-05-03', rate: 1_000_000_000_000 },
      { roomTypeId: 'std', date: '2027-05-05', rate: 0 },
    ]);
    const [day] = stay.days;
    if (!day) throw new Error('no day');
    stay.days[0] = {
      ...day,
      total: 100_000,
      overbookingLimit: 10_000,
      reserved: 110_000,
      stopSell: true,
    };
    cache.remember(stay);
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-04'))?.days).toEqual([
      stay.days[0],
    ]);
    expect(cache.lookup(query('h', ['std'], '2027-05-05', '2027-05-06'))?.days).toEqual([
      stay.days[1],
    ]);
    // 05-04 was never read (a store with no row for it): a miss, not a row of zeros.
    expect(cache.lookup(query('h', ['std'], '2027-05-03', '2027-05-06'))).toBeNull();
  });

  test('a room type read block by block, out of order, keeps every night as read', () => {
    // 20 blocks read last to first, three nights each, then every other night of each: the
    // arrays grow many times (by half), and every row must come back as it was read.
    const cache = new PricingCache({ maxRows: 10_000 });
    const first = fromEpochDay(Math.ceil(toEpochDay('2027-01-01') / BLOCK_NIGHTS) * BLOCK_NIGHTS);
    const rateOf = (n: number) => 10_000 + n;
    const night = (n: number) => ({ roomTypeId: 'std', date: addDays(first, n), rate: rateOf(n) });
    const blocks = Array.from({ length: 20 }, (_, b) => 19 - b);
    for (const b of blocks) {
      cache.remember(
        view(
          'h',
          1,
          [0, 1, 2].map((i) => night(b * BLOCK_NIGHTS + i)),
        ),
      );
    }
    for (const b of blocks) {
      const rest = Array.from({ length: BLOCK_NIGHTS - 3 }, (_, i) => i + 3).filter((i) => i % 2);
      cache.remember(
        view(
          'h',
          1,
          rest.map((i) => night(b * BLOCK_NIGHTS + i)),
        ),
      );
    }
    expect(cache.size).toBe(20 * BLOCK_NIGHTS);
    for (const b of blocks) {
      const from = b * BLOCK_NIGHTS;
      const read = cache.lookup(
        query('h', ['std'], addDays(first, from), addDays(first, from + 4)),
      );
      expect(read?.days.map((d) => d.rate)).toEqual([0, 1, 2, 3].map((i) => rateOf(from + i)));
      // Night 4 of each block was never read.
      expect(
        cache.lookup(query('h', ['std'], addDays(first, from + 4), addDays(first, from + 5))),
      ).toBeNull();
      const last = from + BLOCK_NIGHTS - 1;
      expect(
        cache.lookup(query('h', ['std'], addDays(first, last), addDays(first, last + 1)))?.days[0]
          ?.rate,
      ).toBe(rateOf(last));
    }
  });

  test('a read with a count beyond 32 bits is not kept, and drops what was held of the hotel', () => {
    const cache = new PricingCache({ maxRows: 1000 });
    const query = { hotelId: HOTEL, roomTypeIds: ['std'], from: '2027-05-03', to: '2027-05-04' };
    cache.remember(view(HOTEL, 1, [{ roomTypeId: 'std', date: '2027-05-03' }]));
    expect(cache.lookup(query)).not.toBeNull();
    const huge = view(HOTEL, 1, [{ roomTypeId: 'std', date: '2027-05-03' }]);
    huge.days = huge.days.map((d) => ({ ...d, total: 2 ** 31 }));
    cache.remember(huge);
    expect(cache.lookup(query)).toBeNull();
    expect(cache.size).toBe(0);
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

describe('warmPricingCache()', () => {
  /** Hotels `w0`, `w1`, ... each with one room type sold all May. */
  async function chain(store: InnkeeperStore, hotels: number, pricingCache?: { maxRows: number }) {
    const inn = createInnkeeper({
      store,
      clock: createManualClock(NOW),
      ...(pricingCache ? { pricingCache } : {}),
    });
    for (let i = 0; i < hotels; i++) {
      const hotelId = `w${i}`;
      await inn.createHotel({ id: hotelId, name: hotelId, timeZone: 'UTC', currency: 'EUR' });
      await inn.createRoomType({ hotelId, id: 'std', name: 'Std', maxAdults: 2, baseRate: 100 });
      await inn.setInventory({
        hotelId,
        roomTypeId: 'std',
        from: '2027-05-01',
        to: '2027-06-01',
        total: 5,
      });
    }
    return inn;
  }
  const stayAt = (hotelId: string, checkIn: string, checkOut: string) => ({
    hotelId,
    checkIn,
    checkOut,
    guest: GUEST,
    lines: LINES,
  });

  test('reads every active hotel once; their first bookings are then one store call each', async () => {
    const { store, calls } = countedStore();
    const inn = await chain(store, 3);
    await inn.deactivateHotel('w2');
    const before = { ...calls };
    const warmed = await inn.warmPricingCache({ from: '2027-05-01', nights: 31 });
    expect(warmed).toMatchObject({ hotels: 2, full: false });
    expect(warmed.nights).toBeGreaterThanOrEqual(2 * 31);
    expect((calls.readStay ?? 0) - (before.readStay ?? 0)).toBe(2);
    const booked = { ...calls };
    await inn.book({ ...stayAt('w0', '2027-05-10', '2027-05-12'), idempotencyKey: key() });
    await inn.book({ ...stayAt('w1', '2027-05-28', '2027-05-31'), idempotencyKey: key() });
    expect((calls.readStay ?? 0) - (booked.readStay ?? 0)).toBe(0);
    expect((calls.applyBooking ?? 0) - (booked.applyBooking ?? 0)).toBe(2);
  });

  test("works out what pricing keeps beside each hotel's rate card too: a first search reads none of its plans", async () => {
    // The store hands out the hotel's card with its plans and policies behind proxies that
    // count the reads of their elements (the same proxies for every read of one card).
    const { counted, reads } = cardReads();
    const raw = createMemoryStore();
    const store = new Proxy(raw, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'readStay') return value;
        return async (query: StayQuery) => {
          const stay = await target.readStay(query);
          return stay?.rateCard ? { ...stay, rateCard: counted(stay.rateCard) } : stay;
        };
      },
    }) as InnkeeperStore;
    const inn = await chain(store, 2);
    for (const hotelId of ['w0', 'w1']) {
      await inn.setRateCard({
        hotelId,
        ratePlans: [
          { id: 'bar', name: 'Best available', cancellationPolicyId: 'flex' },
          {
            id: 'nr',
            name: 'Non-refundable',
            derivedFrom: { ratePlanId: 'bar', percent: -10 },
            cancellationPolicyId: 'nonref',
          },
        ],
        cancellationPolicies: [
          { id: 'flex', name: 'Flexible' },
          { id: 'nonref', name: 'Non-refundable', nonRefundable: true },
        ],
      });
    }
    await inn.warmPricingCache({ hotelIds: ['w0'], from: '2027-05-01', nights: 31 });
    const stay = { checkIn: '2027-05-10', checkOut: '2027-05-12' };

    const warmed = reads();
    const offers = (await inn.search({ hotelId: 'w0', ...stay })).offers;
    expect(offers.map((offer) => offer.ratePlanId)).toEqual(['bar', 'nr']);
    expect(reads()).toBe(warmed);
    // A hotel not warmed works them out on its first search.
    await inn.search({ hotelId: 'w1', ...stay });
    expect(reads()).toBeGreaterThan(warmed);
  });

  test('a rate changed after warming: the booking is refused by the store and priced afresh', async () => {
    const { store } = countedStore();
    const inn = await chain(store, 1);
    await inn.warmPricingCache({ hotelIds: ['w0'], from: '2027-05-01', nights: 31 });
    await inn.setRates({
      hotelId: 'w0',
      roomTypeId: 'std',
      from: '2027-05-01',
      to: '2027-06-01',
      amount: 150,
    });
    const booking = await inn.book({
      ...stayAt('w0', '2027-05-10', '2027-05-12'),
      idempotencyKey: key(),
    });
    expect(booking.total).toBe(300);
  });

  test('stops before the budget would evict what it read (full), and names an unknown hotel', async () => {
    const { store, calls } = countedStore();
    // Room for two hotels' May (two blocks of nights each, at most), not three.
    const inn = await chain(store, 3, { maxRows: 5 * BLOCK_NIGHTS });
    const warmed = await inn.warmPricingCache({
      hotelIds: ['w0', 'w1', 'w2'],
      from: '2027-05-01',
      nights: 31,
    });
    expect(warmed.full).toBe(true);
    expect(warmed.hotels).toBe(2);
    expect(warmed.nights).toBeLessThanOrEqual(5 * BLOCK_NIGHTS);
    const before = { ...calls };
    await inn.book({ ...stayAt('w0', '2027-05-10', '2027-05-12'), idempotencyKey: key() });
    expect((calls.readStay ?? 0) - (before.readStay ?? 0)).toBe(0);
    expect(await errorOf(() => inn.warmPricingCache({ hotelIds: ['nope'] }))).toMatchObject({
      code: 'NOT_FOUND',
      details: { entity: 'hotel', id: 'nope' },
    });
  });

  test('bad input and a cache that is off: VALIDATION', async () => {
    const { store } = countedStore();
    const inn = await chain(store, 1);
    for (const bad of [{ nights: 0 }, { from: '2027-02-30' }, { hotelIds: [] }, { extra: 1 }]) {
      expect((await errorOf(() => inn.warmPricingCache(bad as never))).code).toBe('VALIDATION');
    }
    const off = createInnkeeper({ store, clock: createManualClock(NOW), pricingCache: false });
    const error = await errorOf(() => off.warmPricingCache());
    expect(error).toMatchObject({ code: 'VALIDATION' });
    expect(error.message).toMatch(/pricing cache is off/);
  });
});
