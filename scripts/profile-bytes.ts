/**
 * What a booking allocates, exactly: the young generation's growth over a batch of bookings
 * with no collection between, for `inn.book` and for the store's own command
 * (`applyBooking` with the very record the engine would write, planned beforehand, as the
 * bench's store contender books). Bytes allocated do not depend on how busy the machine is,
 * where a booking's time on a shared machine can move by half between runs minutes apart:
 * a change to the booking's path can be judged by them when its time is within the noise.
 *
 *   pnpm profile:bytes [--store memory|sqlite] [--hotels n] [--workload spread|hot]
 *                      [--batch n] [--samples n]
 *
 * Not on Postgres: its bookings wait on the network, and V8 runs a young collection it has
 * scheduled (`--trace-gc` says "task") in those waits within every batch, so no sample is
 * clean. The memory and SQLite stores answer without yielding to the event loop.
 *
 * Each sample starts from an empty young generation (a full collection first) and books
 * `--batch` stays; a sample during which the collector ran anyway is dropped. It prints the
 * median and the smallest of the samples, per booking. What the store keeps (the record,
 * its index entries) is part of both figures: the engine's less the store's is what the
 * engine's own work allocates. Run it against the built packages (`pnpm build` first).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hotWorkload, spreadWorkload } from '../packages/cli/src/bench/bench-workloads.js';
import {
  type Booking,
  bookingInput,
  planBookings,
} from '../packages/cli/src/bench/planned-booking.js';
import { engineBook, warmBenchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { benchEngine } from './bench-engine.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    hotels: { type: 'string', default: '5000' },
    workload: { type: 'string', default: 'hot' },
    batch: { type: 'string', default: '500' },
    samples: { type: 'string', default: '30' },
  },
});

// A full collection between samples, without asking for `node --expose-gc`: the flag is
// set now and the function read from a new context, where V8 installs it.
v8.setFlagsFromString('--expose-gc');
const collectAll = runInNewContext('gc') as () => void;

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

const youngBytes = () =>
  v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ??
  0;

if (values.store !== 'memory' && values.store !== 'sqlite') {
  console.error(
    `profile:bytes: --store memory or sqlite, not ${values.store} (see the top of the file)`,
  );
  process.exit(2);
}
const { shape, store, inn, close } = await benchEngine({
  store: values.store,
  hotels: Number(values.hotels),
  pricingCache: true,
});
await warmBenchPricingCache(inn, shape);
const workload = (values.workload === 'spread' ? spreadWorkload : hotWorkload)(shape, 1);
const batch = Number(values.batch);
const samples = Number(values.samples);

let next = 0;
/** The next `count` bookings, never booked before by either contender. */
const bookingsOf = (count: number): Booking[] =>
  Array.from({ length: count }, () => {
    const i = next++;
    return { target: workload(i), id: `bytes-${i}` };
  });

/** Bytes allocated per booking by `runBatch` (one batch), or `null` if the collector ran. */
async function sample(runBatch: () => Promise<void>): Promise<number | null> {
  collectAll();
  // Let the collection's own follow-up work (finalizers, the observer's entry) settle.
  await new Promise((resolve) => setImmediate(resolve));
  const seen = collections;
  const before = youngBytes();
  await runBatch();
  const after = youngBytes();
  return collections === seen && after >= before ? (after - before) / batch : null;
}

/**
 * The samples of one contender, smallest first. What each booking is given (the engine's
 * input, the store's planned command) is made before its batch, off the count: the figures
 * are the calls' own allocation.
 */
async function measure(contender: 'engine' | 'store'): Promise<number[]> {
  const perBooking: number[] = [];
  for (let attempt = 0; perBooking.length < samples && attempt < 3 * samples; attempt++) {
    const bookings = bookingsOf(batch);
    let bytes: number | null;
    if (contender === 'store') {
      const commands = (await planBookings(inn, bookings, 1)).map(({ reservation, deltas }) => ({
        reservation,
        deltas,
      }));
      bytes = await sample(async () => {
        for (const command of commands) {
          const outcome = await store.applyBooking(command);
          if (outcome.kind !== 'created') throw new Error(`store: ${outcome.kind}`);
        }
      });
    } else {
      const inputs = bookings.map(({ target, id }) => bookingInput(target, id));
      bytes = await sample(async () => {
        for (const input of inputs) await inn.book(input);
      });
    }
    if (bytes !== null) perBooking.push(bytes);
  }
  return perBooking.sort((a, b) => a - b);
}

// Untimed warm-up, so what is measured is optimized code, not the first calls' feedback.
for (const { target, id } of bookingsOf(5_000)) await engineBook(inn, target, id);

const report = (label: string, bytes: number[]) => {
  const median = bytes[bytes.length >> 1];
  if (median === undefined) return `${label}: no sample without a collection`;
  const round = (n: number) => Math.round(n).toLocaleString('en-US');
  return `${label}: ${round(median)} B a booking (median of ${bytes.length}, smallest ${round(bytes[0] ?? median)})`;
};
const engine = await measure('engine');
const command = await measure('store');
console.log(
  `${values.store} ${values.workload}, ${shape.hotels} hotels, batches of ${batch}:\n` +
    `  ${report('inn.book', engine)}\n  ${report("the store's command", command)}`,
);
await close();
