/**
 * Memory store throughput: single-night bookings per second, printed, never asserted.
 *
 *   pnpm --filter @innkeeper/adapter-memory bench
 *
 * Four figures from one run on the same data shape:
 * - raw: the least work any in-process booking needs (check a counter, bump it, keep
 *   the booking in a Map), as a baseline;
 * - raw+rec: the same, also keeping the records a reservation store must keep (the
 *   reservation's objects and a change-feed entry);
 * - store: `applyBooking` with a planned reservation (the store's atomic command);
 * - engine: `inn.book(...)` end to end (zod parsing, idempotency fingerprint, pricing,
 *   the store command).
 */
import { performance } from 'node:perf_hooks';
import {
  addDays,
  claimsOf,
  createInnkeeper,
  createManualClock,
  freeCancellation,
  type Reservation,
  type ReservationLine,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import { createMemoryStore } from '../src/index.js';

const HOTELS = 100;
const ROOM_TYPES = 5;
const DAYS = 365;
const START = '2031-01-01';
const N = Number(process.env.BENCH_BOOKINGS ?? 300_000);

async function setup() {
  const store = createMemoryStore();
  const clock = createManualClock(`${START}T00:00:00Z`);
  let id = 0;
  const inn = createInnkeeper({
    store,
    clock,
    generateId: () => `r${++id}`,
    limits: { maxStayNights: 30 },
  });
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
      // Enough rooms that no booking in the run sells out: we measure the happy path.
      await inn.setInventory({
        hotelId: `h${h}`,
        roomTypeId: `t${t}`,
        from: START,
        to: addDays(START, DAYS - 1),
        total: 100_000,
      });
    }
  }
  return { store, inn };
}

const DATES = Array.from({ length: DAYS }, (_, d) => addDays(START, d));
const HOTEL_IDS = Array.from({ length: HOTELS }, (_, h) => `h${h}`);
const ROOM_TYPE_IDS = Array.from({ length: ROOM_TYPES }, (_, t) => `t${t}`);

function target(i: number) {
  // A cheap deterministic spread over hotels, room types and dates.
  const d = (i * 15_485_863) % (DAYS - 1);
  return {
    hotelId: HOTEL_IDS[(i * 7919) % HOTELS] as string,
    roomTypeId: ROOM_TYPE_IDS[(i * 104_729) % ROOM_TYPES] as string,
    checkIn: DATES[d] as string,
    checkOut: DATES[d + 1] as string,
  };
}

function rate(label: string, count: number, ms: number) {
  const perSecond = Math.round((count / ms) * 1000);
  console.log(
    `${label.padEnd(8)} ${String(perSecond).padStart(10)} bookings/s  (${count} in ${ms.toFixed(0)} ms)`,
  );
  return perSecond;
}

/**
 * `keepRecord`: also keep what a reservation store must keep for each booking (the
 * reservation with its line, night, taxes, guest, cancellation terms and history entry,
 * and a change-feed entry),
 * as plain objects. It shows how much of the store's cost is simply retaining that data:
 * in V8 every object that stays alive is copied by the young-generation collector.
 */
function raw(keepRecord: boolean): number {
  const counters = new Map<string, { reserved: number; cap: number }>();
  const bookings = new Map<string, unknown>();
  const feed: unknown[] = [];
  for (let i = 0; i < N; i++) {
    const t = target(i);
    const key = `${t.hotelId}\u0000${t.roomTypeId}\u0000${t.checkIn}`;
    const row = counters.get(key) ?? { reserved: 0, cap: 110_000 };
    if (row.reserved === 0) counters.set(key, row);
    if (row.reserved + 1 > row.cap) throw new Error('sold out');
    row.reserved += 1;
    if (!keepRecord) {
      bookings.set(`b${i}`, { ...t, rooms: 1 });
      continue;
    }
    const at = '2031-01-01T00:00:00.000Z';
    const record = {
      ...t,
      id: `b${i}`,
      key: `k${i}`,
      lines: [
        {
          roomTypeId: t.roomTypeId,
          rooms: 1,
          nights: [
            { date: t.checkIn, rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
          ],
          taxes: [],
        },
      ],
      guest: { name: 'Guest', email: 'guest@example.com' },
      cancellation: { checkInAt: at, freeUntil: null, windows: [], noShowFee: 0 },
      history: [{ at, action: 'created' }],
    };
    bookings.set(record.id, record);
    feed.push({ seq: i + 1, id: record.id, days: [{ ...row }] });
  }
  return bookings.size + feed.length;
}

async function storeOnly(): Promise<number> {
  const { store } = await setup();
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const t = target(i);
    const lines: ReservationLine[] = [
      {
        roomTypeId: t.roomTypeId,
        ratePlanId: STANDARD_RATE_PLAN_ID,
        rooms: 1,
        adults: 1,
        children: 0,
        nights: [
          { date: t.checkIn, rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
        ],
        taxes: [],
        roomCharge: 10_000,
        taxTotal: 0,
        total: 10_000,
        policy: null,
      },
    ];
    const at = '2031-01-01T00:00:00.000Z';
    const reservation: Reservation = {
      id: `s${i}`,
      hotelId: t.hotelId,
      status: 'confirmed',
      checkIn: t.checkIn,
      checkOut: t.checkOut,
      lines,
      guest: { name: 'Guest', email: 'guest@example.com' },
      currency: 'EUR',
      roomCharge: 10_000,
      taxTotal: 0,
      total: 10_000,
      cancellation: freeCancellation(`${t.checkIn}T15:00:00.000Z`),
      payment: null,
      settlement: null,
      idempotencyKey: `k${i}`,
      requestFingerprint: 'f',
      holdExpiresAt: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
      history: [{ at, action: 'created', status: 'confirmed' }],
    };
    const outcome = await store.applyBooking({ reservation, deltas: claimsOf(lines) });
    if (outcome.kind !== 'created') throw new Error(outcome.kind);
  }
  return performance.now() - started;
}

async function engine(): Promise<number> {
  const { inn } = await setup();
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const t = target(i);
    await inn.book({
      idempotencyKey: `k${i}`,
      hotelId: t.hotelId,
      checkIn: t.checkIn,
      checkOut: t.checkOut,
      lines: [{ roomTypeId: t.roomTypeId, adults: 1 }],
      guest: { name: 'Guest', email: 'guest@example.com' },
    });
  }
  return performance.now() - started;
}

console.log(
  `memory store bench: ${N} single-night bookings, ${HOTELS} hotels x ${ROOM_TYPES} room types x ${DAYS} days`,
);
function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}
const rawRate = rate(
  'raw',
  N,
  timed(() => raw(false)),
);
const recordRate = rate(
  'raw+rec',
  N,
  timed(() => raw(true)),
);
const storeRate = rate('store', N, await storeOnly());
const engineRate = rate('engine', N, await engine());
console.log(
  `store/raw ${(storeRate / rawRate).toFixed(2)}x   store/raw+rec ${(storeRate / recordRate).toFixed(2)}x   engine/raw ${(engineRate / rawRate).toFixed(2)}x   goal: store >= 250000/s`,
);
