import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createPostgresWake, installNotifyTrigger } from '@innkeeper/adapter-postgres';
import { createChangeFeedRelay, createRedisAvailabilityCache } from '@innkeeper/cache-redis';
import {
  addDays,
  createInnkeeper,
  type Innkeeper,
  type InnkeeperStore,
  isInnkeeperError,
  systemClock,
} from '@innkeeper/core';
import { availabilityView } from '@innkeeper/core/store';
import { calendarRowsOf, chainShape, hotelId, roomsOf } from '../chain-shape.js';
import { LatencyRecorder } from '../latency-recorder.js';
import type { ProgressSink } from '../progress-bar.js';
import { loadStore } from '../stores/load-store.js';
import { LOCAL_POSTGRES_URL, redactUrl } from '../stores/postgres-pool.js';
import { connectRedis, LOCAL_REDIS_URL } from '../stores/redis-client.js';
import { BENCH_START } from './bench-workloads.js';
import {
  type CacheBenchReport,
  type CacheWayResult,
  cacheBenchMarkdown,
} from './cache-bench-report.js';
import { hotelSearchLatency } from './hotel-search-bench.js';

export interface CacheBenchOptions {
  /** 50 hotels and fewer searches; default the seed's scale (5,000 hotels). */
  quick?: boolean;
  hotels?: number;
  /** Postgres URL; default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test. */
  url?: string;
  /** Redis URL; default REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Where the Markdown and JSON go; default `.bench-results` in the working directory. */
  outDir?: string;
  log?: ProgressSink | null;
  signal?: AbortSignal;
}

export interface CacheBenchRun {
  report: CacheBenchReport;
  markdown: string;
  files: { markdown: string; json: string };
}

/** The cache bench's own Postgres schema and Redis key prefix, cleared before and after. */
const CACHE_BENCH_SCHEMA = 'innkeeper_cli_bench_cache';
const CACHE_BENCH_PREFIX = 'innkeeper-bench:';
/** Concurrent callers for the throughput figures (latency is measured with one). */
const CLIENTS = 16;
const NIGHTS = 7;
/** Searches check in within this many days of the calendar's start, where searches bunch. */
const SEARCH_WINDOW = 60;
const ROUNDS = 4;

/**
 * The Redis availability cache on the Postgres store (`innkeeper bench --cache redis`):
 * 7-night searches through `inn.search` on one hotel's room types, once reading the store
 * and once the cache (warmed first, so the cached figure is the hit path), taking turns
 * over four rounds; the bare `readStay` of each source the same way; latency with one
 * caller. Then a booking storm through the cached engine while the relay, woken by the
 * store's change notifications (LISTEN/NOTIFY), keeps Redis fresh: its lag, how soon it
 * caught up, and whether cache and store agree afterwards.
 */
export async function runCacheBench(options: CacheBenchOptions = {}): Promise<CacheBenchRun> {
  const started = performance.now();
  const quick = options.quick === true;
  const shape = chainShape(options.hotels ?? (quick ? 50 : 5_000), BENCH_START);
  const searches = quick ? 4_000 : 20_000;
  const stormBookings = quick ? 1_000 : 3_000;
  const latencyCalls = quick ? 1_000 : 5_000;
  const log = (text: string) => options.log?.write(`${text}\n`);
  const url = options.url ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? LOCAL_REDIS_URL;
  const loadAverageStart = loadavg();

  // Redis first: loading Postgres at scale takes a minute, only to find Redis missing.
  const redis = await connectRedis(redisUrl);
  const clearRedis = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${CACHE_BENCH_PREFIX}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  };
  try {
    log(`bench: cache redis: loading ${shape.hotels} hotels into postgres`);
    const loaded = await loadStore(
      { kind: 'postgres', url, schema: CACHE_BENCH_SCHEMA },
      shape,
      { onRows: () => {}, signal: options.signal },
      CLIENTS + 2,
    );
    if (loaded.access.kind !== 'postgres') throw new Error('expected the Postgres store');
    const { pool, schema } = loaded.access;
    try {
      await installNotifyTrigger(pool, schema);
      await clearRedis();
      const store = loaded.store;
      const cache = createRedisAvailabilityCache({ redis, store, keyPrefix: CACHE_BENCH_PREFIX });
      const relay = createChangeFeedRelay({
        redis,
        store,
        keyPrefix: CACHE_BENCH_PREFIX,
        wake: createPostgresWake(pool),
      });
      await relay.start();
      try {
        // The engine's clock is the system's: the relay's lag is measured from each
        // event's `at`, which the engine stamps.
        const uncached = createInnkeeper({ store, clock: systemClock });
        const cached = createInnkeeper({ store, availability: cache, clock: systemClock });
        const windowEnd = addDays(shape.start, SEARCH_WINDOW + NIGHTS);
        log(`bench: cache redis: warming ${shape.hotels} hotels`);
        await callers(shape.hotels, CLIENTS, (h) =>
          cache.readStay({ hotelId: hotelId(h), from: shape.start, to: windowEnd }),
        );
        const searchOf = (i: number, salt: number) => {
          const n = (i * 7_919 + salt * 104_729) >>> 0;
          const checkIn = addDays(shape.start, (n * 15_485_863) % SEARCH_WINDOW);
          return {
            hotelId: hotelId(n % shape.hotels),
            checkIn,
            checkOut: addDays(checkIn, NIGHTS),
          };
        };
        const sources = {
          uncached: { inn: uncached, read: store as Pick<InnkeeperStore, 'readStay'> },
          cached: { inn: cached, read: cache as Pick<InnkeeperStore, 'readStay'> },
        };
        type Way = keyof typeof sources;
        const ways: Way[] = ['uncached', 'cached'];
        const search = (way: Way, salt: number) => (i: number) =>
          sources[way].inn.search(searchOf(i, salt));
        const readStay = (way: Way, salt: number) => (i: number) => {
          const q = searchOf(i, salt);
          return sources[way].read.readStay({
            hotelId: q.hotelId,
            from: q.checkIn,
            to: q.checkOut,
          });
        };

        // Throughput: the two ways take turns over the rounds, so load from elsewhere
        // falls on both; rate = calls over summed time.
        const perRound = Math.ceil(searches / ROUNDS);
        const busy = { search: { uncached: 0, cached: 0 }, readStay: { uncached: 0, cached: 0 } };
        for (const kind of ['search', 'readStay'] as const) {
          log(`bench: cache redis: ${kind} throughput`);
          for (let round = 0; round < ROUNDS; round++) {
            if (options.signal?.aborted) break;
            for (const way of round % 2 === 0 ? ways : [...ways].reverse()) {
              const call = kind === 'search' ? search(way, round) : readStay(way, round + 10);
              busy[kind][way] += await callers(perRound, CLIENTS, call);
            }
          }
        }
        const rate = (ms: number) => (ms > 0 ? Math.round((perRound * ROUNDS * 1000) / ms) : 0);

        // Latency: one caller, so the figure is the call itself, not time spent queued
        // behind fifteen others on Node's one thread.
        log('bench: cache redis: latency');
        const results: CacheWayResult[] = [];
        for (const way of ways) {
          const searchLatency = await latency(latencyCalls, search(way, 99));
          const readLatency = await latency(latencyCalls, readStay(way, 98));
          results.push({
            way,
            searchPerSecond: rate(busy.search[way]),
            search: searchLatency,
            readStayPerSecond: rate(busy.readStay[way]),
            readStay: readLatency,
          });
        }

        log('bench: cache redis: searchHotels');
        const hotelSearchSamples = quick ? 100 : 500;
        const hotelSearch = {
          uncached: await hotelSearchLatency(uncached, store, store, shape, hotelSearchSamples),
          cached: await hotelSearchLatency(cached, store, cache, shape, hotelSearchSamples),
        };

        log(`bench: cache redis: booking storm (${stormBookings} bookings)`);
        const storm = await bookingStorm(cached, shape, stormBookings, relay);
        // Spot check: once the relay has caught up, the cache agrees with the store.
        const checked = Math.min(shape.hotels, 200);
        let mismatches = 0;
        for (let h = 0; h < checked; h++) {
          const q = {
            hotelId: hotelId(h),
            from: shape.start,
            to: addDays(shape.start, shape.days - 1),
          };
          const [a, stored] = await Promise.all([cache.readStay(q), store.readStay(q)]);
          // The cache answers availability: the store's read without its pricing revision.
          // Compared as values (the two build their objects' keys in different orders).
          const b = stored && availabilityView(stored);
          if (!isDeepStrictEqual(a, b)) mismatches++;
        }
        const [uncachedResult, cachedResult] = results as [CacheWayResult, CacheWayResult];
        const report: CacheBenchReport = {
          cache: 'redis',
          quick,
          hotels: shape.hotels,
          rooms: roomsOf(shape),
          calendarRows: calendarRowsOf(shape),
          postgres: redactUrl(url),
          redis: redactUrl(redisUrl),
          loadSeconds: Math.round(loaded.loadMs / 100) / 10,
          clients: CLIENTS,
          searchesPerWay: perRound * ROUNDS,
          latencyCalls,
          ways: results,
          searchRatio: ratio(cachedResult.searchPerSecond, uncachedResult.searchPerSecond),
          readStayRatio: ratio(cachedResult.readStayPerSecond, uncachedResult.readStayPerSecond),
          hotelSearch,
          storm: { ...storm, hotelsChecked: checked, mismatches },
          cacheStats: cache.stats(),
          loadAverage: { start: loadAverageStart, end: loadavg() },
          cpus: cpus().length,
          startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
          seconds: Math.round((performance.now() - started) / 100) / 10,
        };
        const markdown = cacheBenchMarkdown(report);
        const dir = resolve(options.outDir ?? '.bench-results');
        mkdirSync(dir, { recursive: true });
        const files = {
          markdown: join(dir, 'innkeeper-bench-cache.md'),
          json: join(dir, 'innkeeper-bench-cache.json'),
        };
        writeFileSync(files.markdown, markdown);
        writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
        return { report, markdown, files };
      } finally {
        await relay.stop();
      }
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${CACHE_BENCH_SCHEMA}" CASCADE`).catch(() => {});
      await loaded.close();
    }
  } finally {
    await clearRedis().catch(() => {});
    await redis.quit().catch(() => {});
  }
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

/** `clients` callers make `count` calls between them; returns the wall time in ms. */
async function callers(
  count: number,
  clients: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) await call(i);
    }),
  );
  return performance.now() - started;
}

async function latency(count: number, call: (i: number) => Promise<unknown>) {
  const recorder = new LatencyRecorder();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call(i);
    recorder.record(performance.now() - started);
  }
  const { p50, p99 } = recorder.summary();
  return { p50, p99 };
}

/**
 * `count` 3-night bookings from 16 callers at spread hotels through the cached engine,
 * with the relay's lag sampled every 20 ms; then how long after the last booking the
 * relay had applied everything.
 */
async function bookingStorm(
  inn: Innkeeper,
  shape: ReturnType<typeof chainShape>,
  count: number,
  relay: { lag(): Promise<{ events: number; ms: number }> },
) {
  let maxLagEvents = 0;
  let maxLagMs = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const lag = await relay.lag();
      maxLagEvents = Math.max(maxLagEvents, lag.events);
      maxLagMs = Math.max(maxLagMs, lag.ms);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let soldOut = 0;
  const runId = Date.now().toString(36);
  const ms = await callers(count, CLIENTS, async (i) => {
    const n = (i * 7_919 + 31) >>> 0;
    const checkIn = addDays(shape.start, (n * 15_485_863) % (shape.days - 3));
    try {
      await inn.book({
        idempotencyKey: `storm-${runId}-${i}`,
        hotelId: hotelId(n % shape.hotels),
        checkIn,
        checkOut: addDays(checkIn, 3),
        lines: [
          { roomTypeId: shape.roomTypes[(n >>> 3) % shape.roomTypes.length]?.id ?? '', adults: 1 },
        ],
        guest: { name: 'Guest', email: 'guest@example.com' },
      });
    } catch (error) {
      if (!isInnkeeperError(error, 'SOLD_OUT')) throw error;
      soldOut++;
    }
  });
  const stormEnd = performance.now();
  while ((await relay.lag()).events > 0) await new Promise((resolve) => setTimeout(resolve, 2));
  const caughtUpMs = Math.round((performance.now() - stormEnd) * 10) / 10;
  sampling = false;
  await sampler;
  return {
    bookings: count,
    soldOut,
    perSecond: Math.round((count * 1000) / ms),
    maxLagEvents,
    maxLagMs: Math.round(maxLagMs),
    caughtUpMs,
  };
}
