import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createPostgresStore, migrate } from '@innkeeper/adapter-postgres';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import {
  addDays,
  createFileArchiveSink,
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  type InnkeeperStore,
} from '@innkeeper/core';
import { LatencyRecorder, type LatencySummary } from '../latency-recorder.js';
import type { ProgressSink } from '../progress-bar.js';
import {
  DatabaseUnreachableError,
  LOCAL_POSTGRES_URL,
  openCheckedPool,
} from '../stores/postgres-pool.js';
import type { ArchiveBenchDatabase } from './archive-bench-data.js';
import { postgresArchiveBench } from './archive-bench-postgres.js';
import { sqliteArchiveBench } from './archive-bench-sqlite.js';

export type ArchiveBenchStore = 'sqlite' | 'postgres';

export interface ArchiveBenchOptions {
  /** Finished reservations to archive (default 1,000,000; 20,000 with `quick`). */
  reservations?: number;
  quick?: boolean;
  stores?: readonly ArchiveBenchStore[];
  url?: string;
  outDir?: string;
  log?: ProgressSink | null;
  signal?: AbortSignal;
}

export interface ArchiveBenchResult {
  store: ArchiveBenchStore;
  /** Finished reservations in the store before, archived by the engine and by the raw baseline. */
  finished: number;
  hot: number;
  hotels: number;
  days: number;
  seedMs: number;
  /** The engine's `archive()`: reservations per second, and the raw baseline's on its share. */
  engine: { reservations: number; ms: number; perSecond: number; files: number };
  raw: { reservations: number; ms: number; perSecond: number };
  /** raw per second / engine per second. */
  ratio: number;
  /** Bytes of the store once vacuumed, before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Bytes of the engine's archive files, and per million reservations in them. */
  archiveBytes: number;
  archiveBytesPerMillion: number;
  /** `getReservation` of a hot (open) stay, before and after. */
  hotLookupBefore: LatencySummary;
  hotLookupAfter: LatencySummary;
  /** `getArchivedReservation` of an archived stay (reads its file). */
  archivedLookup: LatencySummary;
}

export interface ArchiveBenchReport {
  cpus: number;
  loadAverage: { start: number[]; end: number[] };
  results: ArchiveBenchResult[];
  skipped: { store: ArchiveBenchStore; reason: string }[];
  startedAt: string;
}

const HOTELS = 100;
const PER_DAY = 250_000;
const SCHEMA = 'innkeeper_cli_bench_archive';
/** The bench's today: the stays end more than 90 days before it. */
const TODAY = '2031-06-01';
/** One hotel in ten is archived by the raw baseline, the rest by the engine. */
const RAW_SHARE = 10;

/**
 * `innkeeper bench --archive`: a store holding `reservations` finished stays (about
 * 250,000 a day, one night each, over 100 hotels, cloned in SQL from one stay made through
 * the engine) and a tenth as many open ones; then the engine's `archive()` moves the
 * finished stays of nine hotels in ten to gzip NDJSON files, and the raw baseline (read,
 * gzip, delete, by hand) those of the tenth. Reports the rate of each, the store's size
 * vacuumed before and after, a hot lookup's latency before and after, and the archive's
 * size per million reservations.
 */
export async function runArchiveBench(options: ArchiveBenchOptions = {}) {
  const finished = options.reservations ?? (options.quick ? 20_000 : 1_000_000);
  const log = (text: string) => options.log?.write(`${text}\n`);
  const dir = resolve(options.outDir ?? '.bench-results');
  mkdirSync(dir, { recursive: true });
  const report: ArchiveBenchReport = {
    cpus: cpus().length,
    loadAverage: { start: loadavg(), end: [] },
    results: [],
    skipped: [],
    startedAt: new Date().toISOString(),
  };
  const url = options.url ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  for (const kind of options.stores ?? (['sqlite', 'postgres'] as const)) {
    if (options.signal?.aborted) break;
    const work = join(dir, `archive-bench-${kind}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const opened = await openStore(kind, url, work).catch((error: unknown) => {
      if (!(error instanceof DatabaseUnreachableError)) throw error;
      report.skipped.push({ store: kind, reason: error.message });
      log(`bench --archive: skipping ${kind}: ${error.message}`);
      return null;
    });
    if (!opened) continue;
    try {
      report.results.push(await benchArchive(kind, opened, finished, work, log));
    } finally {
      await opened.close();
      rmSync(join(work, 'store.db'), { force: true });
    }
  }
  report.loadAverage.end = loadavg();
  const markdown = archiveBenchMarkdown(report);
  const files = {
    markdown: join(dir, 'innkeeper-bench-archive.md'),
    json: join(dir, 'innkeeper-bench-archive.json'),
  };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return { report, markdown, files };
}

interface OpenedStore {
  store: InnkeeperStore;
  database: ArchiveBenchDatabase;
  close(): Promise<void>;
}

async function openStore(kind: ArchiveBenchStore, url: string, work: string): Promise<OpenedStore> {
  if (kind === 'sqlite') {
    const file = join(work, 'store.db');
    const store = createSqliteStore({ filename: file });
    const database = sqliteArchiveBench(file);
    return {
      store,
      database,
      close: async () => {
        await database.close();
        await store.close();
      },
    };
  }
  const pool = await openCheckedPool(url, 4);
  await pool.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await migrate({ pool }, { schema: SCHEMA });
  const store = createPostgresStore({ pool }, { schema: SCHEMA });
  return {
    store,
    database: postgresArchiveBench(pool, SCHEMA),
    close: async () => {
      await store.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      await pool.end();
    },
  };
}

async function benchArchive(
  kind: ArchiveBenchStore,
  { store, database }: OpenedStore,
  finished: number,
  work: string,
  log: (text: string) => void,
): Promise<ArchiveBenchResult> {
  const clock = createManualClock(`${TODAY}T12:00:00.000Z`);
  const sink = createFileArchiveSink({ directory: join(work, 'archive') });
  const inn = createInnkeeper({ store, clock, telemetry: false, archive: { sink } });
  const days = Math.max(1, Math.ceil(finished / PER_DAY));
  const hot = Math.max(1_000, Math.round(finished / 10));
  log(
    `bench --archive: ${kind}: ${finished.toLocaleString('en-US')} finished stays over ${days} days, ${hot.toLocaleString('en-US')} open`,
  );
  const seedStarted = performance.now();
  const templates = await makeTemplates(inn, clock);
  const firstNight = addDays(TODAY, -(100 + days));
  await database.clone({
    templateId: templates.finished,
    prefix: 'f',
    count: finished,
    hotels: HOTELS,
    firstNight,
    perDay: Math.min(PER_DAY, finished),
    stayPerGuest: 3,
  });
  await database.clone({
    templateId: templates.open,
    prefix: 'o',
    count: hot,
    hotels: HOTELS,
    firstNight: addDays(TODAY, 2),
    perDay: Math.ceil(hot / 30),
    stayPerGuest: 3,
  });
  const seedMs = performance.now() - seedStarted;
  log(`bench --archive: ${kind}: seeded in ${Math.round(seedMs / 1000)} s; vacuuming`);
  const bytesBefore = await database.vacuumedBytes();
  const hotIds = Array.from({ length: 2_000 }, (_, i) => `o${(i * 7_919) % hot}`);
  const hotLookupBefore = await lookups(inn, hotIds);

  // The cut-off: the day after the last finished stay ended, 90 days or more ago.
  const before = addDays(firstNight, days + 1);
  const rawHotels = Array.from({ length: HOTELS / RAW_SHARE }, (_, i) => `h${i * RAW_SHARE}`);
  log(`bench --archive: ${kind}: raw baseline on ${rawHotels.length} hotels`);
  const rawStarted = performance.now();
  const rawMoved = await database.rawArchive(rawHotels, before, 5_000, join(work, 'raw-archive'));
  const rawMs = performance.now() - rawStarted;

  log(`bench --archive: ${kind}: archive() on the other ${HOTELS - rawHotels.length} hotels`);
  const engineStarted = performance.now();
  let archived = 0;
  let files = 0;
  for (;;) {
    const run = await inn.archive({ before, limit: 1_000_000 });
    archived += run.reservations;
    files += run.files.length;
    log(`bench --archive: ${kind}: ${archived.toLocaleString('en-US')} archived`);
    if (run.reservations === 0) break;
  }
  const engineMs = performance.now() - engineStarted;
  const bytesAfter = await database.vacuumedBytes();
  const hotLookupAfter = await lookups(inn, hotIds);
  const archivedIds = Array.from(
    { length: 200 },
    (_, i) => `f${(i * 7_919 + 1) % finished}`,
  ).filter((id) => (Number(id.slice(1)) % HOTELS) % RAW_SHARE !== 0);
  const archivedLookup = await lookups(inn, archivedIds, (id) => inn.getArchivedReservation(id));
  const archiveBytes = duBytes(join(work, 'archive'));
  return {
    store: kind,
    finished,
    hot,
    hotels: HOTELS,
    days,
    seedMs: Math.round(seedMs),
    engine: {
      reservations: archived,
      ms: Math.round(engineMs),
      perSecond: Math.round((archived / engineMs) * 1000),
      files,
    },
    raw: {
      reservations: rawMoved,
      ms: Math.round(rawMs),
      perSecond: Math.round((rawMoved / rawMs) * 1000),
    },
    ratio: Math.round((rawMoved / rawMs / (archived / engineMs)) * 10) / 10,
    bytesBefore,
    bytesAfter,
    archiveBytes,
    archiveBytesPerMillion: Math.round((archiveBytes / Math.max(archived, 1)) * 1_000_000),
    hotLookupBefore,
    hotLookupAfter,
    archivedLookup,
  };
}

/** One stay of each kind through the engine: checked out (to clone as finished) and open. */
async function makeTemplates(inn: Innkeeper, clock: ReturnType<typeof createManualClock>) {
  for (let h = 0; h < HOTELS; h++) {
    await inn.createHotel({ id: `h${h}`, name: `Hotel ${h}`, timeZone: 'UTC', currency: 'EUR' });
    await inn.createRoomType({
      hotelId: `h${h}`,
      id: 'std',
      name: 'Standard',
      maxAdults: 2,
      baseRate: 12_000,
    });
  }
  await inn.setInventory({
    hotelId: 'h0',
    roomTypeId: 'std',
    from: TODAY,
    to: addDays(TODAY, 40),
    total: 50,
  });
  const stay = (key: string, checkIn: string) => ({
    hotelId: 'h0',
    checkIn,
    checkOut: addDays(checkIn, 1),
    idempotencyKey: key,
    lines: [{ roomTypeId: 'std', adults: 2 }],
    guest: { name: 'Template Guest', email: 'template@example.com', phone: '+1 555 0100' },
  });
  const done = await inn.book(stay('template-finished', TODAY));
  await inn.updateReservationDetails({ reservationId: done.id, specialRequests: 'late arrival' });
  await inn.checkIn({ reservationId: done.id });
  const open = await inn.book(stay('template-open', addDays(TODAY, 3)));
  clock.advance(24 * 3600 * 1000);
  await inn.checkOut({ reservationId: done.id });
  return { finished: done.id, open: open.id };
}

async function lookups(
  inn: Innkeeper,
  ids: string[],
  read: (id: string) => Promise<unknown> = (id) => inn.getReservation(id),
): Promise<LatencySummary> {
  const recorder = new LatencyRecorder();
  for (const id of ids) {
    const started = performance.now();
    await read(id);
    recorder.record(performance.now() - started);
  }
  return recorder.summary();
}

function duBytes(directory: string): number {
  return Number(execFileSync('du', ['-sb', directory]).toString().split('\t')[0]);
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function archiveBenchMarkdown(r: ArchiveBenchReport): string {
  return [
    '# innkeeper bench --archive',
    '',
    `${r.cpus} CPUs, load average ${r.loadAverage.start.map((n) => n.toFixed(2)).join(' ')} at start, ${r.loadAverage.end.map((n) => n.toFixed(2)).join(' ')} at end.`,
    '',
    '| store | finished stays | archive() /s | raw /s | raw / archive() | store before (vacuumed) | after | archive per million | hot lookup p50 / p99 before | after | archived lookup p50 |',
    '| ----- | -------------: | -----------: | -----: | --------------: | ----------------------: | ----: | ------------------: | --------------------------: | ----: | ------------------: |',
    ...r.results.map(
      (x) =>
        `| ${x.store} | ${x.finished.toLocaleString('en-US')} | ${x.engine.perSecond.toLocaleString('en-US')} | ${x.raw.perSecond.toLocaleString('en-US')} | ${x.ratio} | ${mb(x.bytesBefore)} | ${mb(x.bytesAfter)} | ${mb(x.archiveBytesPerMillion)} | ${x.hotLookupBefore.p50} / ${x.hotLookupBefore.p99} ms | ${x.hotLookupAfter.p50} / ${x.hotLookupAfter.p99} ms | ${x.archivedLookup.p50} ms |`,
    ),
    ...r.skipped.map((s) => `\nSkipped ${s.store}: ${s.reason}`),
    '',
  ].join('\n');
}
