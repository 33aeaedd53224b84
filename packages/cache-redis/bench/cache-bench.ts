/**
 * Availability cache: 7-night searches per second and their latency, with and without
 * the Redis cache, and the relay's lag under a booking storm. Prints; never asserts.
 *
 *   pnpm --filter @innkeeper/cache-redis bench            # 100 hotels
 *   pnpm --filter @innkeeper/cache-redis bench -- --scale # 5,000 hotels, 1M rooms
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) with a schema of its own
 * (`innkeeper_cache_bench`, dropped afterwards), loaded with COPY as in the Postgres
 * store's bench; REDIS_URL (default redis://127.0.0.1:6379) under the prefix
 * `innkeeper-bench:` (cleared before and after). BENCH_CLIENTS concurrent callers (16),
 * BENCH_SEARCHES per way (20,000), BENCH_BOOKINGS in the storm (3,000).
 *
 * Searches pick a random hotel and a check-in within the next 60 days (where searches
 * concentrate) and ask for all four room types: `inn.search(...)` end to end (validation,
 * availability, pricing), once reading the store and once the cache. The cache is warmed
 * first (one read per hotel of that window), so the cached figure is the hit path; the
 * two ways take turns over ROUNDS rounds so load from elsewhere falls on both.
 */
import { performance } from 'node:perf_hooks';
import { createPostgresStore } from '@innkeeper/adapter-postgres';
import { addDays, createInnkeeper, type Innkeeper, systemClock } from '@innkeeper/core';
import Redis from 'ioredis';
import pg from 'pg';
import { loadSeed } from '../../adapter-postgres/bench/seed-loader.js';
import {
  createChangeFeedRelay,
  createPostgresWake,
  createRedisAvailabilityCache,
  installNotifyTrigger,
} from '../src/index.js';

const SCALE = process.argv.includes('--scale');
const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCHEMA = 'innkeeper_cache_bench';
const PREFIX = 'innkeeper-bench:';
const HOTELS = SCALE ? 5_000 : 100;
const ROOM_TYPES = 4;
/** 200 rooms per hotel over 4 room types: 5,000 hotels make 1M rooms. */
const ROOMS_PER_TYPE = 50;
const DAYS = 365;
const NIGHTS = 7;
/** Searches check in within this many days of the start. */
const SEARCH_WINDOW = 60;
const START = '2031-01-01';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 20_000);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 3_000);
const ROUNDS = 4;

const S = `"${SCHEMA}"`;
const DATES = Array.from({ length: DAYS }, (_, d) => addDays(START, d));

// ── Loading (the Postgres store bench's approach: COPY in ~64 kB chunks) ──────────────

// ── Measuring ──────────────────────────────────────────────────────────────────────────

/** Runs `count` calls over `clients` callers; returns wall time and each call's latency. */
async function run(count: number, call: (i: number) => Promise<unknown>, clients = CLIENTS) {
  const latencies = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await call(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  return { ms: performance.now() - started, latencies };
}

function searchOf(i: number, salt: number) {
  const n = (i * 7_919 + salt * 104_729) >>> 0;
  const d = (n * 15_485_863) % SEARCH_WINDOW;
  return {
    hotelId: `h${n % HOTELS}`,
    checkIn: DATES[d] as string,
    checkOut: DATES[d + NIGHTS] as string,
    rooms: 1,
    adults: 2,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ── Main ───────────────────────────────────────────────────────────────────────────────

const pool = new pg.Pool({ connectionString: URL, max: CLIENTS });
pool.on('error', () => {});
const redis = new Redis(REDIS_URL);
const clearRedis = async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
};

console.log(
  `cache bench: ${fmt(HOTELS)} hotels x ${ROOM_TYPES} room types x ${DAYS} days (${fmt(HOTELS * ROOM_TYPES * DAYS)} calendar rows), ${CLIENTS} clients`,
);
// The Postgres store's bench loader: the same shape of data both benches measure on.
const loadMs = await loadSeed(pool, {
  schema: SCHEMA,
  hotels: HOTELS,
  roomTypes: ROOM_TYPES,
  days: DAYS,
  start: START,
  totalFor: () => ROOMS_PER_TYPE,
});
console.log(`loaded with COPY in ${(loadMs / 1000).toFixed(1)} s`);
await installNotifyTrigger(pool, SCHEMA);
await clearRedis();

const store = createPostgresStore({ pool }, { schema: SCHEMA });
const cache = createRedisAvailabilityCache({ redis, store, keyPrefix: PREFIX });
const relay = createChangeFeedRelay({
  redis,
  store,
  keyPrefix: PREFIX,
  wake: createPostgresWake(pool),
});
await relay.start();
const uncached: Innkeeper = createInnkeeper({ store, clock: systemClock });
const cached: Innkeeper = createInnkeeper({ store, availability: cache, clock: systemClock });

// Warm: one read per hotel of the search window, all room types.
const warm = await run(HOTELS, (h) =>
  cache.readStay({ hotelId: `h${h}`, from: START, to: DATES[SEARCH_WINDOW + NIGHTS] as string }),
);
console.log(`warmed ${fmt(HOTELS)} hotels in ${(warm.ms / 1000).toFixed(1)} s`);

const ways = { uncached, cached } as const;
type Way = keyof typeof ways;
const WAYS: Way[] = ['uncached', 'cached'];

// Throughput: CLIENTS concurrent callers, the two ways taking turns over ROUNDS rounds.
const perRound = Math.ceil(SEARCHES / ROUNDS);
const busyMs: Record<Way, number> = { uncached: 0, cached: 0 };
for (let round = 0; round < ROUNDS; round++) {
  for (const way of round % 2 === 0 ? WAYS : [...WAYS].reverse()) {
    const inn = ways[way];
    busyMs[way] += (await run(perRound, (i) => inn.search(searchOf(i, round)))).ms;
  }
}
const rate = (way: Way) => ((perRound * ROUNDS) / busyMs[way]) * 1000;

// The availability read alone (what the cache replaces), same callers and turns.
const readMs: Record<Way, number> = { uncached: 0, cached: 0 };
for (let round = 0; round < ROUNDS; round++) {
  for (const way of round % 2 === 0 ? WAYS : [...WAYS].reverse()) {
    const source = way === 'cached' ? cache : store;
    readMs[way] += (
      await run(perRound, (i) => {
        const q = searchOf(i, round + 10);
        return source.readStay({ hotelId: q.hotelId, from: q.checkIn, to: q.checkOut });
      })
    ).ms;
  }
}
const readRate = (way: Way) => ((perRound * ROUNDS) / readMs[way]) * 1000;

// Latency: one caller at a time, so the figure is the call itself, not time queued
// behind the other callers on Node's one thread. Same for the bare availability read.
const LATENCY_CALLS = Math.min(SEARCHES / 4, 5_000);
const latency = async (call: (i: number) => Promise<unknown>) => {
  const { latencies } = await run(LATENCY_CALLS, call, 1);
  const sorted = latencies.sort();
  return `p50 ${percentile(sorted, 50).toFixed(3)} ms   p99 ${percentile(sorted, 99).toFixed(3)} ms`;
};
for (const way of WAYS) {
  const inn = ways[way];
  const source = way === 'cached' ? cache : store;
  const searchLatency = await latency((i) => inn.search(searchOf(i, 99)));
  const readLatency = await latency((i) => {
    const q = searchOf(i, 98);
    return source.readStay({ hotelId: q.hotelId, from: q.checkIn, to: q.checkOut });
  });
  console.log(
    `${way.padEnd(8)} search ${fmt(rate(way)).padStart(6)}/s, 1 client ${searchLatency}   readStay ${fmt(readRate(way)).padStart(6)}/s, 1 client ${readLatency}`,
  );
}
console.log(
  `cached/uncached throughput: search ${(rate('cached') / rate('uncached')).toFixed(2)}x, readStay ${(readRate('cached') / readRate('uncached')).toFixed(2)}x   cache ${JSON.stringify(cache.stats())}`,
);

// Booking storm: CLIENTS callers book 3 nights at random hotels through the engine while
// the relay (woken by NOTIFY) keeps Redis fresh; lag sampled every 20 ms.
let maxEvents = 0;
let maxMs = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const lag = await relay.lag();
    maxEvents = Math.max(maxEvents, lag.events);
    maxMs = Math.max(maxMs, lag.ms);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
})();
const storm = await run(BOOKINGS, (i) => {
  const n = (i * 7_919 + 31) >>> 0;
  const d = (n * 15_485_863) % (DAYS - 3);
  return cached.book({
    idempotencyKey: `storm-${i}`,
    hotelId: `h${n % HOTELS}`,
    checkIn: DATES[d] as string,
    checkOut: DATES[d + 3] as string,
    lines: [{ roomTypeId: `t${(n >>> 3) % ROOM_TYPES}`, rooms: 1, adults: 1 }],
    guest: { name: 'Guest', email: 'guest@example.com' },
  });
});
const stormEnd = performance.now();
while ((await relay.lag()).events > 0) await new Promise((resolve) => setTimeout(resolve, 2));
const drainMs = performance.now() - stormEnd;
sampling = false;
await sampler;
console.log(
  `storm ${fmt(BOOKINGS)} bookings at ${fmt((BOOKINGS / storm.ms) * 1000)}/s   relay lag max ${fmt(maxEvents)} events / ${fmt(maxMs)} ms   caught up ${drainMs.toFixed(1)} ms after the last booking`,
);

// Spot check: the cache agrees with the store after the storm.
let mismatches = 0;
for (let h = 0; h < Math.min(HOTELS, 200); h++) {
  const q = { hotelId: `h${h}`, from: START, to: DATES[DAYS - 1] as string };
  const [a, b] = await Promise.all([cache.readStay(q), store.readStay(q)]);
  if (JSON.stringify(a) !== JSON.stringify(b)) mismatches++;
}
console.log(
  `cache vs store after the storm: ${mismatches} of ${Math.min(HOTELS, 200)} hotels differ`,
);

await relay.stop();
await clearRedis();
await redis.quit();
await pool.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
await pool.end();
