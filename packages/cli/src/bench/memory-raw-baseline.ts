import type { BenchTarget } from './bench-workloads.js';
import { BENCH_NIGHTS } from './bench-workloads.js';
import type { RawBaseline } from './raw-baseline.js';

/**
 * In process, the least a booking can be: a capacity counter per night in a Map, and
 * the reservation kept in another Map (the same record the store keeps, so the ratio
 * measures the store's bookkeeping, not the cost of retaining data). Counters start
 * from the seeded capacity of the shape: `capacityOf` says what a row can take.
 */
export function memoryRawBaseline(capacityOf: (t: BenchTarget) => number): RawBaseline {
  const reserved = new Map<string, number>();
  const kept = new Map<string, unknown>();
  return {
    async book({ target: t, id, reservation }) {
      const nights = reservation.lines[0]?.nights ?? [];
      const keys = nights.map((n) => `${t.hotelId}\u0000${t.roomTypeId}\u0000${n.date}`);
      const cap = capacityOf(t);
      for (const key of keys) if ((reserved.get(key) ?? 0) + 1 > cap) throw new Error('sold out');
      for (const key of keys) reserved.set(key, (reserved.get(key) ?? 0) + 1);
      kept.set(id, reservation);
      if (keys.length !== BENCH_NIGHTS) throw new Error('bad stay');
    },
    async close() {},
  };
}
