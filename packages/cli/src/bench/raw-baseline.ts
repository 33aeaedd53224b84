import type { BenchTarget } from './bench-workloads.js';

/**
 * A raw baseline books a target the way hand-written code against the same database
 * would: only what any correct booking needs (the guarded capacity update for every
 * night, all or nothing, and the reservation record), with no idempotency, audit trail
 * or change feed. The store's rate divided by this one is the bench's ratio.
 */
export interface RawBaseline {
  book(target: BenchTarget, id: string): Promise<void>;
  close(): Promise<void>;
}
