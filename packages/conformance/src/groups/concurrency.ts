import type { ConformanceGroup } from '../group.js';
import { exactCapStormGroup } from './exact-cap-storm.js';
import { interleavingsGroup } from './interleavings.js';

/** Concurrency groups (fast-check interleavings, storms), one file each. */
export const concurrencyGroups: Record<string, ConformanceGroup> = {
  interleavings: interleavingsGroup,
  'exact-cap storm': exactCapStormGroup,
};
