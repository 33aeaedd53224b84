import type { ConformanceGroup } from '../group.js';

/** Behaviour groups, one file each; registered here in the order they run. */
export const behaviourGroups: Record<string, ConformanceGroup> = {};
