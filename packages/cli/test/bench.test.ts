import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, createInnkeeper, createManualClock } from '@innkeeper/core';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type BenchReport, benchMarkdown } from '../src/bench/bench-report.js';
import { BENCH_START, spreadWorkload } from '../src/bench/bench-workloads.js';
import { planBookings } from '../src/bench/planned-booking.js';
import { quartilesOf } from '../src/bench/quartiles.js';
import { engineBook } from '../src/bench/run-bench.js';
import { chainShape, hotelId } from '../src/chain-shape.js';
import { runBench, runCacheBench, runCommandLine } from '../src/index.js';
import { loadStore } from '../src/stores/load-store.js';
import { isLocalServer } from '../src/stores/postgres-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'innkeeper-cli-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function innkeeper(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCommandLine(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe('innkeeper bench: its modes and flags', () => {
  it.each([
    [['--cache', 'memcached'], '--cache must be redis, got "memcached"'],
    [['--cache', 'redis', '--store', 'sqlite'], '--cache redis runs on the Postgres store'],
    [['--cache', 'redis', '--notify'], '--cache redis runs on the Postgres store'],
    [['--redis-url', 'redis://127.0.0.1:6379'], '--redis-url goes with --cache redis'],
    [['--hotels', '0'], '--hotels must be a whole number from 1 to 10000'],
    [
      ['--rooms', '--cache', 'redis'],
      '--rooms takes --quick, --store, --url, --out and --json only',
    ],
    [['--no-pricing-cache', '--cold-pricing-cache'], 'exclude each other'],
  ])('bench %j is a usage error (exit 2, one line)', async (args, message) => {
    const result = await innkeeper(['bench', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('bench --cache redis reports an unreachable Redis in one line, password hidden, exit 1, before loading anything', async () => {
    const result = await innkeeper([
      'bench',
      '--cache',
      'redis',
      '--redis-url',
      'redis://:secret@127.0.0.1:1',
      '--out',
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).not.toContain('loading');
  });

  it('runBench on a chain of --hotels hotels writes the report of both workloads', async () => {
    const run = await runBench({ stores: ['memory'], quick: true, hotels: 3, outDir: dir });
    expect(run.report).toMatchObject({
      hotels: 3,
      calendarRows: 3 * 4 * 365,
      notify: false,
      pricingCache: true,
      warmPricingCache: true,
    });
    expect(run.markdown).toContain("the engine's pricing cache on, warmed with every calendar");
    const [memory] = run.report.stores;
    // Every hotel's calendar, before the rounds.
    expect(memory?.warmUp).toMatchObject({ hotels: 3 });
    expect(memory?.warmUp?.nights).toBeGreaterThanOrEqual(3 * 4 * 365);
    expect(run.markdown).toContain(
      'Pricing cache warm-up (`warmPricingCache`, untimed): memory 3 hotels',
    );
    expect(memory?.workloads.map((w) => w.workload)).toEqual(['spread', 'hot']);
    for (const w of memory?.workloads ?? []) {
      expect(w.rawPerSecond).toBeGreaterThan(0);
      expect(w.storePerSecond).toBeGreaterThan(0);
      expect(w.enginePerSecond).toBeGreaterThan(0);
      // The engine + otel rounds ran with a provider: their spans reached the exporter.
      expect(w.tracedPerSecond).toBeGreaterThan(0);
      expect(w.spans).toBeGreaterThan(0);
      // The rounds' own engine/store ratios: a median inside its middle half.
      const { q1, median, q3 } = w.engineStoreRounds;
      expect(q1).toBeGreaterThan(0);
      expect(q1).toBeLessThanOrEqual(median);
      expect(median).toBeLessThanOrEqual(q3);
    }
    expect(run.markdown).toMatch(/\| engine\/store \| by round: median \(middle half\) \|/);
    expect(run.markdown).toMatch(/\| \d\.\d\d× \(\d\.\d\d–\d\.\d\d\) \|/);
    // No Postgres in this run: the report says nothing of a server.
    expect(run.report.postgresOnThisMachine).toBeUndefined();
    expect(run.markdown).not.toContain('Postgres server');
    expect(JSON.parse(readFileSync(run.files.json, 'utf8'))).toEqual(run.report);
    expect(readFileSync(run.files.markdown, 'utf8')).toBe(run.markdown);
  });

  it('the report says where the Postgres server ran, and nothing when it did not run', async () => {
    const report: BenchReport = {
      quick: true,
      notify: false,
      pricingCache: true,
      warmPricingCache: true,
      hotels: 3,
      rooms: 60,
      calendarRows: 3 * 4 * 365,
      loadAverage: { start: [1, 1, 1], end: [2, 2, 2] },
      cpus: 2,
      stores: [],
      skipped: [],
      startedAt: '2026-12-06T00:00:00.000Z',
      seconds: 1,
    };
    const firstLine = (r: BenchReport) => benchMarkdown(r).split('\n')[0];
    expect(firstLine(report)).toMatch(
      /2 CPUs, load average 1\.0 1\.0 1\.0 at start, 2\.0 2\.0 2\.0 at end\.$/,
    );
    expect(firstLine({ ...report, postgresOnThisMachine: true })).toMatch(
      /at end; the Postgres server on this machine, its backends sharing these CPUs with the engine's process\.$/,
    );
    expect(firstLine({ ...report, postgresOnThisMachine: false })).toMatch(
      /at end; the Postgres server on another host\.$/,
    );
  });

  it.each([
    ['postgres://postgres@127.0.0.1:5432/test', true],
    ['postgresql://u:p@localhost/db', true],
    ['postgres://[::1]:5432/db', true],
    ['postgres:///db', true],
    ['postgres://u@db.example.com/db?host=/var/run/postgresql', true],
    ['postgres://u@db.example.com:5432/db', false],
    ['postgres://u@10.0.0.7/db', false],
    ['not a url', undefined],
  ])('isLocalServer(%j) is %j', (url, local) => {
    expect(isLocalServer(url)).toBe(local);
  });

  it('quartilesOf gives the quartiles by linear interpolation, whatever the order', () => {
    expect(quartilesOf([0.9, 0.7, 1.1, 0.8, 1.0])).toEqual({ q1: 0.8, median: 0.9, q3: 1 });
    expect(quartilesOf([1, 2, 3, 4])).toEqual({ q1: 1.75, median: 2.5, q3: 3.25 });
    expect(quartilesOf([0.5])).toEqual({ q1: 0.5, median: 0.5, q3: 0.5 });
    expect(quartilesOf([])).toEqual({ q1: 0, median: 0, q3: 0 });
  });

  it("the raw baseline and the store write the engine's own record: the floor is the same data", async () => {
    const shape = chainShape(3, BENCH_START);
    const loaded = await loadStore({ kind: 'memory' }, shape, { onRows: () => {} });
    let nextId = '';
    const inn = createInnkeeper({
      store: loaded.store,
      clock: createManualClock(`${addDays(shape.start, -1)}T00:00:00Z`),
      generateId: () => nextId,
    });
    const workload = spreadWorkload(shape, 1);
    const bookings = Array.from({ length: 12 }, (_, i) => ({ target: workload(i), id: `b${i}` }));
    const plans = await planBookings(inn, bookings, 4);
    for (const plan of plans) {
      // Ids shaped like the engine's own (UUIDv7), not the booking's label.
      expect(plan.reservation.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      // The engine books the same target under the same key, and here the same id.
      nextId = plan.reservation.id;
      await engineBook(inn, plan.target, plan.id);
      const booked = await inn.getReservation(plan.reservation.id);
      const { requestFingerprint, ...planned } = plan.reservation;
      // Every field but the digest of the request, which the engine takes of the whole input.
      expect(booked).toMatchObject(planned);
      expect(booked.requestFingerprint).toHaveLength(requestFingerprint.length);
      expect(JSON.stringify(booked).length).toBe(JSON.stringify(plan.reservation).length);
      // Room types with taxes and a rate card: the record is the engine's, not a bare line.
      expect(plan.reservation.taxTotal).toBeGreaterThan(0);
      expect(plan.deltas).toEqual([
        expect.objectContaining({ roomTypeId: plan.target.roomTypeId, rooms: 1 }),
        expect.anything(),
        expect.anything(),
      ]);
    }
    await loaded.close();
  });

  it("the memory loader leaves its calendar, not its load's events: those are pruned as retention would", async () => {
    const shape = chainShape(2, BENCH_START);
    const loaded = await loadStore({ kind: 'memory' }, shape, { onRows: () => {} });
    // Every event but the newest (never pruned) is gone: a reader from the start is told so.
    const pruned = await loaded.store.readEvents(0, 1000).catch((error: unknown) => error);
    expect(pruned).toMatchObject({ code: 'FEED_PRUNED' });
    const prunedThrough = (pruned as { details: { prunedThrough: number } }).details.prunedThrough;
    expect(await loaded.store.readEvents(prunedThrough, 1000)).toHaveLength(1);
    const stay = await loaded.store.readStay({
      hotelId: hotelId(0),
      roomTypeIds: [shape.roomTypes[0]?.id ?? ''],
      from: shape.start,
      to: addDays(shape.start, shape.days - 1),
    });
    expect(stay?.days).toHaveLength(shape.days - 1);
    expect(stay?.days.every((day) => day.total > 0)).toBe(true);
    // The seasons' rates are there too.
    expect(stay?.days.some((day) => day.rate !== null)).toBe(true);
    await loaded.close();
  });

  /** A two-hotel quick bench on the memory store with one pricing-cache flag, as JSON. */
  const tinyBench = (flag: string) =>
    innkeeper([
      'bench',
      '--store',
      'memory',
      '--quick',
      '--hotels',
      '2',
      flag,
      '--json',
      '--out',
      dir,
    ]);

  it('bench --no-pricing-cache runs the engine reading the stay for every booking, and says so', async () => {
    const result = await tinyBench('--no-pricing-cache');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ hotels: 2, pricingCache: false });
    const refused = await innkeeper(['bench', '--rooms', '--no-pricing-cache', '--out', dir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--no-pricing-cache goes with the side-by-side bench only');
  });

  it('bench --cold-pricing-cache leaves the cache to fill as bookings read, and says so', async () => {
    const result = await tinyBench('--cold-pricing-cache');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ pricingCache: true, warmPricingCache: false });
    expect(report.stores[0].warmUp).toBeNull();
  });

  it('bench --rooms gives every arrival a room, date by date, and finds no room-night held twice', async () => {
    const result = await innkeeper([
      'bench',
      '--rooms',
      '--quick',
      '--store',
      'memory',
      '--json',
      '--out',
      dir,
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      results: {
        store: string;
        arrivals: number;
        assigned: number;
        overlaps: number;
        plannerMs: number;
      }[];
    };
    const [memory] = report.results;
    expect(memory?.store).toBe('memory');
    expect(memory?.arrivals).toBeGreaterThan(500);
    // The house is never full (a night that is refuses the booking): everyone gets a room.
    expect(memory?.assigned).toBe(memory?.arrivals);
    expect(memory?.overlaps).toBe(0);
    expect(memory?.plannerMs).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'innkeeper-bench-rooms.md'))).toBe(true);
  });
});

// The cache bench needs both servers: the global setup found Postgres (or started one) and
// Redis (without it this skips, after a loud notice; under CI=true the run fails instead).
const databaseUrl = inject('databaseUrl');
const redisUrl = inject('redisUrl');
describe.skipIf(!redisUrl)('innkeeper bench --cache redis', () => {
  it('measures both ways, the storm and the agreement of cache and store, then cleans up', {
    timeout: 180_000,
  }, async () => {
    const out = join(dir, 'cache');
    const run = await runCacheBench({
      quick: true,
      hotels: 3,
      outDir: out,
      url: databaseUrl,
      redisUrl,
    });
    const { report } = run;
    expect(report.ways.map((w) => w.way)).toEqual(['uncached', 'cached']);
    for (const w of report.ways) {
      expect(w.searchPerSecond).toBeGreaterThan(0);
      expect(w.readStayPerSecond).toBeGreaterThan(0);
    }
    expect(report.storm).toMatchObject({ bookings: 1_000, hotelsChecked: 3, mismatches: 0 });
    expect(report.cacheStats.hits).toBeGreaterThan(0);
    expect(existsSync(join(out, 'innkeeper-bench-cache.md'))).toBe(true);
    expect(run.markdown).toContain('| cached |');

    // Its schema and its Redis keys are gone.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const { rows } = await pool.query(
      `SELECT 1 FROM pg_namespace WHERE nspname = 'innkeeper_cli_bench_cache'`,
    );
    await pool.end();
    expect(rows).toEqual([]);
    const redis = new Redis(redisUrl);
    const [, keys] = await redis.scan('0', 'MATCH', 'innkeeper-bench:*', 'COUNT', 10_000);
    await redis.quit();
    expect(keys).toEqual([]);
  });
});
