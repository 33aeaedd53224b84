/**
 * Postgres store throughput: 3-night bookings per second, printed, never asserted.
 *
 *   pnpm --filter @innkeeper/adapter-postgres bench            # 100 hotels
 *   pnpm --filter @innkeeper/adapter-postgres bench -- --scale # 5,000 hotels, 1M rooms
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and a schema of
 * its own (`innkeeper_bench`, dropped and re-created). In one process, on the same data,
 * with CLIENTS concurrent callers:
 * - raw: the SQL a hand-written booking needs: BEGIN, the stay's rows `FOR UPDATE` in
 *   date order, the conditional UPDATE (row count checked), INSERT the reservation,
 *   COMMIT — five round trips, named (prepared) statements;
 * - store: `applyBooking` with a planned reservation (one round trip);
 * - engine: `inn.book(...)` end to end (validation, readStay, pricing, applyBooking).
 * Two workloads: spread (random hotel, room type and date) and hot (one room type, stays
 * overlapping within a week). Each workload runs in ROUNDS short rounds, the three ways
 * taking turns going first, and each way's rate is its bookings over its summed time:
 * on a shared machine, load from elsewhere then falls on all three alike.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  addDays,
  claimsOf,
  createInnkeeper,
  createManualClock,
  freeCancellation,
  type Innkeeper,
  type Reservation,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import pg from 'pg';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { loadSeed } from './seed-loader.js';

const SCALE = process.argv.includes('--scale');
const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'innkeeper_bench';
const HOTELS = SCALE ? 5_000 : 100;
const ROOM_TYPES = 4;
/** 200 rooms per hotel over 4 room types: 5,000 hotels make 1M rooms. */
const ROOMS_PER_TYPE = 50;
const DAYS = 365;
const NIGHTS = 3;
const START = '2031-01-01';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
/** Bookings per way and workload, split over ROUNDS rounds. */
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 6_000);
const ROUNDS = 6;
/** The hot room type never sells out during the run: we measure contention, not SOLD_OUT. */
const HOT_TOTAL = 1_000_000;

const S = `"${SCHEMA}"`;
const DATES = Array.from({ length: DAYS }, (_, d) => addDays(START, d));
const AT = `${START}T00:00:00.000Z`;

interface Target {
  hotelId: string;
  roomTypeId: string;
  checkIn: string;
  checkOut: string;
}

type Workload = (i: number) => Target;

/** Cheap deterministic spread, different per phase so phases do not replay each other. */
function spread(salt: number): Workload {
  return (i) => {
    const n = i * 7_919 + salt * 104_729;
    const d = (n * 15_485_863) % (DAYS - NIGHTS);
    return {
      hotelId: `h${n % HOTELS}`,
      roomTypeId: `t${(n >>> 3) % ROOM_TYPES}`,
      checkIn: DATES[d] as string,
      checkOut: DATES[d + NIGHTS] as string,
    };
  };
}

/** One room type, check-ins within a week: every booking overlaps many others. */
function hot(salt: number): Workload {
  return (i) => {
    const d = (i * 31 + salt * 17) % 7;
    return {
      hotelId: 'h0',
      roomTypeId: 't0',
      checkIn: DATES[d] as string,
      checkOut: DATES[d + NIGHTS] as string,
    };
  };
}

function planFor(
  t: Target,
  key: string,
): { reservation: Reservation; deltas: ReturnType<typeof claimsOf> } {
  const nights = DATES.slice(DATES.indexOf(t.checkIn), DATES.indexOf(t.checkIn) + NIGHTS).map(
    (date) => ({ date, rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 }),
  );
  const lines = [
    {
      roomTypeId: t.roomTypeId,
      ratePlanId: STANDARD_RATE_PLAN_ID,
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
  ];
  const reservation: Reservation = {
    id: randomUUID(),
    hotelId: t.hotelId,
    status: 'confirmed',
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    lines,
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    roomCharge: 30_000,
    taxTotal: 0,
    total: 30_000,
    cancellation: freeCancellation(`${t.checkIn}T15:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: key,
    requestFingerprint: 'f',
    holdExpiresAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    history: [{ at: AT, action: 'created', status: 'confirmed' }],
  };
  return { reservation, deltas: claimsOf(lines) };
}

// ── The three ways to book ─────────────────────────────────────────────────────────────

const RAW_LOCK = {
  name: 'bench_raw_lock',
  text: `SELECT reserved, total, overbooking_limit, stop_sell FROM ${S}.calendar
         WHERE hotel_id = $1 AND room_type_id = $2 AND date >= $3 AND date < $4
         ORDER BY date FOR UPDATE`,
};
const RAW_UPDATE = {
  name: 'bench_raw_update',
  text: `UPDATE ${S}.calendar SET reserved = reserved + 1
         WHERE hotel_id = $1 AND room_type_id = $2 AND date >= $3 AND date < $4
           AND NOT stop_sell AND reserved + 1 <= total + overbooking_limit`,
};
const RAW_INSERT = {
  name: 'bench_raw_insert',
  text: `INSERT INTO ${S}.reservations (hotel_id, reservation_id, status, check_in, check_out,
           guest_email, created_at, hold_expires_at, idempotency_key, request_fingerprint,
           version, data, payment_pending, updated_at)
         VALUES ($1, $2, 'confirmed', $3, $4, $5, $6, NULL, $7, 'f', 1, $8, NULL, $6)`,
};

async function rawBooking(pool: pg.Pool, t: Target, key: string): Promise<void> {
  const { reservation } = planFor(t, key);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const window = [t.hotelId, t.roomTypeId, t.checkIn, t.checkOut];
    await client.query({ ...RAW_LOCK, values: window });
    const updated = await client.query({ ...RAW_UPDATE, values: window });
    if (updated.rowCount !== NIGHTS) throw new Error('sold out');
    await client.query({
      ...RAW_INSERT,
      values: [
        t.hotelId,
        reservation.id,
        t.checkIn,
        t.checkOut,
        reservation.guest.email,
        AT,
        key,
        JSON.stringify(reservation),
      ],
    });
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    throw error;
  }
}

async function storeBooking(store: PostgresStore, t: Target, key: string): Promise<void> {
  const outcome = await store.applyBooking(planFor(t, key));
  if (outcome.kind !== 'created') throw new Error(outcome.kind);
}

async function engineBooking(inn: Innkeeper, t: Target, key: string): Promise<void> {
  await inn.book({
    idempotencyKey: key,
    hotelId: t.hotelId,
    checkIn: t.checkIn,
    checkOut: t.checkOut,
    lines: [{ roomTypeId: t.roomTypeId, adults: 1 }],
    guest: { name: 'Guest', email: 'guest@example.com' },
  });
}

/** CLIENTS callers, each booking one after another, until `count` are done; returns ms. */
async function run(count: number, book: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < count; i = next++) await book(i);
    }),
  );
  return performance.now() - started;
}

// ── Main ───────────────────────────────────────────────────────────────────────────────

const pool = new pg.Pool({ connectionString: URL, max: CLIENTS });
pool.on('error', () => {});
console.log(
  `postgres bench: ${HOTELS} hotels x ${ROOM_TYPES} room types x ${DAYS} days (${(
    HOTELS * ROOM_TYPES * DAYS
  ).toLocaleString(
    'en',
  )} calendar rows), ${NIGHTS}-night stays, ${CLIENTS} clients, ${BOOKINGS} bookings per phase`,
);
const loadMs = await loadSeed(pool, {
  schema: SCHEMA,
  hotels: HOTELS,
  roomTypes: ROOM_TYPES,
  days: DAYS,
  start: START,
  // One hot room type that never sells out under the hot workload; plenty elsewhere.
  totalFor: (h, t) => (h === 0 && t === 0 ? HOT_TOTAL : ROOMS_PER_TYPE * 100),
});
console.log(`load (COPY): ${(loadMs / 1000).toFixed(1)} s`);

const store = createPostgresStore({ pool }, { schema: SCHEMA });
const inn = createInnkeeper({
  store,
  clock: createManualClock(`${START}T00:00:00Z`),
});
let phase = 0;
const perRound = Math.ceil(BOOKINGS / ROUNDS);
const ways = {
  raw: (w: (salt: number) => Workload) => {
    const target = w(++phase);
    const tag = `raw${phase}-`;
    return run(perRound, (i) => rawBooking(pool, target(i), tag + i));
  },
  store: (w: (salt: number) => Workload) => {
    const target = w(++phase);
    const tag = `store${phase}-`;
    return run(perRound, (i) => storeBooking(store, target(i), tag + i));
  },
  engine: (w: (salt: number) => Workload) => {
    const target = w(++phase);
    const tag = `engine${phase}-`;
    return run(perRound, (i) => engineBooking(inn, target(i), tag + i));
  },
};
type Way = keyof typeof ways;
const names: Way[] = ['raw', 'store', 'engine'];

for (const [name, workload] of [
  ['spread', spread],
  ['hot', hot],
] as const) {
  const ms: Record<Way, number> = { raw: 0, store: 0, engine: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...names.slice(round % 3), ...names.slice(0, round % 3)];
    for (const way of round % 2 ? order.reverse() : order) ms[way] += await ways[way](workload);
  }
  const rate = (way: Way) => (perRound * ROUNDS * 1000) / ms[way];
  const fmt = (n: number) => String(Math.round(n)).padStart(7);
  console.log(
    `${name.padEnd(7)} raw ${fmt(rate('raw'))}/s   store ${fmt(rate('store'))}/s   engine ${fmt(rate('engine'))}/s   store/raw ${(rate('store') / rate('raw')).toFixed(2)}x   engine/raw ${(rate('engine') / rate('raw')).toFixed(2)}x`,
  );
}
// BENCH_KEEP=1 leaves the data in place for EXPLAIN and friends.
if (!process.env.BENCH_KEEP) await pool.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
await pool.end();
