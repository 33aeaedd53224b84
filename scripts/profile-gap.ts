/**
 * What `inn.book` costs on top of the store's own command, split by function: the store
 * contender (`applyBooking` with the very record the engine would write, planned off the
 * clock) and the engine contender (`inn.book`) take turns in one process, in rounds like
 * the bench's, and each CPU profiler sample is counted for the contender whose round it
 * fell in. It prints both rates and, per function, the µs per booking the engine's rounds
 * spent in it minus the store's: the engine's own code shows up as itself, and a store
 * function that runs slower in the engine's rounds (the same statements on colder CPU
 * caches) shows up too, which profiling `inn.book` alone cannot tell apart. It also times
 * every `applyBooking` call itself, in both contenders' rounds, without the profiler: the
 * store's command alone, in the store's rounds and in the engine's, so what the engine
 * adds is the rest. And it counts the process's CPU time in each round (`process.cpuUsage`),
 * the kernel's share of it apart (socket writes and reads): what the engine costs the machine
 * beyond the store, whatever the store and the callers; the minor page faults (memory the
 * kernel maps in and zeroes on first touch, part of that kernel time); and the garbage
 * collector's pauses in each contender's rounds (young collections, which copy what
 * survives, and full ones), from `perf_hooks`' `gc` entries. On Linux it reads every core's
 * time in each round too (`/proc/stat`): beside a Postgres on the same machine, the machine's
 * busy time less the process's is what the server's backends spent, so what the engine costs
 * splits into the process's share and the server's.
 *
 *   pnpm profile:gap [--store memory|sqlite|postgres] [--workload spread|hot] [--hotels n]
 *                    [--rounds n] [--per n] [--clients n] [--no-profile] [--top n]
 *                    [--touch-kb n] [--store-revision] [--checked] [--alone] [--keep-quotes]
 *
 * `--alone` adds a third contender, the engine alone: `inn.book` on a second engine (its own
 * pricing cache, warmed too) whose store's `applyBooking` answers `created` at once and
 * writes nothing. Its rounds are what the engine's own work costs with the CPU to itself,
 * and the engine contender's time less the store's and less this is what booking through
 * the engine costs the store's command beyond the engine's own work: the store's code and
 * data fetched back after the engine's, and the collections the engine's allocation brings
 * on, which copy what the store has kept. With the profiler on, the engine alone's own time
 * is listed by function too.
 *
 * `--keep-quotes` has the engine's rounds hold the records their quotes planned until the
 * round ends, unread, as the bench's engine rounds did until 2026-12-07: a before/after of
 * what carrying them cost (`docs/benchmarks.md`).
 *
 * `--store-revision` has the store contender send the hotel's pricing revision with each
 * command, as the engine does (read before the round, untimed): the store then checks it,
 * which on Postgres is one more statement, and the gap left is the engine's work alone.
 * `--checked` keeps the store contender as it is and adds one that sends the revision, in
 * the same rounds: what the check itself costs, beside the rounds' noise.
 *
 * `--clients n` books with n callers at once in each round (default 1), as the bench does
 * on Postgres (16). On Postgres (`DATABASE_URL`, else the local test database; the chain is
 * loaded into a schema of its own, dropped at the end) the store's command is a round trip,
 * so the timing of `applyBooking` is left out: the CPU time per booking says what the
 * engine adds. With more than one client, neither contender's time is a sum of its parts, so
 * the timing is left out there too.
 *
 * The engine's pricing cache is warmed first, as the bench does. `--touch-kb n` is an
 * experiment on the store contender alone: after each of its bookings it reads n KB at
 * random places of a 256 MB buffer, to see how much the store's statements slow down when
 * something else has been through the CPU caches between two bookings.
 *
 * Run it against the built packages (`pnpm build` first), like `profile:book`.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Innkeeper, InnkeeperStore } from '@innkeeper/core';
import { hotWorkload, spreadWorkload } from '../packages/cli/src/bench/bench-workloads.js';
import {
  type Booking,
  type PlannedBooking,
  planBookings,
} from '../packages/cli/src/bench/planned-booking.js';
import { engineBook, timed, warmBenchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { benchEngine, benchInnkeeper, withApplyBooking } from './bench-engine.js';
import { cacheToucher } from './cache-toucher.js';
import { type CpuProfile, frameNamer } from './cpu-profile.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    workload: { type: 'string', default: 'spread' },
    hotels: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '8' },
    per: { type: 'string', default: '3000' },
    'no-profile': { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    'touch-kb': { type: 'string', default: '0' },
    clients: { type: 'string', default: '1' },
    'store-revision': { type: 'boolean', default: false },
    checked: { type: 'boolean', default: false },
    alone: { type: 'boolean', default: false },
    'keep-quotes': { type: 'boolean', default: false },
  },
});

/** `checked`: the store's command sent with the hotel's pricing revision (`--checked`). */
type Contender = 'store' | 'checked' | 'engine' | 'alone';

const commandTimer = applyBookingTimer();
const { shape, store, inn, close } = await benchEngine({
  store: values.store === 'memory' || values.store === 'postgres' ? values.store : 'sqlite',
  hotels: Number(values.hotels),
  pricingCache: true,
  wrapStore: commandTimer.wrap,
});
await warmBenchPricingCache(inn, shape);
const alone = values.alone ? await engineAlone() : null;

const workloadOf = values.workload === 'hot' ? hotWorkload : spreadWorkload;
const perRound = Number(values.per);
const rounds = Number(values.rounds);
const clients = Number(values.clients);
const touch = cacheToucher(Number(values['touch-kb']));
/** Whether `applyBooking`'s own time is the store's command (see the top of the file). */
const commandTimed = values.store !== 'postgres' && clients === 1;

/** The monotonic clock in µs: the one V8's profile timestamps are on. */
const clockUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Each timed round: whose it was, when (on `clockUs`), its µs in `applyBooking` and the
 * process's CPU µs (user and system, every thread: the collector's helpers included).
 */
const roundsRun: {
  contender: Contender;
  from: number;
  to: number;
  /** The same span on `performance.now()`'s clock (ms), which the `gc` entries are on. */
  fromMs: number;
  toMs: number;
  commandUs: number;
  cpuUs: number;
  /** Of `cpuUs`, the kernel's (system) time: socket writes and reads, page faults. */
  systemUs: number;
  /** Minor page faults in the round: memory the kernel mapped in (and zeroed) on first touch. */
  pageFaults: number;
  /** The whole machine's CPU time in the round, busy and idle (`/proc/stat`; 0 elsewhere). */
  machine: MachineTicks;
}[] = [];

/** Every collection's pause while the rounds run: young (a scavenge) or not, start and ms. */
const collections: { young: boolean; startMs: number; ms: number }[] = [];
const keepCollections = (entries: PerformanceEntry[]) => {
  for (const entry of entries) {
    // A `gc` entry's `detail` (Node's, beyond the DOM's `PerformanceEntry`) says its kind.
    const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
    collections.push({
      young: detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR,
      startMs: entry.startTime,
      ms: entry.duration,
    });
  }
};
const collector = new PerformanceObserver((list) => keepCollections(list.getEntries()));
let salt = 0;
/** `--keep-quotes`: the engine's round's own quotes, held until the round ends. */
const held: { quotes: PlannedBooking[] } = { quotes: [] };
let quotesHeld = 0;

/**
 * The engine's quotes for a round, made for the database's caches' sake and dropped (held
 * in `held` with `--keep-quotes`, as the bench's engine rounds once held them).
 */
async function quoteOnly(bookings: Booking[]): Promise<void> {
  const quotes = await planBookings(inn, bookings, clients);
  if (!values['keep-quotes']) return;
  held.quotes = quotes;
  quotesHeld = quotes.length;
}

/**
 * The store contender's commands for a round: the records the engine would write, planned
 * off the clock. Made in a function of their own so the engine's rounds never hold them:
 * an async function keeps its locals alive until it returns, and a young collection in the
 * engine's round would copy records the round never reads.
 */
async function storeCommands(bookings: Booking[], withRevision: boolean) {
  const planned = await planBookings(inn, bookings, clients);
  const revisions = withRevision ? await pricingRevisions(bookings) : [];
  return planned.map(({ reservation, deltas }, i) => ({
    reservation,
    deltas,
    pricingRevision: revisions[i],
  }));
}

/** One round of `count` bookings by `contender`; returns its µs per booking. */
async function round(contender: Contender, count: number): Promise<number> {
  const workload = workloadOf(shape, ++salt);
  const bookings: Booking[] = Array.from({ length: count }, (_, i) => ({
    target: workload(i),
    id: `${contender}${salt}-${i}`,
  }));
  // Planned for every contender, as the bench does, so all meet the database's caches
  // equally warm; only the store's round keeps what was planned (see `storeCommands`).
  const isStore = contender === 'store' || contender === 'checked';
  const withRevision = contender === 'checked' || values['store-revision'];
  const commands = isStore ? await storeCommands(bookings, withRevision) : [];
  if (!isStore) await quoteOnly(bookings);
  commandTimer.reset();
  const machineFrom = machineTicks();
  const cpu = process.cpuUsage();
  const faultsFrom = process.resourceUsage().minorPageFault;
  const fromMs = performance.now();
  const from = clockUs();
  if (isStore) {
    await timed(clients, commands, async (command) => {
      const outcome = await store.applyBooking(command);
      if (outcome.kind !== 'created') throw new Error(`store: ${outcome.kind}`);
      touch();
    });
  } else {
    const booker = contender === 'alone' ? (alone as Innkeeper) : inn;
    await timed(clients, bookings, ({ target, id }) => engineBook(booker, target, id));
  }
  const to = clockUs();
  const toMs = performance.now();
  const { user, system } = process.cpuUsage(cpu);
  const pageFaults = process.resourceUsage().minorPageFault - faultsFrom;
  const machineTo = machineTicks();
  held.quotes = [];
  roundsRun.push({
    contender,
    from,
    to,
    fromMs,
    toMs,
    commandUs: commandTimer.us(),
    cpuUs: user + system,
    systemUs: system,
    pageFaults,
    machine: {
      busyUs: machineTo.busyUs - machineFrom.busyUs,
      idleUs: machineTo.idleUs - machineFrom.idleUs,
    },
  });
  return (to - from) / count;
}

// Untimed warm-up (JIT, statements, pages), then alternating rounds, each going first in turn.
await round('store', 200);
await round('engine', 200);
if (values.checked) await round('checked', 200);
if (alone) await round('alone', 200);
roundsRun.length = 0;

const session = new Session();
session.connect();
if (!values['no-profile']) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
collector.observe({ entryTypes: ['gc'] });
const perBooking: Record<Contender, number[]> = { store: [], checked: [], engine: [], alone: [] };
const contenders: Contender[] = [
  'store',
  ...(values.checked ? (['checked'] as const) : []),
  'engine',
  ...(alone ? (['alone'] as const) : []),
];
for (let r = 0; r < rounds; r++) {
  // Each contender goes first in turn.
  const shift = r % contenders.length;
  const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
  for (const contender of order) perBooking[contender].push(await round(contender, perRound));
}
// Node writes a collection's entry on a later turn of the event loop, which rounds on the
// memory store never give it: one turn, then what the observer has not been told yet.
await new Promise((resolve) => setImmediate(resolve));
keepCollections(collector.takeRecords());
collector.disconnect();
const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
const storeUs = mean(perBooking.store);
const engineUs = mean(perBooking.engine);
console.log(
  `${values.store} ${values.workload}, ${shape.hotels} hotels, ${rounds} rounds of ${perRound}: ` +
    `store ${storeUs.toFixed(1)} µs, engine ${engineUs.toFixed(1)} µs a booking, engine/store ` +
    `${(storeUs / engineUs).toFixed(3)}× (per round: ${perBooking.store
      .map((s, i) => (s / (perBooking.engine[i] ?? s)).toFixed(2))
      .join(' ')})`,
);
const roundsOf = (contender: Contender) => roundsRun.filter((r) => r.contender === contender);
const perBookingOf = (contender: Contender, us: (round: (typeof roundsRun)[number]) => number) =>
  roundsOf(contender).reduce((sum, r) => sum + us(r), 0) / (rounds * perRound);
const cpuUs = (contender: Contender) => perBookingOf(contender, (r) => r.cpuUs);
const systemUs = (contender: Contender) => perBookingOf(contender, (r) => r.systemUs);
console.log(
  `CPU time of the process: ${cpuUs('store').toFixed(1)} µs a booking in the store's rounds ` +
    `(the kernel's ${systemUs('store').toFixed(1)}), ${cpuUs('engine').toFixed(1)} µs in the ` +
    `engine's (the kernel's ${systemUs('engine').toFixed(1)}); the engine adds ` +
    `${(cpuUs('engine') - cpuUs('store')).toFixed(1)} µs`,
);
const faults = (contender: Contender) => perBookingOf(contender, (r) => r.pageFaults);
console.log(
  `minor page faults a booking: ${faults('store').toFixed(2)} in the store's rounds, ` +
    `${faults('engine').toFixed(2)} in the engine's` +
    (alone ? `, ${faults('alone').toFixed(2)} in the engine alone's` : ''),
);
if (values.checked) {
  const checkedUs = mean(perBooking.checked);
  console.log(
    `the store's command with the revision: ${checkedUs.toFixed(1)} µs a booking, ` +
      `${(storeUs / checkedUs).toFixed(3)}× the store's rate; the process's CPU ` +
      `${cpuUs('checked').toFixed(1)} µs a booking`,
  );
}
if (roundsRun.some((r) => r.machine.busyUs > 0)) {
  // Every core's time, not only this process's: beside a Postgres on this machine, what its
  // backends spent in each contender's rounds is the machine's busy time less the process's.
  console.log('CPU time of the machine (every core), µs a booking:');
  for (const contender of contenders) {
    const busyUs = perBookingOf(contender, (r) => r.machine.busyUs);
    const idleUs = perBookingOf(contender, (r) => r.machine.idleUs);
    console.log(
      `  ${contender.padEnd(8)} busy ${busyUs.toFixed(0)} (this process ${cpuUs(contender).toFixed(0)}, ` +
        `other processes ${(busyUs - cpuUs(contender)).toFixed(0)}), idle ${idleUs.toFixed(0)}`,
    );
  }
}
const paused = (contender: Contender, young: boolean) => {
  const inRounds = collections.filter(
    (c) =>
      c.young === young &&
      roundsOf(contender).some((r) => c.startMs >= r.fromMs && c.startMs < r.toMs),
  );
  const us = (inRounds.reduce((sum, c) => sum + c.ms, 0) * 1000) / (rounds * perRound);
  return `${inRounds.length} (${us.toFixed(1)} µs a booking)`;
};
console.log(
  `collector's pauses: young ${paused('store', true)} in the store's rounds, ` +
    `${paused('engine', true)} in the engine's; full ${paused('store', false)} and ` +
    `${paused('engine', false)}`,
);
if (values['keep-quotes']) {
  console.log(`the engine's rounds held their quotes (${quotesHeld} records) until they ended`);
}
if (alone) {
  const aloneUs = mean(perBooking.alone);
  console.log(
    `the engine alone: ${aloneUs.toFixed(1)} µs a booking (young collections ` +
      `${paused('alone', true)}); the engine's rounds less the store's: ` +
      `${(engineUs - storeUs).toFixed(1)} µs, of which ${(engineUs - storeUs - aloneUs).toFixed(1)} µs ` +
      `is not the engine's own work`,
  );
}
if (commandTimed) {
  const commandUs = (contender: Contender) => perBookingOf(contender, (r) => r.commandUs);
  console.log(
    `in applyBooking: ${commandUs('store').toFixed(1)} µs a booking in the store's rounds, ` +
      `${commandUs('engine').toFixed(1)} µs in the engine's; the engine's own: ` +
      `${(engineUs - commandUs('engine')).toFixed(1)} µs`,
  );
}
if (!values['no-profile']) {
  const { profile } = await session.post('Profiler.stop');
  printGap(profile as unknown as CpuProfile, rounds * perRound, Number(values.top));
}
session.disconnect();
await close();

/** Self time per function and contender, as µs per booking, the largest differences first. */
function printGap(profile: CpuProfile, bookings: number, count: number): void {
  const name = frameNamer(profile);
  const self: Record<Contender, Map<string, number>> = {
    store: new Map(),
    checked: new Map(),
    engine: new Map(),
    alone: new Map(),
  };
  let at = profile.startTime;
  let next = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    while (next < roundsRun.length && (roundsRun[next]?.to ?? 0) < at) next++;
    const current = roundsRun[next];
    // Samples between rounds (planning the next one) belong to neither.
    if (!current || at < current.from) return;
    const spent = self[current.contender];
    spent.set(name(id), (spent.get(name(id)) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = (spent: Map<string, number>) =>
    [...spent.values()].reduce((sum, us) => sum + us, 0) / bookings;
  console.log(
    `sampled: engine ${total(self.engine).toFixed(1)} µs, store ${total(self.store).toFixed(1)} µs a booking\n` +
      "engine − store, µs a booking (the engine's rounds, the store's), by function:",
  );
  const rows = [...new Set([...self.store.keys(), ...self.engine.keys()])].map((frame) => {
    const engineUs = (self.engine.get(frame) ?? 0) / bookings;
    const storeUs = (self.store.get(frame) ?? 0) / bookings;
    return { frame, engineUs, storeUs, gap: engineUs - storeUs };
  });
  rows.sort((a, b) => b.gap - a.gap);
  const line = (row: (typeof rows)[number]) =>
    `${row.gap.toFixed(2).padStart(7)}  (${row.engineUs.toFixed(2)}, ${row.storeUs.toFixed(2)})  ${row.frame}`;
  for (const row of rows.slice(0, count)) console.log(line(row));
  console.log('  ...');
  for (const row of rows.slice(-3)) console.log(line(row));
  if (self.alone.size === 0) return;
  // The engine alone's own frames: its work with nothing of a store's between bookings.
  console.log('the engine alone, µs a booking, by function:');
  const alone = [...self.alone.entries()].sort((a, b) => b[1] - a[1]);
  for (const [frame, us] of alone.slice(0, count)) {
    console.log(`${(us / bookings).toFixed(2).padStart(7)}  ${frame}`);
  }
}

/**
 * Times each `applyBooking` call of the store it wraps: the part that runs before the call
 * returns its promise, which on the memory and SQLite stores is the whole command (neither
 * awaits anything before its answer is decided).
 */
function applyBookingTimer() {
  let spentNs = 0n;
  const wrap = (target: InnkeeperStore): InnkeeperStore =>
    withApplyBooking(target, (applyBooking) => (plan) => {
      const started = process.hrtime.bigint();
      const answer = applyBooking(plan);
      spentNs += process.hrtime.bigint() - started;
      return answer;
    });
  return {
    wrap,
    reset: () => {
      spentNs = 0n;
    },
    /** µs spent since the last `reset`. */
    us: () => Number(spentNs / 1000n),
  };
}

/** Each booking's hotel's pricing revision, as the store holds it now. */
async function pricingRevisions(bookings: readonly Booking[]): Promise<number[]> {
  const revisions: number[] = [];
  for (const { target } of bookings) {
    const { hotelId, roomTypeId, checkIn: from, checkOut: to } = target;
    const stay = await store.readStay({ hotelId, roomTypeIds: [roomTypeId], from, to });
    if (!stay) throw new Error(`no hotel ${hotelId}`);
    revisions.push(stay.pricingRevision);
  }
  return revisions;
}

/** Every CPU's time since boot, busy and idle, in µs (Linux's `/proc/stat`). */
interface MachineTicks {
  busyUs: number;
  idleUs: number;
}

/** The `cpu` line of `/proc/stat`, summed over every core; zeros where there is none. */
function machineTicks(): MachineTicks {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return { busyUs: 0, idleUs: 0 };
  }
  // user nice system idle iowait irq softirq, in clock ticks (100 a second on Linux); the
  // steal after them is time the host gave elsewhere, neither busy nor idle here.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0] = (line ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const tickUs = 10_000;
  return {
    busyUs: (user + nice + system + irq + softirq) * tickUs,
    idleUs: (idle + iowait) * tickUs,
  };
}

/**
 * The `--alone` contender: an engine made as `benchEngine` makes the bench's, over the same
 * store, except that `applyBooking` answers `created` without writing anything.
 */
async function engineAlone(): Promise<Innkeeper> {
  const answering = withApplyBooking(store, () => async ({ reservation }) => ({
    kind: 'created',
    reservation,
  }));
  const engine = benchInnkeeper(answering, shape, true);
  await warmBenchPricingCache(engine, shape);
  return engine;
}
