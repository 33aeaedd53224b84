import type { StoreKind } from '../stores/store-target.js';
import type { HotelSearchLatency } from './hotel-search-bench.js';

export interface WorkloadResult {
  workload: 'spread' | 'hot';
  /** Concurrent callers: 16 on Postgres (a server), 1 in process (memory, SQLite). */
  clients: number;
  bookingsPerContender: number;
  rawPerSecond: number;
  storePerSecond: number;
  enginePerSecond: number;
  /** The engine while an OpenTelemetry SDK is registered (spans batched, metrics kept). */
  tracedPerSecond: number;
  /** store / raw: the store's cost over hand-written code on the same data. */
  storeRatio: number;
  engineRatio: number;
  /** engine / store: what the engine leaves of its store's atomic command (1 = nothing). */
  engineStoreRatio: number;
  /**
   * The same ratio round by round (each round's store time over its engine time): its
   * median and middle half. Rounds are short and taken in turns, so how far they spread
   * says how much one run's `engineStoreRatio` can be trusted on a shared machine.
   */
  engineStoreRounds: { q1: number; median: number; q3: number };
  /** traced / engine: what recording every call's spans and metrics costs (1 = nothing). */
  tracedRatio: number;
  /** Spans the traced rounds recorded, so far in this store's run (proof they were on). */
  spans: number;
}

export interface StoreBenchResult {
  store: StoreKind;
  loadSeconds: number;
  /**
   * `inn.warmPricingCache` before the timed rounds: every hotel's calendar read into the
   * engine's pricing cache, and how long it took; `null` when the cache was left cold.
   */
  warmUp: { hotels: number; nights: number; seconds: number } | null;
  workloads: WorkloadResult[];
  /** `inn.search` for 7 nights over one hotel's room types, one caller, milliseconds (after as many untimed). */
  search: { samples: number; p50: number; p99: number };
  /** `inn.searchHotels` over the biggest city, beside the store reads it rests on. */
  hotelSearch: HotelSearchLatency;
}

export interface BenchReport {
  quick: boolean;
  /** Postgres ran with the change-notification trigger installed (`--notify`). */
  notify: boolean;
  /** The engine priced from its pricing cache (the default; `--no-pricing-cache` turns it off). */
  pricingCache: boolean;
  /** The cache was warmed with every hotel's calendar first (the default; `--cold-pricing-cache` does not). */
  warmPricingCache: boolean;
  hotels: number;
  rooms: number;
  calendarRows: number;
  /** Load average when the bench started and ended: the machine is shared. */
  loadAverage: { start: number[]; end: number[] };
  cpus: number;
  /**
   * Whether the Postgres server ran on this machine (a loopback address or a socket): its
   * backends then took these CPUs from the engine. Absent when Postgres did not run, or its
   * URL could not be read.
   */
  postgresOnThisMachine?: boolean;
  stores: StoreBenchResult[];
  skipped: { store: StoreKind; reason: string }[];
  startedAt: string;
  seconds: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

const roundsText = ({ q1, median, q3 }: WorkloadResult['engineStoreRounds']) =>
  `${median.toFixed(2)}× (${q1.toFixed(2)}–${q3.toFixed(2)})`;

/** Where the Postgres server ran, for the report's first line. */
function postgresServerText(onThisMachine: boolean | undefined): string {
  if (onThisMachine === undefined) return '';
  return onThisMachine
    ? "; the Postgres server on this machine, its backends sharing these CPUs with the engine's process"
    : '; the Postgres server on another host';
}

export function benchMarkdown(r: BenchReport): string {
  const lines = [
    `Innkeeper bench, ${r.startedAt}: ${r.hotels.toLocaleString('en-US')} hotels, ${r.rooms.toLocaleString('en-US')} rooms, ${r.calendarRows.toLocaleString('en-US')} calendar rows; 3-night stays of one room${r.notify ? '; Postgres with the change-notification trigger (NOTIFY on every event insert)' : ''}; the engine's pricing cache ${r.pricingCache ? (r.warmPricingCache ? 'on, warmed with every calendar before the rounds' : 'on, cold') : 'off'}; ${r.cpus} CPUs, load average ${r.loadAverage.start.map((x) => x.toFixed(1)).join(' ')} at start, ${r.loadAverage.end.map((x) => x.toFixed(1)).join(' ')} at end${postgresServerText(r.postgresOnThisMachine)}.`,
    '',
    '| store | load | workload | clients | raw /s | store /s | store/raw | engine /s | engine/raw | engine/store | by round: median (middle half) | engine + otel /s | otel/engine | search p50 / p99 |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const s of r.stores) {
    s.workloads.forEach((w, i) => {
      lines.push(
        `| ${i === 0 ? s.store : ''} | ${i === 0 ? `${s.loadSeconds.toFixed(1)} s` : ''} | ${w.workload} | ${w.clients} | ${int(w.rawPerSecond)} | ${int(w.storePerSecond)} | ${w.storeRatio.toFixed(2)}× | ${int(w.enginePerSecond)} | ${w.engineRatio.toFixed(2)}× | ${w.engineStoreRatio.toFixed(2)}× | ${roundsText(w.engineStoreRounds)} | ${int(w.tracedPerSecond)} | ${w.tracedRatio.toFixed(2)}× | ${i === 0 ? `${s.search.p50.toFixed(3)} / ${s.search.p99.toFixed(3)} ms` : ''} |`,
      );
    });
  }
  lines.push(
    '',
    '`engine + otel`: the same engine while an OpenTelemetry SDK is registered (a tracer provider with a batch span processor, a meter provider, AsyncLocalStorage context): a span per call and per store and gateway call, and the metrics. `engine` runs with the API alone (no provider): no-op spans.',
  );
  const [first] = r.stores;
  if (first) {
    const h = first.hotelSearch;
    lines.push(
      '',
      `Search across hotels: \`searchHotels\` in ${h.city} (${int(h.hotelsInCity)} hotels, every one priced), two adults, 3 nights, the 20 cheapest, one caller, ${int(h.samples)} searches; \`reads\` is \`listHotels\` of the city and \`readStays\` of its hotels alone, the floor under the engine.`,
      '',
      '| store | searchHotels p50 / p99 | reads p50 / p99 | search / reads (p50) |',
      '| --- | --- | --- | ---: |',
    );
    for (const s of r.stores) {
      const x = s.hotelSearch;
      lines.push(
        `| ${s.store} | ${x.search.p50.toFixed(2)} / ${x.search.p99.toFixed(2)} ms | ${x.reads.p50.toFixed(2)} / ${x.reads.p99.toFixed(2)} ms | ${(x.search.p50 / x.reads.p50).toFixed(2)}× |`,
      );
    }
  }
  const warmed = r.stores.flatMap((s) => (s.warmUp ? [{ store: s.store, ...s.warmUp }] : []));
  if (warmed.length > 0) {
    const each = warmed.map(
      (w) =>
        `${w.store} ${int(w.hotels)} hotels, ${int(w.nights)} nights in ${w.seconds.toFixed(1)} s`,
    );
    lines.push('', `Pricing cache warm-up (\`warmPricingCache\`, untimed): ${each.join('; ')}.`);
  }
  for (const s of r.skipped) lines.push('', `${s.store}: skipped (${s.reason})`);
  return `${lines.join('\n')}\n`;
}
