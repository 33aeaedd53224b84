/**
 * What entering the kernel between two bookings costs the code that runs after it. The
 * memory store makes no system calls of its own, so its engine and its store contender run
 * on warm CPU caches and TLBs from one booking to the next; SQLite's store makes 35 a booking
 * (its WAL's page writes and file locks) and Postgres's a few (the socket's write, read and
 * poll). This script books on the memory store with `--calls n` of something after every
 * booking (`--kind`, below), and without, in rounds that take turns:
 *
 * - `engine` and `store`: `inn.book` and the store's `applyBooking` with the very record the
 *   engine would write (planned off the clock, as the bench does), each with no calls;
 * - the same two with the calls after every booking;
 * - `calls`: the calls alone, as many as a round of bookings makes.
 *
 * It prints each contender's µs a booking (the rounds' median) and what the calls slowed each
 * booking by: its time with the calls, less the calls' own time, less its time without. The
 * kinds (`--kind`): `write`, one byte to /dev/null; `pwrite`, a 4 KB page to a file at the
 * next offset (the kind SQLite's store makes, 28 a booking);
 * `getuid`, the cheapest call there is; `binding`, a SHA-1 of one byte through Node's crypto
 * binding, which crosses into C++ but not into the kernel (the control); `touch`, no call at
 * all but `--kb` KB (default 64) read at random places of a large buffer, 4 KB at a time, to
 * see what colder CPU caches and TLB alone cost each contender; `sqlite`, no call either but
 * SQLite's own code: a transaction that reads and updates one row at random of a 100,000-row
 * table in a database held in memory (no file, so no system call); `sqlite-store`, all that
 * SQLite's store does for a booking, statements and system calls: a booking on a SQLite store
 * loaded with the same chain.
 *
 *   pnpm profile:syscalls [--kind write|pwrite|getuid|binding|touch|sqlite|sqlite-store] [--kb n]
 *                         [--calls n] [--workload hot|spread] [--hotels n] [--rounds n] [--per n]
 *
 * Run it against the built packages (`pnpm build` first), like `profile:book`.
 */
import { hash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InnkeeperStore } from '@innkeeper/core';
import { hotWorkload, spreadWorkload } from '../packages/cli/src/bench/bench-workloads.js';
import {
  type Booking,
  type PlannedBooking,
  planBookings,
} from '../packages/cli/src/bench/planned-booking.js';
import { quartilesOf } from '../packages/cli/src/bench/quartiles.js';
import { engineBook, warmBenchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { loadStore } from '../packages/cli/src/stores/load-store.js';
import { benchEngine } from './bench-engine.js';
import { cacheToucher } from './cache-toucher.js';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'write' },
    calls: { type: 'string', default: '1' },
    kb: { type: 'string', default: '64' },
    workload: { type: 'string', default: 'hot' },
    hotels: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '16' },
    per: { type: 'string', default: '3000' },
  },
});

const calls = Number(values.calls);
const perRound = Number(values.per);

const { shape, store, inn, close } = await benchEngine({
  store: 'memory',
  hotels: Number(values.hotels),
  pricingCache: true,
});
await warmBenchPricingCache(inn, shape);
const workloadOf = values.workload === 'spread' ? spreadWorkload : hotWorkload;

/** What runs after each booking: `call`, given `prepare(count)` first, off the clock. */
interface Between {
  prepare?: (count: number) => Promise<void>;
  call: () => unknown;
  close?: () => Promise<void>;
}
const devNull = openSync('/dev/null', 'w');
const oneByte = Buffer.from('x');
const kinds: Record<string, () => Between | Promise<Between>> = {
  write: () => ({ call: () => writeSync(devNull, oneByte) }),
  pwrite: pagesToFile,
  getuid: () => ({ call: () => process.getuid?.() }),
  binding: () => ({ call: () => hash('sha1', 'x') }),
  touch: () => ({ call: cacheToucher(Number(values.kb)) }),
  sqlite: () => ({ call: sqliteInMemory() }),
  'sqlite-store': sqliteStoreBookings,
};
const kind = kinds[values.kind];
if (!kind) throw new Error(`--kind must be one of ${Object.keys(kinds).join(', ')}`);
const between = await kind();

async function afterEachBooking(): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const answer = between.call();
    if (answer instanceof Promise) await answer;
  }
}

type Contender = 'engine' | 'store' | 'engine+calls' | 'store+calls' | 'calls';
const contenders: Contender[] = ['engine', 'engine+calls', 'store', 'store+calls', 'calls'];
const times = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
const rounds = Number(values.rounds);
let salt = 0;

/**
 * A round's bookings, and for the store's rounds the records `inn.book` would write for
 * them, planned just before the round, off the clock, as the bench plans them.
 */
async function roundOf(contender: Contender) {
  const workload = workloadOf(shape, ++salt);
  const bookings: Booking[] = Array.from({ length: perRound }, (_, i) => ({
    target: workload(i),
    id: `${contender}${salt}-${i}`,
  }));
  const planned = contender.startsWith('store') ? await planBookings(inn, bookings, 1) : [];
  if (contender.endsWith('calls')) await between.prepare?.(perRound * calls);
  return { contender, bookings, planned };
}

/** Runs one round; returns its µs a booking. */
async function run({ contender, bookings, planned }: Awaited<ReturnType<typeof roundOf>>) {
  const withCalls = contender.endsWith('+calls');
  const started = performance.now();
  if (contender === 'calls') {
    for (let i = 0; i < perRound; i++) await afterEachBooking();
  } else if (contender.startsWith('store')) {
    for (const plan of planned) {
      await applyPlanned(store, plan);
      if (withCalls) await afterEachBooking();
    }
  } else {
    for (const { target, id } of bookings) {
      await engineBook(inn, target, id);
      if (withCalls) await afterEachBooking();
    }
  }
  return ((performance.now() - started) * 1000) / perRound;
}

// One untimed round each (the JIT), then the timed rounds, the contenders taking turns.
for (let r = 0; r <= rounds; r++) {
  for (const contender of contenders) {
    const us = await run(await roundOf(contender));
    if (r > 0) times.get(contender)?.push(us);
  }
}
closeSync(devNull);
await between.close?.();
await close();

const median = (contender: Contender) => quartilesOf(times.get(contender) ?? []).median;
const us = (n: number) => `${n.toFixed(1)} µs`;
const slowedBy = (plain: Contender, withCalls: Contender) =>
  median(withCalls) - median('calls') - median(plain);
console.log(
  `memory ${values.workload}, ${shape.hotels} hotels, ${rounds} rounds of ${perRound}, ` +
    `${calls} × ${values.kind} after each booking (${us(median('calls'))} a booking on their own)`,
);
for (const [plain, withCalls] of [
  ['engine', 'engine+calls'],
  ['store', 'store+calls'],
] as const) {
  console.log(
    `  ${plain.padEnd(6)} ${us(median(plain))} a booking, ${us(median(withCalls))} with the calls: ` +
      `the calls slow it by ${us(slowedBy(plain, withCalls))}`,
  );
}
console.log(
  `  what the engine adds to the store's command: ${us(median('engine') - median('store'))} ` +
    `without the calls, ${us(median('engine+calls') - median('store+calls'))} with them`,
);

/** Writes a planned booking with `store`'s `applyBooking`, as the bench's store contender does. */
async function applyPlanned(
  store: InnkeeperStore,
  { reservation, deltas }: PlannedBooking,
): Promise<void> {
  // The engine's command has these three fields: the store's code sees one shape.
  const outcome = await store.applyBooking({ reservation, deltas, pricingRevision: undefined });
  if (outcome.kind !== 'created') throw new Error(`store: ${outcome.kind}`);
}

/** The part of better-sqlite3's `Database` that `sqliteInMemory` uses. */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  transaction<F extends () => void>(body: F): F;
}

/** `--kind sqlite`: SQLite's C code on a database of its own in memory, one transaction a call. */
function sqliteInMemory(): () => unknown {
  // better-sqlite3 as the SQLite store's package has it (the workspace's root does not).
  const require = createRequire(import.meta.resolve('@innkeeper/adapter-sqlite'));
  const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  db.transaction(() => {
    for (let k = 0; k < 100_000; k++) insert.run(k, `row ${k} `.repeat(8));
  })();
  const read = db.prepare('SELECT v FROM t WHERE k = ?');
  const update = db.prepare('UPDATE t SET v = ? WHERE k = ?');
  return db.transaction(() => {
    const k = Math.floor(Math.random() * 100_000);
    const { v } = read.get(k) as { v: string };
    update.run(v, k);
  });
}

/**
 * `--kind sqlite-store`: a booking on a SQLite store of its own, loaded with the same chain,
 * as the bench's store contender makes it (a record `inn.book` would write, planned off the
 * clock): all that SQLite's store does for a booking, its statements and its system calls,
 * between two bookings on the memory store.
 */
async function sqliteStoreBookings(): Promise<Between> {
  const sqlite = await loadStore({ kind: 'sqlite' }, shape, { onRows: () => {} });
  let planned: PlannedBooking[] = [];
  let next = 0;
  let batch = 0;
  return {
    async prepare(count) {
      const workload = spreadWorkload(shape, 1_000_000 + ++batch);
      const bookings = Array.from({ length: count }, (_, i) => ({
        target: workload(i),
        id: `sqlite${batch}-${i}`,
      }));
      planned = await planBookings(inn, bookings, 1);
      next = 0;
    },
    call: () => applyPlanned(sqlite.store, planned[next++] as PlannedBooking),
    close: () => sqlite.close(),
  };
}

/**
 * `--kind pwrite`: a 4 KB page written to a file of its own at the next offset, as SQLite's
 * store appends a WAL frame's page, wrapping at 64 MB (the kernel copies each page into its
 * page cache; nothing is synced).
 */
function pagesToFile(): Between {
  const dir = mkdtempSync(join(tmpdir(), 'innkeeper-syscalls-'));
  const file = openSync(join(dir, 'pages'), 'w');
  const page = Buffer.alloc(4096, 1);
  let offset = 0;
  return {
    call() {
      writeSync(file, page, 0, page.length, offset);
      offset = (offset + page.length) % (64 * 1024 * 1024);
    },
    async close() {
      closeSync(file);
      rmSync(dir, { recursive: true });
    },
  };
}
