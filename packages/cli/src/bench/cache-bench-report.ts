import type { RedisAvailabilityCacheStats } from '@innkeeper/cache-redis';
import type { HotelSearchLatency } from './hotel-search-bench.js';

/** One way of answering searches: straight from the store, or through the Redis cache. */
export interface CacheWayResult {
  way: 'uncached' | 'cached';
  /** `inn.search` calls per second, 16 concurrent callers. */
  searchPerSecond: number;
  /** `inn.search` latency with one caller, milliseconds. */
  search: { p50: number; p99: number };
  /** The availability read alone (`store.readStay` or `cache.readStay`), 16 callers. */
  readStayPerSecond: number;
  readStay: { p50: number; p99: number };
}

export interface CacheBenchReport {
  cache: 'redis';
  quick: boolean;
  hotels: number;
  rooms: number;
  calendarRows: number;
  /** Where it ran (URLs without passwords). */
  postgres: string;
  redis: string;
  loadSeconds: number;
  clients: number;
  searchesPerWay: number;
  latencyCalls: number;
  ways: CacheWayResult[];
  /** cached / uncached throughput. */
  searchRatio: number;
  readStayRatio: number;
  /** `searchHotels` over the chain's biggest city, from the store and through the cache. */
  hotelSearch: { uncached: HotelSearchLatency; cached: HotelSearchLatency };
  /** Bookings through the cached engine while the relay, woken by NOTIFY, keeps Redis fresh. */
  storm: {
    bookings: number;
    soldOut: number;
    perSecond: number;
    /** The relay's largest lag seen (sampled every 20 ms): events behind, and their age. */
    maxLagEvents: number;
    maxLagMs: number;
    /** From the last booking's return to the relay having applied everything. */
    caughtUpMs: number;
    /** Hotels whose whole calendar was compared, cache against store, after the storm. */
    hotelsChecked: number;
    mismatches: number;
  };
  cacheStats: RedisAvailabilityCacheStats;
  loadAverage: { start: number[]; end: number[] };
  cpus: number;
  startedAt: string;
  seconds: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (l: { p50: number; p99: number }) => `${l.p50.toFixed(3)} / ${l.p99.toFixed(3)} ms`;
const avg = (loads: number[]) => loads.map((x) => x.toFixed(1)).join(' ');

export function cacheBenchMarkdown(r: CacheBenchReport): string {
  const lines = [
    `Innkeeper bench, Redis availability cache, ${r.startedAt}: ${int(r.hotels)} hotels, ${int(r.rooms)} rooms, ${int(r.calendarRows)} calendar rows on Postgres (loaded in ${r.loadSeconds.toFixed(1)} s); 7-night searches over one hotel's room types, checking in within 60 days; throughput with ${r.clients} callers (${int(r.searchesPerWay)} calls per way), latency with one (${int(r.latencyCalls)} calls); ${r.cpus} CPUs, load average ${avg(r.loadAverage.start)} at start, ${avg(r.loadAverage.end)} at end.`,
    '',
    '| way | `inn.search` /s | search p50 / p99 | `readStay` /s | `readStay` p50 / p99 |',
    '| --- | ---: | --- | ---: | --- |',
  ];
  for (const w of r.ways) {
    const cached = w.way === 'cached';
    lines.push(
      `| ${w.way} | ${int(w.searchPerSecond)}${cached ? ` (${r.searchRatio.toFixed(2)}×)` : ''} | ${ms(w.search)} | ${int(w.readStayPerSecond)}${cached ? ` (${r.readStayRatio.toFixed(2)}×)` : ''} | ${ms(w.readStay)} |`,
    );
  }
  const { uncached, cached } = r.hotelSearch;
  lines.push(
    '',
    `Search across hotels: \`searchHotels\` in ${cached.city} (${int(cached.hotelsInCity)} hotels, every one priced), two adults, 3 nights, the 20 cheapest, one caller, ${int(cached.samples)} searches; \`reads\`: \`listHotels\` of the city on the store and \`readStays\` of its hotels on the source searched.`,
    '',
    '| way | searchHotels p50 / p99 | reads p50 / p99 |',
    '| --- | --- | --- |',
    `| uncached | ${ms(uncached.search)} | ${ms(uncached.reads)} |`,
    `| cached | ${ms(cached.search)} | ${ms(cached.reads)} |`,
  );
  const s = r.storm;
  lines.push(
    '',
    `Booking storm: ${int(s.bookings)} bookings (${int(s.soldOut)} sold out) from ${r.clients} callers through the cached engine at ${int(s.perSecond)}/s; the relay, woken by NOTIFY, at most ${int(s.maxLagEvents)} events / ${int(s.maxLagMs)} ms behind, caught up ${s.caughtUpMs.toFixed(1)} ms after the last booking; cache and store differ on ${int(s.mismatches)} of ${int(s.hotelsChecked)} hotels checked.`,
    '',
    `Cache: ${int(r.cacheStats.hits)} hits, ${int(r.cacheStats.misses)} misses, ${int(r.cacheStats.fallbacks)} fallbacks, ${int(r.cacheStats.catalogLoads)} catalog loads.`,
  );
  return `${lines.join('\n')}\n`;
}
