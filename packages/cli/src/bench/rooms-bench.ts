import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createPostgresStore, migrate } from '@innkeeper/adapter-postgres';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import {
  addDays,
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  type InnkeeperStore,
  planRoomAssignments,
} from '@innkeeper/core';
import type { ProgressSink } from '../progress-bar.js';
import {
  DatabaseUnreachableError,
  LOCAL_POSTGRES_URL,
  openCheckedPool,
} from '../stores/postgres-pool.js';
import type { StoreKind } from '../stores/store-target.js';

export interface RoomsBenchOptions {
  quick?: boolean;
  stores?: readonly StoreKind[];
  url?: string;
  outDir?: string;
  log?: ProgressSink | null;
  signal?: AbortSignal;
}

export interface RoomsBenchResult {
  store: StoreKind;
  rooms: number;
  arrivals: number;
  /** The pure planner on every arrival at once, in this run: the raw baseline. */
  plannerMs: number;
  /** `assignRooms` for each arrival date, end to end through the store. */
  assignMs: number;
  arrivalsPerSecond: number;
  /** assignMs / plannerMs. */
  ratio: number;
  assigned: number;
  relocated: number;
  /** Room-nights held twice afterwards: must be 0. */
  overlaps: number;
}

export interface RoomsBenchReport {
  quick: boolean;
  cpus: number;
  loadAverage: { start: number[]; end: number[] };
  results: RoomsBenchResult[];
  skipped: { store: StoreKind; reason: string }[];
  startedAt: string;
}

const HOTEL = 'rooms-bench';
const START = '2031-03-01';
const BENCH_SCHEMA = 'innkeeper_cli_bench_rooms';

/**
 * `innkeeper bench --rooms`: a 1,000-room hotel with 5,000 arrivals over twelve days
 * (stays of one to three nights, the house about 85% full), given rooms by
 * `assignRooms` one arrival date after another on each store; beside it, in the same run,
 * the pure planner placing the same arrivals with no store at all (the raw baseline).
 * Afterwards the room-night index is checked for any night held twice.
 */
export async function runRoomsBench(options: RoomsBenchOptions = {}) {
  const quick = options.quick === true;
  const rooms = quick ? 200 : 1_000;
  const arrivals = quick ? 1_000 : 5_000;
  const log = (text: string) => options.log?.write(`${text}\n`);
  const report: RoomsBenchReport = {
    quick,
    cpus: cpus().length,
    loadAverage: { start: loadavg(), end: [] },
    results: [],
    skipped: [],
    startedAt: new Date().toISOString(),
  };
  const url = options.url ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  for (const kind of options.stores ?? (['memory', 'sqlite', 'postgres'] as const)) {
    if (options.signal?.aborted) break;
    const opened = await openStore(kind, url).catch((error: unknown) => {
      if (!(error instanceof DatabaseUnreachableError)) throw error;
      report.skipped.push({ store: kind, reason: error.message });
      log(`bench --rooms: skipping ${kind}: ${error.message}`);
      return null;
    });
    if (!opened) continue;
    try {
      log(`bench --rooms: ${kind}: ${rooms} rooms, booking ${arrivals} arrivals`);
      report.results.push(await benchRooms(kind, opened.store, rooms, arrivals));
    } finally {
      await opened.close();
    }
  }
  report.loadAverage.end = loadavg();
  const markdown = roomsBenchMarkdown(report);
  const dir = resolve(options.outDir ?? '.bench-results');
  mkdirSync(dir, { recursive: true });
  const files = {
    markdown: join(dir, 'innkeeper-bench-rooms.md'),
    json: join(dir, 'innkeeper-bench-rooms.json'),
  };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return { report, markdown, files };
}

async function openStore(kind: StoreKind, url: string) {
  if (kind === 'memory') return { store: createMemoryStore(), close: async () => {} };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'innkeeper-rooms-bench-'));
    const store = createSqliteStore({ filename: join(dir, 'bench.db') });
    return {
      store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pool = await openCheckedPool(url, 8);
  await pool.query(`DROP SCHEMA IF EXISTS "${BENCH_SCHEMA}" CASCADE`);
  await migrate({ pool }, { schema: BENCH_SCHEMA });
  const store = createPostgresStore({ pool }, { schema: BENCH_SCHEMA });
  return {
    store,
    close: async () => {
      await store.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${BENCH_SCHEMA}" CASCADE`);
      await pool.end();
    },
  };
}

async function benchRooms(
  kind: StoreKind,
  store: InnkeeperStore,
  rooms: number,
  arrivals: number,
): Promise<RoomsBenchResult> {
  const inn = createInnkeeper({
    store,
    clock: createManualClock(`${START}T12:00:00.000Z`),
    telemetry: false,
  });
  await setUpHotel(inn, rooms);
  // Stays of 1-3 nights arriving over twelve days: about 0.85 of the house each night.
  let seed = 42;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const days = 12;
  for (let i = 0; i < arrivals; i++) {
    const arrive = Math.floor((i * days) / arrivals);
    const nights = 1 + Math.floor(random() * 3);
    await inn
      .book({
        hotelId: HOTEL,
        checkIn: addDays(START, arrive),
        checkOut: addDays(START, arrive + nights),
        idempotencyKey: `rooms-bench-${i}`,
        lines: [{ roomTypeId: 'std', adults: 1 }],
        guest: { name: 'Guest', email: `guest${i}@example.com` },
      })
      .catch(() => undefined); // a full night refuses: the house stays within its count
  }
  const booked = await store.listReservations({
    filter: { by: 'hotel', hotelId: HOTEL },
    limit: arrivals + 1,
  });
  const plannerStarted = performance.now();
  const plan = planRoomAssignments({
    rooms: await store.listRooms(HOTEL),
    taken: [],
    stays: booked.map((r) => ({
      reservationId: r.id,
      checkIn: r.checkIn,
      checkOut: r.checkOut,
      lines: r.lines,
      assigned: [],
    })),
  });
  const plannerMs = performance.now() - plannerStarted;
  void plan;
  const started = performance.now();
  let assigned = 0;
  let relocated = 0;
  for (let d = 0; d < days; d++) {
    const run = await inn.assignRooms({ hotelId: HOTEL, date: addDays(START, d) });
    assigned += run.assigned.length;
    relocated += run.relocations.length;
  }
  const assignMs = performance.now() - started;
  const nights = await store.listRoomNights({
    hotelId: HOTEL,
    from: START,
    to: addDays(START, days + 5),
  });
  const seen = new Set<string>();
  let overlaps = 0;
  for (const n of nights) {
    const key = `${n.roomId}@${n.date}`;
    if (seen.has(key)) overlaps++;
    seen.add(key);
  }
  return {
    store: kind,
    rooms,
    arrivals: booked.length,
    plannerMs: round(plannerMs),
    assignMs: round(assignMs),
    arrivalsPerSecond: Math.round((booked.length / assignMs) * 1000),
    ratio: round(assignMs / plannerMs),
    assigned,
    relocated,
    overlaps,
  };
}

async function setUpHotel(inn: Innkeeper, rooms: number): Promise<void> {
  await inn.createHotel({ id: HOTEL, name: 'Rooms bench', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({
    hotelId: HOTEL,
    id: 'std',
    name: 'Standard',
    maxAdults: 2,
    baseRate: 10_000,
    overbookingPercent: 0,
  });
  await inn.setInventory({
    hotelId: HOTEL,
    roomTypeId: 'std',
    from: START,
    to: addDays(START, 20),
    total: rooms,
  });
  for (let n = 1; n <= rooms; n++) {
    const floor = String(Math.ceil(n / 50));
    await inn.createRoom({
      hotelId: HOTEL,
      id: `room-${n}`,
      number: String(n),
      roomTypeId: 'std',
      floor,
      features: n % 7 === 0 ? ['sea-view'] : [],
    });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function roomsBenchMarkdown(r: RoomsBenchReport): string {
  const lines = [
    '# innkeeper bench --rooms',
    '',
    `${r.cpus} CPUs, load average ${r.loadAverage.start.map((n) => n.toFixed(2)).join(' ')} at start, ${r.loadAverage.end.map((n) => n.toFixed(2)).join(' ')} at end${r.quick ? ' (--quick)' : ''}.`,
    '',
    '| store | rooms | arrivals | planner alone (ms) | assignRooms (ms) | arrivals/s | assignRooms / planner | assigned | relocated | room-nights held twice |',
    '| ----- | ----: | -------: | -----------------: | ---------------: | ---------: | --------------------: | -------: | --------: | ---------------------: |',
    ...r.results.map(
      (x) =>
        `| ${x.store} | ${x.rooms} | ${x.arrivals} | ${x.plannerMs} | ${x.assignMs} | ${x.arrivalsPerSecond} | ${x.ratio} | ${x.assigned} | ${x.relocated} | ${x.overlaps} |`,
    ),
    ...r.skipped.map((s) => `\nSkipped ${s.store}: ${s.reason}`),
    '',
  ];
  return lines.join('\n');
}
