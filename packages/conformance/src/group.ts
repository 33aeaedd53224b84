import type { ResolvedOptions, SuiteApi } from './suite-api.js';

/** Each group is one file under `groups/`, exporting a function of this shape. */
export type ConformanceGroup = (api: SuiteApi, options: ResolvedOptions) => void;
