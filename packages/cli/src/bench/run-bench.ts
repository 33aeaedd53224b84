import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { installNotifyTrigger } from '@innkeeper/adapter-postgres';
import { addDays, createInnkeeper, createManualClock, type Innkeeper } from '@innkeeper/core';
import {
  type ChainShape,
  calendarRowsOf,
  chainShape,
  hotelId,
  overbookingLimitOf,
  roomsOf,
} from '../chain-shape.js';
import { LatencyRecorder } from '../latency-recorder.js';
import type { ProgressSink } from '../progress-bar.js';
import { loadStore } from '../stores/load-store.js';
import {
  DatabaseUnreachableError,
  isLocalServer,
  LOCAL_POSTGRES_URL,
} from '../stores/postgres-pool.js';
import type { LoadedStore, StoreKind, StoreTarget } from '../stores/store-target.js';
import {
  type BenchReport,
  benchMarkdown,
  type StoreBenchResult,
  type WorkloadResult,
} from './bench-report.js';
import {
  BENCH_START,
  type BenchTarget,
  benchSearch,
  HOT_ROOMS,
  hotWorkload,
  spreadWorkload,
} from './bench-workloads.js';
import { hotelSearchLatency } from './hotel-search-bench.js';
import { memoryRawBaseline } from './memory-raw-baseline.js';
import {
  type Booking,
  bookingInput,
  type PlannedBooking,
  planBookings,
} from './planned-booking.js';
import { postgresRawBaseline } from './postgres-raw-baseline.js';
import { quartilesOf } from './quartiles.js';
import type { RawBaseline } from './raw-baseline.js';
import { sqliteRawBaseline } from './sqlite-raw-baseline.js';
import { benchTracing } from './tracing-provider.js';

export interface BenchOptions {
  /** 50 hotels and fewer, shorter rounds; default the seed's scale (5,000 hotels). */
  quick?: boolean;
  /** The chain's size, overriding the one `quick` picks (the rounds stay as `quick` says). */
  hotels?: number;
  /**
   * Postgres only: install the store's change-notification trigger (`installNotifyTrigger`)
   * before booking, to measure what NOTIFY costs each booking. Default off.
   */
  notify?: boolean;
  /**
   * Whether the engine prices from its pricing cache (default true); `false` reads the stay
   * for every booking, as the engine did before the cache, for a before/after in one build.
   */
  pricingCache?: boolean;
  /**
   * Whether every hotel's calendar is read into the pricing cache before the timed rounds
   * (`inn.warmPricingCache`, default true), as a service would at start-up; `false` leaves
   * it cold, so `spread` (a booking per hotel and room type now and then) misses on almost
   * every booking.
   */
  warmPricingCache?: boolean;
  /** Which stores; default all three. */
  stores?: StoreKind[];
  /** Postgres URL; default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test. */
  url?: string;
  /** Where the Markdown and JSON go; default `.bench-results` in the working directory. */
  outDir?: string;
  /** Notices (skips, phases) go here; nothing when omitted. */
  log?: ProgressSink | null;
  signal?: AbortSignal;
}

export interface BenchRun {
  report: BenchReport;
  markdown: string;
  files: { markdown: string; json: string };
}

/** Postgres gets its own schema, dropped and re-created on every run. */
const BENCH_SCHEMA = 'innkeeper_cli_bench';

/**
 * Runs every store side by side with its raw baseline, on the same chain and the same
 * workloads, in one process. Each contender (raw, store, engine) books in several short
 * rounds taking turns, and its rate is its bookings over its summed time, so load from
 * elsewhere on a shared machine falls on all three alike.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchRun> {
  const started = performance.now();
  const quick = options.quick === true;
  const shape = chainShape(options.hotels ?? (quick ? 50 : 5_000), BENCH_START);
  const log = (text: string) => options.log?.write(`${text}\n`);
  const report: BenchReport = {
    quick,
    notify: options.notify === true,
    pricingCache: options.pricingCache !== false,
    warmPricingCache: options.pricingCache !== false && options.warmPricingCache !== false,
    hotels: shape.hotels,
    rooms: roomsOf(shape),
    calendarRows: calendarRowsOf(shape),
    loadAverage: { start: loadavg(), end: [] },
    cpus: cpus().length,
    stores: [],
    skipped: [],
    startedAt: new Date().toISOString(),
    seconds: 0,
  };
  // The local test database unless told otherwise.
  const url = options.url ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  for (const kind of options.stores ?? (['memory', 'sqlite', 'postgres'] as const)) {
    if (options.signal?.aborted) break;
    if (kind === 'postgres' && !url) {
      report.skipped.push({ store: kind, reason: 'no --url and no DATABASE_URL' });
      log('bench: skipping postgres: no --url and no DATABASE_URL');
      continue;
    }
    const target: StoreTarget =
      kind === 'postgres' ? { kind, url: url as string, schema: BENCH_SCHEMA } : { kind };
    log(`bench: ${kind}: loading ${shape.hotels} hotels`);
    let loaded: LoadedStore;
    try {
      loaded = await loadStore(target, shape, { onRows: () => {}, signal: options.signal }, 16);
    } catch (error) {
      if (!(error instanceof DatabaseUnreachableError)) throw error;
      report.skipped.push({ store: kind, reason: error.message });
      log(`bench: skipping postgres: ${error.message}`);
      continue;
    }
    try {
      if (options.notify && loaded.access.kind === 'postgres') {
        await installNotifyTrigger(loaded.access.pool, loaded.access.schema);
      }
      if (kind === 'postgres') {
        const local = isLocalServer(url as string);
        if (local !== undefined) report.postgresOnThisMachine = local;
      }
      report.stores.push(
        await benchStore(loaded, shape, quick, log, options.signal, {
          on: report.pricingCache,
          warm: report.warmPricingCache,
        }),
      );
    } finally {
      if (loaded.access.kind === 'postgres') {
        await loaded.access.pool
          .query(`DROP SCHEMA IF EXISTS "${BENCH_SCHEMA}" CASCADE`)
          .catch(() => {});
      }
      await loaded.close();
    }
  }
  report.loadAverage.end = loadavg();
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  const markdown = benchMarkdown(report);
  const dir = resolve(options.outDir ?? '.bench-results');
  mkdirSync(dir, { recursive: true });
  const files = {
    markdown: join(dir, 'innkeeper-bench.md'),
    json: join(dir, 'innkeeper-bench.json'),
  };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return { report, markdown, files };
}

async function benchStore(
  loaded: LoadedStore,
  shape: ChainShape,
  quick: boolean,
  log: (text: string) => void,
  signal: AbortSignal | undefined,
  pricingCache: { on: boolean; warm: boolean },
): Promise<StoreBenchResult> {
  const inn = createInnkeeper({
    store: loaded.store,
    clock: createManualClock(`${addDays(shape.start, -1)}T00:00:00Z`),
    pricingCache: pricingCache.on ? benchPricingCache(shape) : false,
  });
  const hotType = shape.roomTypes[0];
  // The hot room type takes every hot booking of the run: we measure contention, not SOLD_OUT.
  await inn.setInventory({
    hotelId: hotelId(0),
    roomTypeId: hotType?.id ?? '',
    from: shape.start,
    to: addDays(shape.start, 14),
    total: HOT_ROOMS,
  });
  let warmUp: StoreBenchResult['warmUp'] = null;
  if (pricingCache.warm) {
    log(`bench: ${loaded.kind}: warming the pricing cache`);
    warmUp = await warmBenchPricingCache(inn, shape);
  }
  const raw = rawBaselineFor(loaded, shape);
  const tracing = benchTracing();
  const clients = loaded.kind === 'postgres' ? 16 : 1;
  // Many short rounds, each contender taking its turn in each: the machine's drift (other
  // work, a major collection) then lands on every contender alike, and the rounds' own
  // ratios show how far one run can be trusted (`engineStoreRounds`).
  const rounds = quick ? 4 : 24;
  const perRound = loaded.kind === 'postgres' ? (quick ? 150 : 250) : quick ? 375 : 750;
  const workloads: WorkloadResult[] = [];
  let salt = 0;
  for (const [name, make] of [
    ['spread', spreadWorkload],
    ['hot', hotWorkload],
  ] as const) {
    if (signal?.aborted) break;
    log(`bench: ${loaded.kind}: ${name}`);
    // The raw baseline and the store write the engine's record, planned off the clock.
    const writers = {
      raw: (plan: PlannedBooking) => raw.book(plan),
      store: async ({ reservation, deltas }: PlannedBooking) => {
        const outcome = await loaded.store.applyBooking({ reservation, deltas });
        if (outcome.kind !== 'created') throw new Error(`store: ${outcome.kind}`);
      },
    };
    const book = ({ target, id }: Booking) => engineBook(inn, target, id);
    const names = ['raw', 'store', 'engine', 'traced'] as const;
    const ms = { raw: 0, store: 0, engine: 0, traced: 0 };
    /** Each round's engine/store: the store's time over the engine's in the same round. */
    const engineStoreRounds: number[] = [];
    const run = async (way: Contender, count: number, tag: string) => {
      const workload = make(shape, ++salt);
      const bookings = Array.from({ length: count }, (_, i) => ({
        target: workload(i),
        id: `${tag}-${i}`,
      }));
      // Every contender's targets are quoted before its round, off the clock: raw and store
      // write the records the quotes make, and for the engine the quotes only read the same
      // rows. So each contender meets the database's caches (SQLite's pages, Postgres's
      // buffers) as warm as the others; before, only raw and store wrote to rows just read.
      if (way === 'raw' || way === 'store') {
        return timed(clients, await planBookings(inn, bookings, clients), writers[way]);
      }
      // The engine's quotes are dropped at once. Kept in a variable of this function, they
      // stayed alive through the engine's round (an async function holds its locals until
      // it returns), and the round's collections copied and promoted records it never
      // reads: the engine's own time on SQLite `hot` was 32–33 µs a booking with them and
      // 24 µs without (`pnpm profile:gap --keep-quotes`, docs/benchmarks.md).
      await planBookings(inn, bookings, clients);
      // `traced` is the same engine while an OpenTelemetry SDK is registered.
      if (way === 'traced') tracing.register();
      try {
        return await timed(clients, bookings, book);
      } finally {
        if (way === 'traced') await tracing.unregister();
      }
    };
    // Untimed warm-up: JIT, prepared statements, page cache.
    for (const way of names) await run(way, 100, `w${salt}`);
    for (let round = 0; round < rounds; round++) {
      const order = [...names.slice(round % 4), ...names.slice(0, round % 4)];
      const took = { raw: 0, store: 0, engine: 0, traced: 0 };
      for (const way of order) took[way] = await run(way, perRound, `${way}${salt}`);
      for (const way of names) ms[way] += took[way];
      engineStoreRounds.push(took.store / took.engine);
    }
    const rate = (way: keyof typeof ms) => (perRound * rounds * 1000) / ms[way];
    workloads.push({
      workload: name,
      clients,
      bookingsPerContender: perRound * rounds,
      rawPerSecond: Math.round(rate('raw')),
      storePerSecond: Math.round(rate('store')),
      enginePerSecond: Math.round(rate('engine')),
      tracedPerSecond: Math.round(rate('traced')),
      storeRatio: Math.round((rate('store') / rate('raw')) * 100) / 100,
      engineRatio: Math.round((rate('engine') / rate('raw')) * 100) / 100,
      engineStoreRatio: Math.round((rate('engine') / rate('store')) * 100) / 100,
      engineStoreRounds: quartilesOf(engineStoreRounds),
      tracedRatio: Math.round((rate('traced') / rate('engine')) * 100) / 100,
      spans: tracing.exporter.spans,
    });
  }
  await raw.close();
  await tracing.shutdown();
  const search = await searchLatency(inn, shape, quick ? 300 : 2_000);
  log(`bench: ${loaded.kind}: searchHotels`);
  const hotelSearch = await hotelSearchLatency(
    inn,
    loaded.store,
    loaded.store,
    shape,
    quick ? 100 : 500,
  );
  return {
    store: loaded.kind,
    loadSeconds: Math.round(loaded.loadMs / 100) / 10,
    warmUp,
    workloads,
    search,
    hotelSearch,
  };
}

function rawBaselineFor(loaded: LoadedStore, shape: ChainShape): RawBaseline {
  const access = loaded.access;
  if (access.kind === 'sqlite') return sqliteRawBaseline(access.path);
  if (access.kind === 'postgres') return postgresRawBaseline(access.pool, access.schema);
  return memoryRawBaseline((t) => {
    const rt = shape.roomTypes.find((x) => x.id === t.roomTypeId);
    if (t.hotelId === hotelId(0) && rt === shape.roomTypes[0]) return HOT_ROOMS * 1.1;
    return rt ? rt.rooms + overbookingLimitOf(shape, rt) : 0;
  });
}

type Contender = 'raw' | 'store' | 'engine' | 'traced';

/** The engine's pricing cache with room for every night of the chain's calendar (held in blocks of 32 nights, so a little more). */
export function benchPricingCache(shape: ChainShape): { maxRows: number } {
  return { maxRows: 2 * calendarRowsOf(shape) };
}

/** Reads every hotel's calendar into the engine's pricing cache, as the bench (and the profiler) do before booking. */
export async function warmBenchPricingCache(inn: Innkeeper, shape: ChainShape) {
  const started = performance.now();
  // From the day before the clock's date (the default) to the calendar's last night.
  const { hotels, nights } = await inn.warmPricingCache({ nights: shape.days + 2 });
  return { hotels, nights, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** One booking of `t` through the engine, as every engine contender (and the profiler) makes it. */
export async function engineBook(inn: Innkeeper, t: BenchTarget, id: string): Promise<void> {
  await inn.book(bookingInput(t, id));
}

/**
 * `clients` callers make the bookings between them, in order, as every contender's round
 * does (and the profiler's); returns ms.
 */
export async function timed<T>(
  clients: number,
  bookings: readonly T[],
  book: (booking: T) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bookings.length; i = next++) await book(bookings[i] as T);
    }),
  );
  return performance.now() - started;
}

/**
 * `inn.search`'s latency once warm: as many untimed searches as timed ones first. The
 * booking rounds before it leave most of a search's own code unoptimized, and with 50
 * untimed searches (the bench until 2026-12-06) the timed ones still included V8 compiling
 * it: the median of the first 2,000 was 1.6–1.8× that of the next 2,000, which were then
 * as fast as any later ones (docs/benchmarks.md).
 */
async function searchLatency(inn: Innkeeper, shape: ChainShape, samples: number) {
  const recorder = new LatencyRecorder();
  const warmUp = samples;
  for (let i = -warmUp; i < samples; i++) {
    const started = performance.now();
    await inn.search(benchSearch(shape, i + warmUp));
    if (i >= 0) recorder.record(performance.now() - started);
  }
  const { p50, p99 } = recorder.summary();
  return { samples, p50, p99 };
}
