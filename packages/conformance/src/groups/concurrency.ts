import type { ConformanceGroup } from '../group.js';
import { exactCapStormGroup } from './exact-cap-storm.js';
import { interleavingsGroup } from './interleavings.js';
import { paymentInterleavingsGroup } from './payment-interleavings.js';
import { roomInterleavingsGroup } from './room-interleavings.js';
import { stayInterleavingsGroup } from './stay-interleavings.js';

/** Concurrency groups (fast-check interleavings, storms), one file each. */
export const concurrencyGroups: Record<string, ConformanceGroup> = {
  interleavings: interleavingsGroup,
  'payment interleavings': paymentInterleavingsGroup,
  'stay interleavings': stayInterleavingsGroup,
  'room interleavings': roomInterleavingsGroup,
  'exact-cap storm': exactCapStormGroup,
};
