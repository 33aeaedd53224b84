import { bookingRequest, day, HOTEL_ID } from '@innkeeper/conformance';
import {
  createInnkeeper,
  type InnkeeperStore,
  type PaymentRecord,
  type RateCard,
} from '@innkeeper/core';
import { decideNoShow, decideRefundRecorded, decideRelease } from '@innkeeper/core/store';
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import {
  type ChangeFeedRelay,
  createChangeFeedRelay,
  createRedisAvailabilityCache,
  type RedisAvailabilityCache,
} from '../src/index.js';
import { readDays } from '../src/redis-scripts.js';
import { availabilityIn, bookPlanned, memoryFixture, WINDOW } from './support/fixture-ops.js';
import {
  deadRedis,
  describeWithRedis,
  dropPrefix,
  newRedis,
  uniquePrefix,
} from './support/test-redis.js';

const redis = newRedis();
afterAll(() => redis.quit());

type Fix = Awaited<ReturnType<typeof memoryFixture>>;
let fix: Fix;
let prefix: string;
let cache: RedisAvailabilityCache;
let relay: ChangeFeedRelay;
let storeReads: number;

/** The fixture's store, counting `readStay` calls (the cache's misses reach it). */
function counting(store: InnkeeperStore): InnkeeperStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'readStay') {
        return (query: Parameters<InnkeeperStore['readStay']>[0]) => {
          storeReads++;
          return target.readStay(query);
        };
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A cache on the fixture's store and the test's prefix, keeping catalogs `ttlMs`. */
function cacheWithTtl(ttlMs: number): RedisAvailabilityCache {
  return createRedisAvailabilityCache({
    redis,
    store: fix.store,
    keyPrefix: prefix,
    catalogTtlMs: ttlMs,
  });
}

/** The name `cache` serves for the fixture's `std` room type. */
async function nameOfStdIn(cache: RedisAvailabilityCache): Promise<string | undefined> {
  return (await cache.readStay(stay))?.roomTypes.find((rt) => rt.id === 'std')?.name;
}

beforeEach(async () => {
  fix = await memoryFixture();
  prefix = uniquePrefix('cache');
  storeReads = 0;
  cache = createRedisAvailabilityCache({ redis, store: counting(fix.store), keyPrefix: prefix });
  relay = createChangeFeedRelay({
    redis,
    store: fix.store,
    keyPrefix: prefix,
    now: () => fix.clock.now(),
  });
  // Relay the fixture's inventory events, then start cold (the cursor stays).
  await relay.catchUp();
  await relay.rebuild();
});
afterEach(async () => {
  await relay.stop();
  await dropPrefix(redis, prefix);
  await fix.store.close();
});

const stay = { hotelId: HOTEL_ID, from: day(1), to: day(8) };
const DAY_MS = 86_400_000;

describeWithRedis('createRedisAvailabilityCache()', () => {
  test('readStay() on a cold cache reads the store once, then serves the same answer from Redis', async () => {
    const first = await cache.readStay(stay);
    expect(first).toEqual(await availabilityIn(fix.store, stay));
    expect(storeReads).toBe(1);
    expect(await cache.readStay(stay)).toEqual(first);
    expect(storeReads).toBe(1);
    expect(cache.stats()).toEqual({ hits: 3, misses: 3, fallbacks: 0, catalogLoads: 1 });
  });

  test('readStay() of an unknown hotel returns null; roomTypeIds narrows the answer like the store', async () => {
    expect(await cache.readStay({ ...stay, hotelId: 'nope' })).toBeNull();
    const q = { ...stay, roomTypeIds: ['suite', 'missing'] };
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
  });

  test('a booking reaches the cached rows through the relay, and search() through the cache shows it', async () => {
    await cache.readStay(stay);
    await fix.inn.book(bookingRequest({ checkIn: day(2), checkOut: day(4) }));
    expect((await relay.lag()).events).toBe(1);
    expect(await relay.catchUp()).toBe(1);
    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(storeReads).toBe(1);

    const cached = createInnkeeper({ store: fix.store, availability: cache, clock: fix.clock });
    const request = { hotelId: HOTEL_ID, checkIn: day(2), checkOut: day(4), rooms: 1, adults: 1 };
    expect(await cached.search(request)).toEqual(await fix.inn.search(request));
  });

  test('a fill that read the store before a change was relayed never overwrites the newer row', async () => {
    const racing = createRedisAvailabilityCache({
      redis,
      keyPrefix: prefix,
      store: {
        getHotel: (id) => fix.store.getHotel(id),
        listRoomTypes: (id) => fix.store.listRoomTypes(id),
        getRateCard: (id) => fix.store.getRateCard(id),
        readStays: (query) => fix.store.readStays(query),
        listHotels: (query) => fix.store.listHotels(query),
        // Read the store, then let a booking commit and be relayed before the fill lands.
        readStay: async (query) => {
          const stale = await fix.store.readStay(query);
          await fix.inn.book(bookingRequest({ checkIn: day(2), checkOut: day(3) }));
          await relay.catchUp();
          return stale;
        },
      },
    });
    const q = { ...stay, roomTypeIds: ['std'] };
    const stale = await racing.readStay(q);
    expect(stale?.days.find((d) => d.roomTypeId === 'std' && d.date === day(2))?.reserved).toBe(0);
    // The relayed booking (newer seq) survived the stale fill.
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
    expect(storeReads).toBe(0);
  });

  test('Redis flushed: the cache refills lazily with the right values and the relay carries on', async () => {
    await cache.readStay(WINDOW);
    await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    await relay.catchUp();
    await dropPrefix(redis, prefix); // cursor included
    expect(await cache.readStay(WINDOW)).toEqual(await availabilityIn(fix.store, WINDOW));
    await fix.inn.book(bookingRequest({ checkIn: day(2), checkOut: day(5) }));
    expect(await relay.catchUp()).toBe(1);
    expect(await cache.readStay(WINDOW)).toEqual(await availabilityIn(fix.store, WINDOW));
    expect(cache.stats().misses).toBe(6);
  });

  test('rebuild(hotelId) drops the hotel calendar but keeps the cursor; the next read refills', async () => {
    await cache.readStay(stay);
    const cursor = await relay.storedCursor();
    await redis.hset(`${prefix}day/${day(1)}`, 'other/std', '1|1|0|0|0|-');
    // Three room types over seven nights; the other hotel's value stays.
    expect(await relay.rebuild(HOTEL_ID)).toBe(3 * 7);
    expect(await redis.hget(`${prefix}day/${day(1)}`, 'other/std')).toBe('1|1|0|0|0|-');
    expect(await relay.storedCursor()).toBe(cursor);
    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(storeReads).toBe(2);
    // Everything, and whatever the layout before date hashes left.
    await redis.hset(`${prefix}cal/${HOTEL_ID}/std`, day(1), '1|1|0|0|0|-');
    expect(await cache.rebuild()).toBe(3 * 7 + 1);
    expect(await redis.exists(`${prefix}cal/${HOTEL_ID}/std`, `${prefix}day/${day(1)}`)).toBe(0);
  });

  test('dropPastDates() deletes the cached dates before the cut-off (of one hotel, or all), keeps the rest; the relay does it on its own', async () => {
    await cache.readStay(stay); // days 1 to 7 of three room types
    const datesOf = async (field: string) => {
      const keys = [1, 2, 3, 4, 5, 6, 7].map((d) => `${prefix}day/${day(d)}`);
      const held = await Promise.all(keys.map((key) => redis.hexists(key, field)));
      return [1, 2, 3, 4, 5, 6, 7].filter((_, i) => held[i]).map(day);
    };
    await redis.hset(`${prefix}day/${day(1)}`, 'other/std', '1|1|0|0|0|-');
    expect(await cache.dropPastDates(day(3), HOTEL_ID)).toBe(3 * 2);
    expect(await datesOf(`${HOTEL_ID}/std`)).toEqual([3, 4, 5, 6, 7].map(day));
    expect(await datesOf('other/std')).toEqual([day(1)]);
    // Every hotel's: the past dates' hashes go whole.
    expect(await relay.dropPastDates(day(4))).toBe(3 + 1);
    expect(await redis.exists(`${prefix}day/${day(1)}`, `${prefix}day/${day(3)}`)).toBe(0);
    expect(await cache.readStay({ hotelId: HOTEL_ID, from: day(4), to: day(8) })).toEqual(
      await availabilityIn(fix.store, { hotelId: HOTEL_ID, from: day(4), to: day(8) }),
    );
    await expect(cache.dropPastDates('soon')).rejects.toMatchObject({ code: 'VALIDATION' });
    // A running relay drops what is before yesterday (UTC): the fixture's dates are to come.
    const old = `${prefix}day/2001-01-01`;
    await redis.hset(old, `${HOTEL_ID}/std`, '1|1|0|0|0|-');
    const running = createChangeFeedRelay({ redis, store: fix.store, keyPrefix: prefix });
    await running.start();
    for (let i = 0; i < 100 && (await redis.exists(old)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await running.stop();
    expect(await redis.exists(old)).toBe(0);
    expect(await redis.hexists(`${prefix}day/${day(4)}`, `${HOTEL_ID}/std`)).toBe(1);
  });

  test('the relay keeps its named cursor in the store, so pruning never passes what Redis holds', async () => {
    const { inn, clock } = fix;
    await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    await relay.catchUp();
    const held = await relay.storedCursor();
    expect(await inn.listFeedCursors()).toEqual([
      { name: 'redis-relay', seq: held, updatedAt: clock.now().toISOString() },
    ]);
    // Two bookings the relay has not applied yet, then a week and a day: they are past
    // the retention, but the relay's cursor keeps them.
    await inn.book(bookingRequest({ checkIn: day(10), checkOut: day(12) }));
    await inn.book(bookingRequest({ checkIn: day(10), checkOut: day(11) }));
    clock.advance(8 * DAY_MS);
    await inn.book(bookingRequest({ checkIn: day(10), checkOut: day(13) }));
    const run = await inn.pruneEvents();
    expect(run.prunedThrough).toBe(held);
    expect(run.heldBy).toBe('redis-relay');
    expect(await relay.catchUp()).toBe(3);
    expect(await cache.readStay(WINDOW)).toEqual(await availabilityIn(fix.store, WINDOW));
    const named = createChangeFeedRelay({
      redis,
      store: fix.store,
      keyPrefix: prefix,
      cursorName: 'redis-eu',
      now: () => clock.now(),
    });
    await named.catchUp();
    expect((await inn.listFeedCursors()).map((c) => c.name)).toEqual(['redis-eu', 'redis-relay']);
  });

  test('a relay behind what was pruned reports FEED_PRUNED, drops the cached calendar and reads on: the cache equals the store', async () => {
    const { inn, clock } = fix;
    await cache.readStay(WINDOW);
    await relay.catchUp();
    await relay.stop();
    // The relay is gone for longer than its cursor is kept: its cursor is abandoned and
    // what it never read is pruned.
    clock.advance(31 * DAY_MS);
    await inn.book(bookingRequest({ checkIn: day(33), checkOut: day(35) }));
    await inn.book(bookingRequest({ checkIn: day(34), checkOut: day(36) }));
    clock.advance(8 * DAY_MS);
    await inn.book(bookingRequest({ checkIn: day(40), checkOut: day(41) }));
    const run = await inn.pruneEvents();
    expect(run.abandoned).toEqual(['redis-relay']);
    const errors: unknown[] = [];
    const back = createChangeFeedRelay({
      redis,
      store: fix.store,
      keyPrefix: prefix,
      onError: (error) => errors.push(error),
      now: () => clock.now(),
    });
    expect(await back.catchUp()).toBe(1);
    expect(errors).toMatchObject([
      { code: 'FEED_PRUNED', details: { prunedThrough: run.prunedThrough } },
    ]);
    expect(await back.storedCursor()).toBe(run.prunedThrough + 1);
    expect(await cache.readStay(WINDOW)).toEqual(await availabilityIn(fix.store, WINDOW));
    const [cursor] = await inn.listFeedCursors();
    expect(cursor).toMatchObject({ name: 'redis-relay', seq: run.prunedThrough + 1 });
  });

  test('garbage and foreign keys under the prefix are never trusted: a miss, then repaired', async () => {
    await cache.readStay(stay);
    const std = `${HOTEL_ID}/std`;
    await redis.hset(`${prefix}day/${day(1)}`, std, 'nonsense');
    await redis.hset(`${prefix}day/${day(2)}`, std, '999|1|0|5|0|-'); // reserved above total + overbooking
    await redis.hset(`${prefix}day/${day(3)}`, std, '999999|50|5|0|0|-'); // well-formed, but past the cursor
    await redis.hset(`${prefix}day/${day(3)}`, `${HOTEL_ID}/suite`, '999|1|0|1|maybe|-');
    await redis.del(`${prefix}day/${day(5)}`);
    await redis.set(`${prefix}day/${day(5)}`, 'not a hash');
    await redis.set(`${prefix}day/garbage`, '{"total":99}');
    await redis.set(`${prefix}cursor`, 'garbage');
    storeReads = 0;

    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(storeReads).toBe(1);
    // Repaired by that fill: served from Redis again, still right.
    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(storeReads).toBe(1);
    expect(await redis.type(`${prefix}day/${day(5)}`)).toBe('hash');

    // The relay reads a garbage cursor as "from the start", which is safe.
    await fix.inn.book(bookingRequest());
    await relay.catchUp();
    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
  });

  test("one read asks for thousands of (hotel, room type) fields: paged under Lua's unpack limit, in order", async () => {
    const key = `${prefix}day/${day(1)}`;
    const fields = Array.from({ length: 9_500 }, (_, i) => `h${i}/std`);
    await redis.hset(key, 'h0/std', '1|-', 'h4321/std', '2|-', 'h9499/std', '3|-');
    const { values, cursor } = await readDays(redis, [key], `${prefix}cursor`, fields);
    const joined = values[0]?.split(',');
    expect(joined).toHaveLength(9_500);
    expect([joined?.[0], joined?.[4321], joined?.[9499]]).toEqual(['1|-', '2|-', '3|-']);
    expect(joined?.filter((value) => value !== '')).toHaveLength(3);
    expect(cursor).not.toBeUndefined();
  });

  test('a value with a comma in it (a foreign writer) makes its date miss for every field, not shift the others', async () => {
    const q = { ...stay, roomTypeIds: ['std', 'suite'] };
    await cache.readStay(q);
    expect(storeReads).toBe(1);
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
    expect(storeReads).toBe(1);
    await redis.hset(`${prefix}day/${day(3)}`, `${HOTEL_ID}/std`, '1|5,0|0|0|-');
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
    expect(storeReads).toBe(2);
  });

  test('a well-formed value carrying a seq past the cursor (forged, or delivered early) is not served', async () => {
    const q = { ...stay, roomTypeIds: ['suite'] };
    await cache.readStay(q);
    await redis.hset(`${prefix}day/${day(3)}`, `${HOTEL_ID}/suite`, '999999|50|5|0|0|-');
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
    expect(storeReads).toBe(2);
    expect(await cache.readStay(q)).toEqual(await availabilityIn(fix.store, q));
    expect(storeReads).toBe(2); // the fill replaced it
  });

  test('while a relay follows the feed, catalogs are not read again on a timer; once it falls silent, the TTL applies', async () => {
    const short = cacheWithTtl(200);
    // beforeEach's catchUp() reached the end of the feed: the relay's mark is fresh.
    expect(Number(await redis.hget(`${prefix}catalog`, '!relay'))).toBeGreaterThan(
      Date.now() - 5_000,
    );
    await short.readStay(stay);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await short.readStay(stay);
    expect(short.stats().catalogLoads).toBe(1);
    // A mark older than ten seconds: nothing vouches for the versions any more.
    await redis.hset(`${prefix}catalog`, '!relay', String(Date.now() - 11_000));
    await short.readStay(stay);
    expect(short.stats().catalogLoads).toBe(2);
  });

  test('Redis flushed under a running relay: the catalog marks went with it, so every catalog counts as changed', async () => {
    const long = cacheWithTtl(3_600_000);
    const nameOfStd = () => nameOfStdIn(long);
    expect(await nameOfStd()).toBe('Standard');
    await fix.inn.updateRoomType({ hotelId: HOTEL_ID, id: 'std', name: 'Renamed' });
    await relay.catchUp();
    await dropPrefix(redis, prefix); // before the cache read the hotel's mark
    await relay.catchUp();
    expect(await nameOfStd()).toBe('Renamed');
  });

  test('with no relay following the feed, the catalog is kept in process: refreshed in the background after half its TTL, never served past it', async () => {
    const short = cacheWithTtl(200);
    await redis.hdel(`${prefix}catalog`, '!relay');
    await short.readStay(stay);
    await short.readStay(stay);
    expect(short.stats().catalogLoads).toBe(1);
    await fix.inn.updateRoomType({ hotelId: HOTEL_ID, id: 'std', name: 'Renamed' });
    const nameOfStd = () => nameOfStdIn(short);
    expect(await nameOfStd()).toBe('Standard');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await nameOfStd()).toBe('Standard'); // served while the refresh runs
    await expect.poll(nameOfStd, { timeout: 1_000, interval: 5 }).toBe('Renamed');
    expect(short.stats().catalogLoads).toBe(2);
  });

  test('a catalog change reaches the cache through the relay: the next read reloads the hotel, well within the TTL', async () => {
    const long = cacheWithTtl(3_600_000);
    const nameOfStd = () => nameOfStdIn(long);
    expect(await nameOfStd()).toBe('Standard');
    await fix.inn.updateRoomType({ hotelId: HOTEL_ID, id: 'std', name: 'Renamed' });
    expect(await nameOfStd()).toBe('Standard'); // not relayed yet
    await relay.catchUp();
    expect(await nameOfStd()).toBe('Renamed');
    await fix.inn.deactivateHotel(HOTEL_ID);
    await relay.catchUp();
    expect((await long.readStay(stay))?.hotel.active).toBe(false);
    await fix.inn.upsertRatePlan({
      hotelId: HOTEL_ID,
      expectedRevision: 0,
      ratePlan: { id: 'flex', name: 'Flexible' },
    });
    await relay.catchUp();
    expect((await long.readStay(stay))?.rateCard?.ratePlans.map((p) => p.id)).toEqual(['flex']);
    expect(long.stats().catalogLoads).toBe(4);
    // Bookings are not catalog changes: no reload.
    await fix.inn.reactivateHotel(HOTEL_ID);
    await relay.catchUp();
    await long.readStay(stay);
    await fix.inn.book(bookingRequest());
    await relay.catchUp();
    await long.readStay(stay);
    expect(long.stats().catalogLoads).toBe(5);
  });

  test('readStays() answers like the store for many hotels, filling what missed from one store read', async () => {
    for (const id of ['h2', 'h3']) {
      await fix.inn.createHotel({ id, name: id, timeZone: 'UTC', currency: 'EUR' });
      await fix.inn.createRoomType({
        id: 'dbl',
        hotelId: id,
        name: 'Double',
        maxAdults: 2,
        baseRate: 7_000,
      });
      await fix.inn.setInventory({
        hotelId: id,
        roomTypeId: 'dbl',
        from: day(1),
        to: day(8),
        total: 3,
      });
    }
    await relay.catchUp();
    const query = { hotelIds: ['h3', 'nope', HOTEL_ID, 'h2'], from: day(1), to: day(8) };
    const expected = await fix.store.readStays(query);
    expect(await cache.readStays(query)).toEqual(expected);
    expect(await cache.readStays(query)).toEqual(expected);
    // h2 and h3 came with the relayed inventory; the fixture's hotel was dropped by rebuild().
    expect(cache.stats()).toMatchObject({ hits: 7, misses: 3, fallbacks: 0 });
    await fix.inn.book(bookingRequest({ checkIn: day(2), checkOut: day(4) }));
    await relay.catchUp();
    expect(await cache.readStays(query)).toEqual(await fix.store.readStays(query));

    const cached = createInnkeeper({ store: fix.store, availability: cache, clock: fix.clock });
    await fix.inn.updateHotel({
      id: 'h2',
      address: { lines: ['1 Rua'], city: 'Faro', country: 'PT' },
    });
    await fix.inn.updateHotel({
      id: 'h3',
      address: { lines: ['2 Rua'], city: 'Faro', country: 'PT' },
    });
    await relay.catchUp();
    const search = { city: 'Faro', checkIn: day(2), checkOut: day(4), adults: 2 };
    expect(await cached.searchHotels(search)).toEqual(await fix.inn.searchHotels(search));
    expect((await cached.searchHotels(search)).total).toBe(2);

    // The area's hotel list is kept until the relay applies a hotel write.
    const inFaro = { cityKey: 'faro', active: true, limit: 10 };
    expect((await cache.listHotels(inFaro)).map((h) => h.id)).toEqual(['h2', 'h3']);
    await fix.inn.deactivateHotel('h3');
    expect((await cache.listHotels(inFaro)).map((h) => h.id)).toEqual(['h2', 'h3']);
    await relay.catchUp();
    expect((await cache.listHotels(inFaro)).map((h) => h.id)).toEqual(['h2']);
    expect((await cached.searchHotels(search)).total).toBe(1);
  });

  test('readStay() returns the rate card loaded with the catalog: a new card shows after the TTL or rebuild(), and each answer is read-only (frozen)', async () => {
    const card = (revision: number, checkInTime: string): RateCard => ({
      hotelId: HOTEL_ID,
      revision,
      updatedAt: `2030-06-01T0${revision}:00:00.000Z`,
      checkInTime,
      ratePlans: [{ id: 'flex', name: 'Flexible', lengthOfStayDiscounts: [] }],
      restrictions: [],
      taxes: [{ id: 'city', name: 'City tax', kind: 'per-room-night', amount: 250 }],
      cancellationPolicies: [],
    });
    expect((await cache.readStay(stay))?.rateCard).toBeNull();
    expect(await fix.store.putRateCard(card(1, '15:00'), 0)).toBe('updated');
    // Within the catalog TTL the card read with the catalog is still served.
    expect((await cache.readStay(stay))?.rateCard).toBeNull();
    await cache.rebuild(HOTEL_ID);
    const first = await cache.readStay(stay);
    expect(first?.rateCard).toEqual(card(1, '15:00'));
    expect(first).toEqual(await availabilityIn(fix.store, stay));
    expect(() => first?.rateCard?.taxes.splice(0)).toThrow(TypeError);
    expect((await cache.readStay(stay))?.rateCard).toEqual(card(1, '15:00'));
    expect(cache.stats().catalogLoads).toBe(2);

    const uncached = createRedisAvailabilityCache({
      redis,
      store: fix.store,
      keyPrefix: prefix,
      catalogTtlMs: 0,
    });
    expect(await fix.store.putRateCard(card(2, '14:00'), 1)).toBe('updated');
    expect((await uncached.readStay(stay))?.rateCard).toEqual(card(2, '14:00'));
  });

  test('the relay carries released, no-show and payment events (with and without days) into the rows', async () => {
    await cache.readStay(stay);
    const charge: PaymentRecord = {
      status: 'pending',
      idempotencyKey: 'pay-1',
      amount: 20_000,
      currency: 'EUR',
      chargeId: null,
      declineReason: null,
      refunded: 0,
      refundDue: 0,
    };
    await bookPlanned(fix.store, 'held', day(2), day(4), { status: 'held', payment: charge });
    await bookPlanned(fix.store, 'stay', day(2), day(4), {
      payment: { ...charge, idempotencyKey: 'pay-2', status: 'charged', chargeId: 'ch-2' },
      cancellation: {
        checkInAt: `${day(2)}T13:00:00.000Z`,
        freeUntil: null,
        windows: [],
        noShowFee: 10_000,
      },
    });
    expect(await relay.catchUp()).toBe(2);
    expect(
      (await cache.readStay(stay))?.days.find((d) => d.roomTypeId === 'std' && d.date === day(2))
        ?.reserved,
    ).toBe(2);

    const at = `${day(3)}T00:00:00.000Z`;
    const outcomes = [
      await fix.store.changeReservation('held', (r) =>
        decideRelease(r, at, 'payment declined', {
          ...charge,
          status: 'declined',
          declineReason: 'card declined',
        }),
      ),
      await fix.store.changeReservation('stay', (r) => decideNoShow(r, at)),
      await fix.store.changeReservation('stay', (r) => decideRefundRecorded(r, at, 're-1')),
    ];
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied']);
    const events = (await fix.store.readEvents(0, 100_000)).slice(-3);
    expect(events.map((e) => [e.type, e.days.length])).toEqual([
      ['reservation.released', 2],
      ['reservation.no-show', 2],
      ['reservation.payment', 0],
    ]);

    expect(await relay.catchUp()).toBe(3);
    expect(await relay.storedCursor()).toBe(events[2]?.seq);
    const cached = await cache.readStay(stay);
    expect(cached).toEqual(await availabilityIn(fix.store, stay));
    expect(cached?.days.find((d) => d.roomTypeId === 'std' && d.date === day(2))?.reserved).toBe(0);
    expect(storeReads).toBe(1); // all served from Redis after the first fill
  });

  test('start() relays bookings in the background by polling; stop() ends the loop', async () => {
    const polling = createChangeFeedRelay({
      redis,
      store: fix.store,
      keyPrefix: prefix,
      pollIntervalMs: 5,
      maxPollIntervalMs: 20,
    });
    await polling.start();
    await cache.readStay(stay);
    await fix.inn.book(
      bookingRequest({
        checkIn: day(3),
        checkOut: day(5),
        lines: [{ roomTypeId: 'suite', rooms: 1, adults: 1 }],
      }),
    );
    await expect.poll(() => polling.lag(), { timeout: 5_000 }).toEqual({ events: 0, ms: 0 });
    expect(await cache.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    await polling.stop();
  });
});

describeWithRedis('Redis unreachable', () => {
  test('search() answers from the store (counted as a fallback) and booking is unaffected', async () => {
    const dead = deadRedis();
    const errors: unknown[] = [];
    const down = createRedisAvailabilityCache({
      redis: dead,
      store: fix.store,
      keyPrefix: prefix,
      onError: (e) => errors.push(e),
    });
    const inn = createInnkeeper({ store: fix.store, availability: down, clock: fix.clock });
    const request = { hotelId: HOTEL_ID, checkIn: day(2), checkOut: day(4), rooms: 1, adults: 1 };
    expect(await inn.search(request)).toEqual(await fix.inn.search(request));
    const booked = await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(4) }));
    expect(booked.status).toBe('confirmed');
    expect(await down.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(down.stats().fallbacks).toBe(2);
    expect(errors).toHaveLength(2);

    const deadRelay = createChangeFeedRelay({ redis: dead, store: fix.store, keyPrefix: prefix });
    await expect(deadRelay.catchUp()).rejects.toThrow();
    dead.disconnect();
  });

  test('a Redis that never answers is abandoned after redisTimeoutMs', async () => {
    const hanging = {
      ...redis,
      evalsha: () => new Promise(() => {}),
    } as unknown as typeof redis;
    const slow = createRedisAvailabilityCache({
      redis: hanging,
      store: fix.store,
      keyPrefix: prefix,
      redisTimeoutMs: 20,
    });
    expect(await slow.readStay(stay)).toEqual(await availabilityIn(fix.store, stay));
    expect(slow.stats().fallbacks).toBe(1);
  });
});
