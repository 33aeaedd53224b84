import { day, HOTEL_ID } from '@innkeeper/conformance';
import type { InnkeeperStore } from '@innkeeper/core';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { createChangeFeedRelay, createRedisAvailabilityCache } from '../src/index.js';
import {
  allEvents,
  availabilityIn,
  memoryFixture,
  stayRequest,
  tolerate,
  WINDOW,
} from './support/fixture-ops.js';
import { describeWithRedis, dropPrefix, newRedis, uniquePrefix } from './support/test-redis.js';

/**
 * The cache's central promise: once the relay has caught up, every cached value equals
 * the store's, whatever happened before — fills racing the relay, events delivered twice
 * or out of order, a relay killed mid-feed and a new one resuming from the Redis cursor.
 */

const redis = newRedis();
afterAll(() => redis.quit());

const ROOM_TYPES = ['std', 'suite', 'dorm'] as const;

const stay = {
  rt: fc.constantFrom(...ROOM_TYPES),
  start: fc.integer({ min: 0, max: 20 }),
  nights: fc.integer({ min: 1, max: 5 }),
};

const op = fc.oneof(
  fc.record({ kind: fc.constant('book' as const), ...stay, rooms: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('hold' as const), ...stay, rooms: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), ...stay }),
  fc.record({ kind: fc.constant('expire' as const), minutes: fc.integer({ min: 1, max: 30 }) }),
  fc.record({
    kind: fc.constant('setInventory' as const),
    ...stay,
    total: fc.integer({ min: 0, max: 15 }),
  }),
  // A search fills Redis from the store while the relay lags behind.
  fc.record({ kind: fc.constant('search' as const), ...stay }),
  fc.record({ kind: fc.constant('relay' as const) }),
  // The relay dies after one small batch; the next relay is a new instance.
  fc.record({ kind: fc.constant('crash' as const) }),
  // Past events (some not yet relayed) delivered again, in a shuffled order.
  fc.record({
    kind: fc.constant('replay' as const),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
  }),
);

describeWithRedis('relay + cache against the memory store (fast-check)', () => {
  test('after any sequence of book/hold/cancel/modify/expire and catchUp(), cache.readStay equals store.readStay over the whole window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const prefix = uniquePrefix('prop');
        const { inn, store, clock } = await memoryFixture();
        const cache = createRedisAvailabilityCache({ redis, store, keyPrefix: prefix });
        const newRelay = (feed: Pick<InnkeeperStore, 'readEvents' | 'saveFeedCursor'> = store) =>
          createChangeFeedRelay({ redis, store: feed, keyPrefix: prefix, batchSize: 3 });
        let relay = newRelay();
        const ids: string[] = [];
        try {
          // Warm everything, so the final comparison reads Redis, not the store.
          await relay.catchUp();
          await cache.readStay(WINDOW);

          for (const o of ops) {
            switch (o.kind) {
              case 'book':
              case 'hold':
                await tolerate(async () => {
                  const request = stayRequest(o.rt, o.start, o.nights, o.rooms);
                  const r = o.kind === 'book' ? await inn.book(request) : await inn.hold(request);
                  ids.push(r.id);
                });
                break;
              case 'cancel':
                if (ids.length > 0) {
                  await tolerate(() =>
                    inn.cancel({ reservationId: ids[o.pick % ids.length] as string }),
                  );
                }
                break;
              case 'modify':
                if (ids.length > 0) {
                  await tolerate(() =>
                    inn.modify({
                      reservationId: ids[o.pick % ids.length] as string,
                      checkIn: day(o.start),
                      checkOut: day(o.start + o.nights),
                    }),
                  );
                }
                break;
              case 'expire':
                clock.advance(o.minutes * 60_000);
                await inn.expireHolds();
                break;
              case 'setInventory':
                await tolerate(() =>
                  inn.setInventory({
                    hotelId: HOTEL_ID,
                    roomTypeId: o.rt,
                    from: day(o.start),
                    to: day(o.start + o.nights),
                    total: o.total,
                  }),
                );
                break;
              case 'search':
                await cache.readStay({
                  hotelId: HOTEL_ID,
                  roomTypeIds: [o.rt],
                  from: day(o.start),
                  to: day(o.start + o.nights),
                });
                break;
              case 'relay':
                await relay.catchUp();
                break;
              case 'crash': {
                let reads = 0;
                const dying = newRelay({
                  readEvents: (after, limit) => {
                    if (reads++ >= 1) throw new Error('relay killed');
                    return store.readEvents(after, limit);
                  },
                  saveFeedCursor: (cursor) => store.saveFeedCursor(cursor),
                });
                await dying.catchUp().catch(() => {});
                relay = newRelay();
                break;
              }
              case 'replay': {
                const events = await allEvents(store);
                if (events.length > 0) {
                  await relay.apply(
                    o.picks.map((p) => events[p % events.length]).filter((e) => e !== undefined),
                  );
                }
                break;
              }
            }
          }

          // A fresh relay instance: it must resume from the Redis cursor, not replay all.
          const resumed = newRelay();
          const from = await resumed.storedCursor();
          const applied = await resumed.catchUp();
          const events = await allEvents(store);
          expect(applied).toBe(events.filter((e) => e.seq > from).length);
          expect(await resumed.storedCursor()).toBe(events.at(-1)?.seq ?? 0);
          expect(await resumed.lag()).toEqual({ events: 0, ms: 0 });

          const missesBefore = cache.stats().misses;
          expect(await cache.readStay(WINDOW)).toEqual(await availabilityIn(store, WINDOW));
          expect(cache.stats().misses).toBe(missesBefore);
          for (const rt of ROOM_TYPES) {
            const q = { ...WINDOW, roomTypeIds: [rt] };
            expect(await cache.readStay(q)).toEqual(await availabilityIn(store, q));
          }
        } finally {
          await dropPrefix(redis, prefix);
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
