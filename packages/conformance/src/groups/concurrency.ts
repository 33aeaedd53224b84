import type { ConformanceGroup } from '../group.js';

/** Concurrency groups (fast-check interleavings, storms), one file each. */
export const concurrencyGroups: Record<string, ConformanceGroup> = {};
