/**
 * The bench's memory search (`inn.search`, 7 nights over one hotel's room types, a different
 * hotel each time, one caller) in passes of `--per` searches, the p50 of each pass printed:
 * the first pass comes after only 50 untimed searches, as the bench timed it until
 * 2026-12-06, and shows how long V8 takes to compile the search; the later ones are the
 * search once warm, which the bench now times.
 *
 *   pnpm profile:search-passes [--hotels n] [--passes n] [--per n]
 *
 * Run it against the built packages (`pnpm build` first), like `profile:book`.
 */
import { parseArgs } from 'node:util';
import { benchSearch } from '../packages/cli/src/bench/bench-workloads.js';
import { warmBenchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { benchEngine } from './bench-engine.js';

const { values } = parseArgs({
  options: {
    hotels: { type: 'string', default: '5000' },
    passes: { type: 'string', default: '8' },
    per: { type: 'string', default: '2000' },
  },
});

const { shape, inn, close } = await benchEngine({
  store: 'memory',
  hotels: Number(values.hotels),
  pricingCache: true,
});
await warmBenchPricingCache(inn, shape);
let next = 0;

/** The median µs of `count` searches, after `untimed` searches that are not timed. */
async function pass(untimed: number, count: number): Promise<number> {
  const samples = new Float64Array(count);
  for (let i = -untimed; i < count; i++) {
    const started = performance.now();
    await inn.search(benchSearch(shape, next++));
    if (i >= 0) samples[i] = performance.now() - started;
  }
  samples.sort();
  return (samples[count >> 1] ?? 0) * 1000;
}

const medians: number[] = [];
for (let p = 0; p < Number(values.passes); p++) {
  medians.push(await pass(p === 0 ? 50 : 0, Number(values.per)));
}
console.log(
  `memory search, ${shape.hotels} hotels, p50 µs of each pass of ${values.per} ` +
    `(the first after 50 untimed): ${medians.map((us) => us.toFixed(1)).join(' ')}`,
);
await close();
