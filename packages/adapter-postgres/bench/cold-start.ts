/**
 * The first booking on a brand-new Postgres backend against one on a used backend.
 *
 *   pnpm --filter @innkeeper/adapter-postgres bench:cold-start               # before and after
 *   pnpm --filter @innkeeper/adapter-postgres bench:cold-start -- --no-fix   # before only
 *   pnpm --filter @innkeeper/adapter-postgres bench:cold-start -- --fix-only # after only
 *   (also --rounds N (default 40), --gap MS (default 200))
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and a schema of its
 * own (`innkeeper_coldstart`, dropped and re-created, dropped again at the end). Printed,
 * never asserted. "before" is a store with the fix disabled (`replaceLostConnections:
 * false`, no `warmUp()`), "after" the store as shipped; by default both run in the same
 * process, taking turns round by round, so load from elsewhere falls on both alike.
 * Bookings are `store.applyBooking` of 3 nights, never sold out:
 *
 * - warm: one at a time on a pool of 2 whose backends have served bookings before, back
 *   to back, and again each after `--gap` ms idle (the fair comparison for a booking that
 *   comes `--gap` ms after a failover: an idle process's next statement is slower);
 * - after a failover: every backend of that pool is terminated (`pg_terminate_backend`,
 *   waiting until they are gone) and the next booking comes `--gap` ms later. Before, it
 *   opens a new connection and is the first booking on that backend; after, the store
 *   has replaced the lost connections in the background and warmed them, and the booking
 *   is the first one on such a warmed backend;
 * - a burst: a pool of 8, all terminated, then 8 bookings at once (8 new backends
 *   starting together on a shared machine, the usual picture after a failover);
 * - new store: its first booking opens the connection (before), or `await
 *   store.warmUp()` did that first (after; its own time printed apart); then the used
 *   store's next booking, at the same moment of the process (its backend idle meanwhile);
 * - a brand-new backend on a bare pg client: connecting, the first booking cold, the
 *   warm-up's statements, the first booking after them, and a second booking; and the
 *   first booking after the warm-up plus a real booking rolled back (what a warm-up that
 *   locked real rows and drew an event number could reach, at best); and, each round after
 *   those, the next booking of a backend long used, at the same moment of the process.
 *
 * Only this script's connections are terminated: they carry an application_name of
 * their own.
 *
 * Why it is not a mode of `innkeeper bench` (which measures throughput on a loaded chain,
 * and has no other bench harness beside it): it kills backends and compares the store
 * with its connection handling turned off and on, and it times the store's own internal
 * statements on a bare connection (`buildQueries`, `warmUpStatements`), which only this
 * package can reach. Its data is small (20 hotels), set up through the engine's public
 * API; it needs no bulk loader.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  addDays,
  createInnkeeper,
  createManualClock,
  freeCancellation,
  type Reservation,
  STANDARD_RATE_PLAN_ID,
} from '@innkeeper/core';
import { claimsOf } from '@innkeeper/core/store';
import pg from 'pg';
import { createPostgresStore, migrate, type PostgresStore } from '../src/index.js';
import { buildQueries } from '../src/postgres-queries.js';
import { warmUpStatements } from '../src/postgres-warm-up.js';

const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 40);
const GAP_MS = arg('--gap', 200);
const SCHEMA = 'innkeeper_coldstart';
const S = `"${SCHEMA}"`;
const HOTELS = 20;
const ROOM_TYPES = 4;
const DAYS = 365;
const START = '2031-01-01';
const AT = `${START}T00:00:00.000Z`;
/** Only this script's connections carry it: terminations never touch anyone else's. */
const APP = `innkeeper-coldstart-${process.pid}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withApp(url: string, app: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', app);
  return u.toString();
}

let bookings = 0;
function plan(): { reservation: Reservation; deltas: ReturnType<typeof claimsOf> } {
  const n = ++bookings;
  const checkIn = addDays(START, (n * 7) % (DAYS - 3));
  const nights = [0, 1, 2].map((d) => ({
    date: addDays(checkIn, d),
    rate: 10_000,
    supplements: 0,
    discount: 0,
    amount: 10_000,
    tax: 0,
  }));
  const lines = [
    {
      roomTypeId: `t${n % ROOM_TYPES}`,
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
    hotelId: `h${n % HOTELS}`,
    status: 'confirmed',
    checkIn,
    checkOut: addDays(checkIn, 3),
    lines,
    guest: { name: 'Guest', email: 'guest@example.com' },
    currency: 'EUR',
    roomCharge: 30_000,
    taxTotal: 0,
    total: 30_000,
    cancellation: freeCancellation(`${checkIn}T15:00:00.000Z`),
    payment: null,
    settlement: null,
    idempotencyKey: randomUUID(),
    requestFingerprint: 'f',
    holdExpiresAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    history: [{ at: AT, action: 'created', status: 'confirmed' }],
  };
  return { reservation, deltas: claimsOf(lines) };
}

async function timedBooking(store: PostgresStore): Promise<number> {
  const started = performance.now();
  const outcome = await store.applyBooking(plan());
  if (outcome.kind !== 'created') throw new Error(`booking: ${outcome.kind}`);
  return performance.now() - started;
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
function line(label: string, samples: number[]) {
  console.log(
    `${label.padEnd(58)} p50 ${ms(quantile(samples, 0.5))}   p95 ${ms(quantile(samples, 0.95))}   (n=${samples.length})`,
  );
}

// ── Set-up ─────────────────────────────────────────────────────────────────────────────

const admin = new pg.Pool({ connectionString: URL_, max: 2 });
admin.on('error', () => {});
const { rows: version } = await admin.query<{ v: string }>(
  `SELECT current_setting('server_version') AS v`,
);
await admin.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
await migrate({ pool: admin }, { schema: SCHEMA });
{
  // Hotels h0.., room types t0.. with a year of inventory that never sells out here.
  const store = createPostgresStore({ pool: admin }, { schema: SCHEMA });
  const inn = createInnkeeper({ store, clock: createManualClock(AT) });
  for (let h = 0; h < HOTELS; h++) {
    await inn.createHotel({ id: `h${h}`, name: `Hotel ${h}`, timeZone: 'UTC', currency: 'EUR' });
    for (let t = 0; t < ROOM_TYPES; t++) {
      await inn.createRoomType({
        hotelId: `h${h}`,
        id: `t${t}`,
        name: `Type ${t}`,
        maxAdults: 2,
        baseRate: 10_000,
      });
      await inn.setInventory({
        hotelId: `h${h}`,
        roomTypeId: `t${t}`,
        from: START,
        to: addDays(START, DAYS - 1),
        total: 1_000,
      });
    }
  }
  await store.close();
}
console.log(`cold-start bench: PostgreSQL ${version[0]?.v}, ${ROUNDS} rounds, gap ${GAP_MS} ms`);

/**
 * Terminates every backend of one of this script's stores at once, as a failover or a
 * restart does, and waits until they are gone.
 */
async function terminateStoreBackends(app: string): Promise<void> {
  // The pids first, terminated one by one after: in one WHERE clause the planner may
  // call pg_terminate_backend before it filters (and kill every backend it sees).
  const { rows: found } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [app],
  );
  const pids = found.map((r) => r.pid);
  await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  for (let i = 0; i < 500; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY ($1)',
      [pids],
    );
    if (rows[0]?.n === 0) return;
    await sleep(5);
  }
  throw new Error(`backends of ${app} still there`);
}

// ── The two ways, taking turns ─────────────────────────────────────────────────────────

type Mode = 'before' | 'after';
const MODES: Mode[] = process.argv.includes('--no-fix')
  ? ['before']
  : process.argv.includes('--fix-only')
    ? ['after']
    : ['before', 'after'];
/** `before`: the store as it was (no replacement, no warm-up); `after`: the fix. */
function storeFor(mode: Mode, app: string, poolSize: number): PostgresStore {
  return createPostgresStore(
    { connectionString: withApp(URL_, `${app}-${mode}`), poolSize },
    { schema: SCHEMA, replaceLostConnections: mode === 'after' },
  );
}
const samples = (): Record<Mode, number[]> => ({ before: [], after: [] });
/** Each round runs every mode, in alternating order, so load from elsewhere hits both. */
async function rounds(count: number, run: (mode: Mode) => Promise<void>) {
  for (let r = 0; r < count; r++) {
    for (const mode of r % 2 ? [...MODES].reverse() : MODES) await run(mode);
  }
}

const warm = samples();
const warmAfterGap = samples();
const afterFailover = samples();
const secondAfterFailover = samples();
const burst = samples();
const fresh = samples();
const usedAfterFresh = samples();
const warmUpTook = samples();

// One store per mode, 2 connections: warm bookings, then its backends terminated.
const stores = { before: storeFor('before', APP, 2), after: storeFor('after', APP, 2) };
/** Ten untimed bookings on each of `stores`: their backends used for a while. */
async function useStores(): Promise<void> {
  for (const mode of MODES) for (let i = 0; i < 10; i++) await timedBooking(stores[mode]);
}
await useStores();
await rounds(30, async (mode) => {
  warm[mode].push(await timedBooking(stores[mode]));
});
// The same used backend after the failover rounds' idle gap: a process that slept for
// 200 ms (its CPU caches and branch predictors taken by others, the core perhaps clocked
// down) serves its next statement two to three times slower than one just busy. The
// first booking after a failover is compared with this, not with back-to-back bookings.
await rounds(ROUNDS, async (mode) => {
  await sleep(GAP_MS);
  warmAfterGap[mode].push(await timedBooking(stores[mode]));
});
await rounds(ROUNDS, async (mode) => {
  await terminateStoreBackends(`${APP}-${mode}`);
  await sleep(GAP_MS);
  afterFailover[mode].push(await timedBooking(stores[mode]));
  secondAfterFailover[mode].push(await timedBooking(stores[mode]));
});

// A pool of BURST connections, all terminated, then BURST bookings at once.
const BURST = 8;
const burstStores = {
  before: storeFor('before', `${APP}-burst`, BURST),
  after: storeFor('after', `${APP}-burst`, BURST),
};
const burstWarm = samples();
for (const mode of MODES) {
  const store = burstStores[mode];
  await Promise.all(Array.from({ length: BURST * 2 }, () => timedBooking(store)));
}
await rounds(Math.ceil(ROUNDS / 4), async (mode) => {
  const store = burstStores[mode];
  burstWarm[mode].push(
    ...(await Promise.all(Array.from({ length: BURST }, () => timedBooking(store)))),
  );
});
await rounds(Math.ceil(ROUNDS / 4), async (mode) => {
  await terminateStoreBackends(`${APP}-burst-${mode}`);
  await sleep(GAP_MS);
  const store = burstStores[mode];
  burst[mode].push(
    ...(await Promise.all(Array.from({ length: BURST }, () => timedBooking(store)))),
  );
});
for (const store of Object.values(burstStores)) await store.close();

// New stores: the first booking opens the connection; after, warmUp() opened it first.
// The first stores' backends, new since the last failover, are used for a while first.
await useStores();
await rounds(ROUNDS, async (mode) => {
  const store = storeFor(mode, `${APP}-new`, 2);
  if (mode === 'after') {
    const started = performance.now();
    await store.warmUp(1);
    warmUpTook[mode].push(performance.now() - started);
  }
  fresh[mode].push(await timedBooking(store));
  await store.close();
  // The long-used store's next booking, at the same moment of the process: its backend sat
  // idle while the new store connected, warmed up and booked.
  usedAfterFresh[mode].push(await timedBooking(stores[mode]));
});
for (const store of Object.values(stores)) await store.close();

// ── Breakdown of one brand-new backend (bare pg client) ─────────────────────────────────

const queries = buildQueries(S);
const bookingQuery = () => {
  const { reservation: r, deltas } = plan();
  return {
    ...queries.applyBooking,
    values: [
      '5000',
      r.hotelId,
      r.id,
      r.status,
      r.checkIn,
      r.checkOut,
      r.guest.email,
      r.createdAt,
      r.holdExpiresAt,
      r.idempotencyKey,
      r.requestFingerprint,
      r.version,
      JSON.stringify(r),
      null,
      r.updatedAt,
      deltas.map((d) => d.roomTypeId),
      deltas.map((d) => d.date),
      deltas.map((d) => d.rooms),
      deltas.map((d) => d.roomTypeId),
      deltas.map((d) => d.date),
      deltas.map((d) => d.rooms),
      null,
    ],
  };
};
const parts: Record<string, number[]> = {
  connect: [],
  'first booking (cold)': [],
  'second booking': [],
  'warm-up statements (fresh backend)': [],
  'first booking after the warm-up': [],
  'first booking after the warm-up and a real one rolled back': [],
  "a used backend's next booking, after the round's new ones": [],
};
const time = async (key: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  parts[key]?.push(performance.now() - started);
};
/** The store's warm-up on a bare client, in a transaction rolled back; `thenBook` books too. */
async function warmUpBare(client: pg.Client, thenBook = false): Promise<void> {
  await client.query('BEGIN');
  for (const statement of warmUpStatements(queries, 5000)) await client.query(statement);
  if (thenBook) await client.query(bookingQuery());
  await client.query('ROLLBACK');
}
// A backend long used, booking once per round after the round's new backends did their
// work: the same moment in a process's life as the new ones' first booking, where the
// store's "warm" figure above is a booking right after another on the same backend.
const usedBare = new pg.Client({ connectionString: withApp(URL_, `${APP}-raw`) });
await usedBare.connect();
for (let i = 0; i < 20; i++) await usedBare.query(bookingQuery());
for (let r = 0; r < ROUNDS; r++) {
  // The third way is the bound for any warm-up that writes nothing: one that also booked
  // real rows (locking a hotel's nights and drawing an event number, which the store's
  // warm-up must not), rolled back.
  for (const way of ['cold', 'warmed', 'warmed, then a real booking'] as const) {
    const client = new pg.Client({ connectionString: withApp(URL_, `${APP}-raw`) });
    await time('connect', () => client.connect());
    if (way === 'warmed, then a real booking') {
      await warmUpBare(client, true);
      await time('first booking after the warm-up and a real one rolled back', () =>
        client.query(bookingQuery()),
      );
    } else if (way === 'warmed') {
      await time('warm-up statements (fresh backend)', () => warmUpBare(client));
      await time('first booking after the warm-up', () => client.query(bookingQuery()));
    } else {
      await time('first booking (cold)', () => client.query(bookingQuery()));
      await time('second booking', () => client.query(bookingQuery()));
    }
    await client.end();
  }
  await time("a used backend's next booking, after the round's new ones", () =>
    usedBare.query(bookingQuery()),
  );
}
await usedBare.end();

// ── Report ─────────────────────────────────────────────────────────────────────────────

for (const mode of MODES) {
  console.log(
    mode === 'before'
      ? '\nBEFORE (replaceLostConnections: false, no warmUp): store.applyBooking'
      : '\nAFTER (lost connections replaced and warmed in the background; warmUp()): store.applyBooking',
  );
  line('warm (a used backend), one at a time', warm[mode]);
  line(`warm, after ${GAP_MS} ms idle (the same used backend)`, warmAfterGap[mode]);
  line(`first booking after all backends were terminated, +${GAP_MS} ms`, afterFailover[mode]);
  line('  the booking after that one', secondAfterFailover[mode]);
  line(`${BURST} bookings at once on ${BURST} used backends`, burstWarm[mode]);
  line(`${BURST} bookings at once after all ${BURST} were terminated, +${GAP_MS} ms`, burst[mode]);
  line(
    mode === 'before'
      ? 'new store: first booking (opens the connection)'
      : 'new store after await store.warmUp(): first booking',
    fresh[mode],
  );
  line("  the used store's next booking, right after it", usedAfterFresh[mode]);
  if (mode === 'after') line('  store.warmUp() itself (connect + warm-up)', warmUpTook[mode]);
}
console.log('\na brand-new backend, bare pg client');
for (const [label, samples] of Object.entries(parts)) line(label, samples);

if (!process.env.BENCH_KEEP) await admin.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
await admin.end();
