/**
 * SQLite store throughput against raw better-sqlite3: bookings per second, printed,
 * never asserted.
 *
 *   pnpm --filter @innkeeper/adapter-sqlite bench
 *
 * One run, three contenders, each on its own copy of the same seeded file (WAL,
 * synchronous=NORMAL, in a temp dir; by default the seed's scale: 5,000 hotels, 1M
 * rooms, a year of inventory), each booking 3-night stays of one room:
 * - raw: hand-written better-sqlite3 doing what any correct booking needs: in one
 *   `BEGIN IMMEDIATE` transaction, a guarded `UPDATE` per night (rolled back unless every
 *   night fits) and the reservation's `INSERT` (same table, same indexes, JSON payload);
 * - store: `applyBooking` with a planned reservation; on top of raw it checks the
 *   idempotency key, records the nights for the audit and appends the change-feed event;
 * - engine: `inn.book(...)` end to end (zod parsing, fingerprint, a `readStay` snapshot,
 *   pricing, then the store command).
 * Two workloads: spread (random hotels, room types and dates) and hot (one room type,
 * overlapping stays). Each contender runs ROUNDS rounds interleaved with the others and
 * keeps its best, so a noisy neighbour on the machine hurts everyone alike.
 *
 * Environment: BENCH_BOOKINGS (per round, default 2000), BENCH_ROUNDS (8),
 * BENCH_HOTELS (5000), BENCH_SYNCHRONOUS (NORMAL or FULL), BENCH_WORKLOADS (spread,hot).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  addDays,
  claimsOf,
  createInnkeeper,
  createManualClock,
  freeCancellation,
  type Innkeeper,
  type Reservation,
} from '@innkeeper/core';
import Database from 'better-sqlite3';
import { createSqliteStore, type SqliteStore, sqliteTableNames } from '../src/index.js';
import { reservationParams } from '../src/sqlite-rows.js';
import { insertReservationSql } from '../src/sqlite-statements.js';

const HOTELS = Number(process.env.BENCH_HOTELS ?? 5000);
const ROOM_TYPES = 5;
/** 5,000 hotels x 5 room types x 40 rooms: the seed's million rooms. */
const ROOMS_PER_TYPE = 40;
const DAYS = 365;
const NIGHTS = 3;
const START = '2031-01-01';
const PER_ROUND = Number(process.env.BENCH_BOOKINGS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const SYNCHRONOUS = (process.env.BENCH_SYNCHRONOUS ?? 'NORMAL') as 'NORMAL' | 'FULL';
const AT = `${START}T00:00:00.000Z`;

/** The store's tables, with its default prefix: what the seed's SQL and the raw contender write. */
const TABLES = sqliteTableNames();

const DATES = Array.from({ length: DAYS }, (_, d) => addDays(START, d));

interface Target {
  hotelId: string;
  roomTypeId: string;
  /** Index into DATES of the check-in. */
  day: number;
}

type Workload = (i: number) => Target;

const workloads: Record<string, Workload> = {
  // A cheap deterministic spread over hotels, room types and dates.
  spread: (i) => ({
    hotelId: `h${(i * 7919) % HOTELS}`,
    roomTypeId: `t${(i * 104_729) % ROOM_TYPES}`,
    day: (i * 15_485_863) % (DAYS - NIGHTS),
  }),
  // Every booking on one room type, stays starting on one of 5 nights: all overlap.
  hot: (i) => ({ hotelId: 'h0', roomTypeId: 't0', day: 10 + (i % 5) }),
};

function engineOn(store: SqliteStore, prefix: string): Innkeeper {
  let id = 0;
  return createInnkeeper({
    store,
    clock: createManualClock(AT),
    generateId: () => `${prefix}${++id}`,
  });
}

/**
 * The seeded template every contender copies: hotels and room types through the engine,
 * then a year of inventory written in one SQL statement (a million rooms at the seed's
 * scale of 5,000 hotels). The hot room type gets a deep block so it never sells out: the
 * bench measures the path every booking takes, not refusals.
 */
async function seed(file: string): Promise<void> {
  const store = createSqliteStore({ filename: file });
  const inn = engineOn(store, 'seed');
  for (let h = 0; h < HOTELS; h++) {
    await inn.createHotel({ id: `h${h}`, name: `Hotel ${h}`, timeZone: 'UTC', currency: 'EUR' });
    for (let t = 0; t < ROOM_TYPES; t++) {
      await inn.createRoomType({
        id: `t${t}`,
        hotelId: `h${h}`,
        name: `Type ${t}`,
        maxAdults: 2,
        baseRate: 10_000,
      });
    }
  }
  await store.close();
  const db = new Database(file);
  db.exec(`
    WITH RECURSIVE days(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM days WHERE n < ${DAYS - 1})
    INSERT INTO ${TABLES.calendar} (hotel_id, room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate)
    SELECT hotel_id, room_type_id, date('${START}', '+' || n || ' days'),
           ${ROOMS_PER_TYPE}, ${Math.floor(ROOMS_PER_TYPE / 10)}, 0, 0, NULL
    FROM ${TABLES.roomTypes}, days ORDER BY 1, 2, 3;
    UPDATE ${TABLES.calendar} SET total = 100000, overbooking_limit = 10000
    WHERE hotel_id = 'h0' AND room_type_id = 't0';
  `);
  db.close();
}

function reservationFor(t: Target, id: string): Reservation {
  const nights = DATES.slice(t.day, t.day + NIGHTS).map((date) => ({
    date,
    rate: 10_000,
    supplements: 0,
    discount: 0,
    amount: 10_000,
    tax: 0,
  }));
  const checkIn = DATES[t.day] as string;
  return {
    id,
    hotelId: t.hotelId,
    status: 'confirmed',
    checkIn,
    checkOut: DATES[t.day + NIGHTS] as string,
    lines: [
      {
        roomTypeId: t.roomTypeId,
        ratePlanId: 'standard',
        rooms: 1,
        adults: 1,
        children: 0,
        nights,
        taxes: [],
        roomCharge: 30_000,
        taxTotal: 0,
        total: 30_000,
        policy: null,
      },
    ],
    guest: { name: 'Guest', email: `guest${id}@example.com` },
    currency: 'EUR',
    roomCharge: 30_000,
    taxTotal: 0,
    total: 30_000,
    cancellation: freeCancellation(`${checkIn}T15:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: `k-${id}`,
    requestFingerprint: 'f',
    holdExpiresAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    history: [{ at: AT, action: 'created', status: 'confirmed' }],
  };
}

/**
 * A contender books `count` stays of the workload starting at booking number `from`;
 * `tag` keeps ids and keys of different workloads apart in one file.
 */
interface Contender {
  name: string;
  book(workload: Workload, tag: string, from: number, count: number): Promise<void>;
  close(): Promise<void>;
}

function raw(file: string): Contender {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  const take = db.prepare(`UPDATE ${TABLES.calendar} SET reserved = reserved + ?
    WHERE hotel_id = ? AND room_type_id = ? AND date = ?
      AND stop_sell = 0 AND reserved + ? <= total + overbooking_limit`);
  // The store's own INSERT: same columns, in the order reservationParams gives them.
  const insert = db.prepare(insertReservationSql(TABLES.reservations));
  const book = db.transaction((r: Reservation) => {
    const line = r.lines[0];
    if (!line) throw new Error('no line');
    for (const night of line.nights) {
      if (take.run(1, r.hotelId, line.roomTypeId, night.date, 1).changes !== 1) {
        throw new Error('sold out'); // rolls the whole booking back
      }
    }
    insert.run(...reservationParams(r, JSON.stringify(r)));
  });
  return {
    name: 'raw',
    async book(workload, tag, from, count) {
      for (let i = from; i < from + count; i++) {
        book.immediate(reservationFor(workload(i), `r-${tag}-${i}`));
      }
    },
    async close() {
      db.close();
    },
  };
}

function store(file: string): Contender {
  const s = createSqliteStore({ filename: file }, { synchronous: SYNCHRONOUS });
  return {
    name: 'store',
    async book(workload, tag, from, count) {
      for (let i = from; i < from + count; i++) {
        const reservation = reservationFor(workload(i), `s-${tag}-${i}`);
        const outcome = await s.applyBooking({ reservation, deltas: claimsOf(reservation.lines) });
        if (outcome.kind !== 'created') throw new Error(outcome.kind);
      }
    },
    close: () => s.close(),
  };
}

function engine(file: string): Contender {
  const s = createSqliteStore({ filename: file }, { synchronous: SYNCHRONOUS });
  const inn = engineOn(s, 'e');
  return {
    name: 'engine',
    async book(workload, tag, from, count) {
      for (let i = from; i < from + count; i++) {
        const t = workload(i);
        await inn.book({
          idempotencyKey: `k-${tag}-${i}`,
          hotelId: t.hotelId,
          checkIn: DATES[t.day] as string,
          checkOut: DATES[t.day + NIGHTS] as string,
          lines: [{ roomTypeId: t.roomTypeId, adults: 1 }],
          guest: { name: 'Guest', email: `guest${i}@example.com` },
        });
      }
    },
    close: () => s.close(),
  };
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'innkeeper-sqlite-bench-'));
  try {
    const template = join(dir, 'template.db');
    const seeding = performance.now();
    await seed(template);
    console.log(
      `sqlite bench: ${HOTELS} hotels x ${ROOM_TYPES} room types x ${DAYS} days ` +
        `(${HOTELS * ROOM_TYPES * DAYS} calendar rows, ${HOTELS * ROOM_TYPES * ROOMS_PER_TYPE} rooms, ` +
        `seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)\n` +
        `${NIGHTS}-night stays of one room, ${PER_ROUND} bookings x ${ROUNDS} rounds per contender, ` +
        `WAL, synchronous=${SYNCHRONOUS}; best round shown`,
    );
    // One copy of the template per contender; every contender then runs the same
    // workloads in the same order, so each works on the same data at every step.
    const contenders = [raw, store, engine].map((make, n) => {
      const file = join(dir, `contender-${n}.db`);
      copyFileSync(template, file);
      return make(file);
    });
    const chosen = (process.env.BENCH_WORKLOADS ?? 'spread,hot').split(',');
    for (const [name, workload] of Object.entries(workloads)) {
      if (!chosen.includes(name)) continue;
      const best = new Map<string, number>();
      // Warm up the JIT and the page cache, untimed.
      for (const c of contenders) await c.book(workload, name, 0, 500);
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of contenders) {
          const from = 1000 + round * PER_ROUND;
          const started = performance.now();
          await c.book(workload, name, from, PER_ROUND);
          const rate = perSecond(PER_ROUND, performance.now() - started);
          best.set(c.name, Math.max(best.get(c.name) ?? 0, rate));
        }
      }
      const rawRate = best.get('raw') ?? 1;
      console.log(`${name}:`);
      for (const label of ['raw', 'store', 'engine']) {
        const rate = best.get(label) ?? 0;
        console.log(
          `  ${label.padEnd(7)} ${String(rate).padStart(7)} bookings/s  ${(rate / rawRate).toFixed(2)}x raw`,
        );
      }
    }
    for (const c of contenders) await c.close();
    console.log('goal: store >= 0.80x raw');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();
