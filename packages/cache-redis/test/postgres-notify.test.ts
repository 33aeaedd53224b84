import { randomBytes } from 'node:crypto';
import {
  createPostgresStore,
  createPostgresWake,
  installNotifyTrigger,
  migrate,
} from '@innkeeper/adapter-postgres';
import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createChangeFeedRelay, createRedisAvailabilityCache } from '../src/index.js';
import { availabilityIn } from './support/fixture-ops.js';
import { describeWithRedis, dropPrefix, newRedis, uniquePrefix } from './support/test-redis.js';

const databaseUrl = inject('databaseUrl');
const describePg = databaseUrl ? describeWithRedis : describeWithRedis.skip;

describePg('on Postgres, woken by LISTEN/NOTIFY', () => {
  const schema = `ik_cache_${randomBytes(4).toString('hex')}`;
  const prefix = uniquePrefix('pg');
  let pool: pg.Pool;
  const redis = newRedis();

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 6 });
    pool.on('error', () => {});
    await migrate({ pool }, { schema });
    // The store's change notifications (adapter-postgres has their own tests).
    await installNotifyTrigger(pool, schema, 'innkeeper_cache_test');
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  test('a booking made through the Postgres store reaches Redis without polling', async () => {
    const store = createPostgresStore({ pool }, { schema });
    const { inn } = await createFixture(store);
    const cache = createRedisAvailabilityCache({ redis, store, keyPrefix: prefix });
    const relay = createChangeFeedRelay({
      redis,
      store,
      keyPrefix: prefix,
      // Polling alone would take a minute: only the notification can wake it in time.
      maxPollIntervalMs: 60_000,
      wake: createPostgresWake(pool, 'innkeeper_cache_test'),
    });
    await relay.start();
    try {
      await expect.poll(() => relay.lag(), { timeout: 5_000 }).toMatchObject({ events: 0 });
      const stay = { hotelId: HOTEL_ID, from: day(1), to: day(8) };
      await cache.readStay(stay);
      const misses = cache.stats().misses;

      const started = Date.now();
      await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(5) }));
      await expect
        .poll(
          async () =>
            (await cache.readStay(stay))?.days.find(
              (d) => d.roomTypeId === 'std' && d.date === day(2),
            )?.reserved,
          {
            timeout: 5_000,
            interval: 10,
          },
        )
        .toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(cache.stats().misses).toBe(misses); // served from Redis, updated by the relay
      expect(await cache.readStay(stay)).toEqual(await availabilityIn(store, stay));
    } finally {
      await relay.stop();
    }
  });
});
