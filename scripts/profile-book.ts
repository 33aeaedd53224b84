/**
 * Where `inn.book` spends its time: loads the bench's chain into a store, books 3-night
 * stays in a loop (the bench's `spread` or `hot` workload) under the V8 CPU profiler, and
 * prints the heaviest frames, self and inclusive. Only the booking loop is profiled, not the
 * load. The `.cpuprofile` it writes opens in Chrome DevTools or speedscope as a flame graph.
 *
 *   pnpm profile:book [--store memory|sqlite|postgres] [--hotels n] [--bookings n]
 *                     [--workload spread|hot] [--out file.cpuprofile] [--no-pricing-cache]
 *                     [--warm] [--search] [--alloc]
 *
 * `--search` profiles the bench's search instead: `inn.search` for 7 nights over one hotel's
 * room types, checking in 60 days after the chain's start, a different hotel each call.
 * `--warm` reads every hotel's calendar into the pricing cache first (`warmPricingCache`).
 * `--alloc` samples allocations instead of time (V8's sampling heap profiler, objects the
 * collector has already freed included) and prints the bytes each frame allocates per call.
 *
 * Run it against the built packages (`pnpm build` first): the frames then name the
 * functions of each package's dist file, as users run them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchSearch,
  hotWorkload,
  spreadWorkload,
} from '../packages/cli/src/bench/bench-workloads.js';
import { engineBook, warmBenchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { benchEngine } from './bench-engine.js';
import { type CpuProfile, frameNamer } from './cpu-profile.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    hotels: { type: 'string', default: '5000' },
    bookings: { type: 'string', default: '30000' },
    workload: { type: 'string', default: 'spread' },
    out: { type: 'string', default: '.bench-results/book.cpuprofile' },
    'no-pricing-cache': { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    search: { type: 'boolean', default: false },
    alloc: { type: 'boolean', default: false },
  },
});

const { shape, inn, close } = await benchEngine({
  store: values.store,
  hotels: Number(values.hotels),
  pricingCache: !values['no-pricing-cache'],
});
if (values.warm) {
  const warmed = await warmBenchPricingCache(inn, shape);
  console.log(`warmed ${warmed.hotels} hotels, ${warmed.nights} nights in ${warmed.seconds} s`);
}
const workload = (values.workload === 'hot' ? hotWorkload : spreadWorkload)(shape, 1);
const bookings = Number(values.bookings);

async function bookAll(from: number, count: number): Promise<number> {
  const started = performance.now();
  if (values.search) {
    for (let i = from; i < from + count; i++) await inn.search(benchSearch(shape, i));
  } else {
    for (let i = from; i < from + count; i++) await engineBook(inn, workload(i), String(i));
  }
  return performance.now() - started;
}

// Warm-up (JIT), a timed loop without the profiler, then the profiled loop.
await bookAll(0, Math.min(5_000, bookings));
const unprofiled = await bookAll(bookings, bookings);
const session = new Session();
session.connect();
if (values.alloc) {
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await bookAll(2 * bookings, bookings);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  printTopAllocations(profile, bookings, Number(process.env.TOP ?? 25));
  await close();
  process.exit(0);
}
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const ms = await bookAll(2 * bookings, bookings);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(profile));
const rate = (time: number) =>
  `${Math.round((bookings * 1000) / time)}/s (${((time * 1000) / bookings).toFixed(1)} µs each)`;
console.log(
  `${values.store} ${values.search ? 'search' : values.workload}, ${shape.hotels} hotels, ` +
    `${bookings} ${values.search ? 'searches' : 'bookings'}: ` +
    `${rate(unprofiled)}; under the profiler ${rate(ms)}`,
);
printTopFrames(profile, Number(process.env.TOP ?? 25));
await close();

type AllocationNode = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
};

/** Bytes allocated per call (booking or search), by the function that allocated them, heaviest first. */
function printTopAllocations(raw: unknown, calls: number, count: number): void {
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: AllocationNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const frame = `${functionName || '(anonymous)'} ${url.split('/').slice(-3).join('/')}:${lineNumber + 1}`;
    bytes.set(frame, (bytes.get(frame) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk((raw as { head: AllocationNode }).head);
  const perCall = (n: number) => `${Math.round(n / calls).toLocaleString('en-US')} B`;
  console.log(`\nallocated per call: ${perCall(total)}`);
  for (const [frame, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${perCall(size).padStart(9)}  ${frame}`);
  }
}

/** Self and inclusive time per function (summed over its call sites), heaviest first. */
function printTopFrames(raw: unknown, count: number): void {
  const profile = raw as CpuProfile;
  const name = frameNamer(profile);
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // The profiler's own stop (`dispatch`) is sampled too: not the booking's time.
    if (name(id).startsWith('dispatch')) return;
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    self.set(name(id), (self.get(name(id)) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = name(at);
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + delta);
    }
  });
  const top = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([frame, time]) => `${((100 * time) / total).toFixed(1).padStart(6)}%  ${frame}`)
      .join('\n');
  console.log(`\nself time\n${top(self)}\n\ninclusive time\n${top(inclusive)}`);
}
