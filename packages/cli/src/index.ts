export type {
  BenchReport,
  StoreBenchResult,
  WorkloadResult,
} from './bench/bench-report.js';
export { benchMarkdown } from './bench/bench-report.js';
export type { CacheBenchOptions, CacheBenchRun } from './bench/cache-bench.js';
export { runCacheBench } from './bench/cache-bench.js';
export type { CacheBenchReport, CacheWayResult } from './bench/cache-bench-report.js';
export { cacheBenchMarkdown } from './bench/cache-bench-report.js';
export type { BenchOptions, BenchRun } from './bench/run-bench.js';
export { runBench } from './bench/run-bench.js';
export type { ChainShape, RateSeason, RoomTypeShape } from './chain-shape.js';
export { chainShape } from './chain-shape.js';
export { HELP, runCommandLine } from './cli-main.js';
export { runAudit } from './commands/audit-command.js';
export type { CommandContext } from './commands/command-context.js';
export type { DatabaseTarget } from './commands/database-flags.js';
export { type MigrateReport, runMigrate } from './commands/migrate-command.js';
export type { DemoCounters } from './demo/demo-counters.js';
export { DemoGateway, type DemoGatewayOptions } from './demo/demo-gateway.js';
export { type DemoReport, formatDemoReport } from './demo/demo-report.js';
export type { DemoScale, TrafficMix } from './demo/demo-scale.js';
export { DEFAULT_MIX, FULL_SCALE, QUICK_SCALE } from './demo/demo-scale.js';
export { type DemoOptions, runDemo } from './demo/run-demo.js';
export type { LatencySummary } from './latency-recorder.js';
export type { ProgressSink } from './progress-bar.js';
export type { StoreKind, StoreTarget } from './stores/store-target.js';
