import { intFlag, parseFlags, postgresUrl, storeKindOf } from '../cli-args.js';
import { UsageError } from '../cli-error.js';
import { formatDemoReport } from '../demo/demo-report.js';
import { runDemo } from '../demo/run-demo.js';
import type { StoreTarget } from '../stores/store-target.js';
import type { CommandContext } from './command-context.js';

export const DEMO_HELP = `innkeeper demo [options]
  Loads a hotel chain (5,000 hotels, 1M rooms, a year of rates) and runs a booking day.
  --store memory|sqlite|postgres   default sqlite
  --file <path>      SQLite file (default: a fresh file in a temp dir, removed after)
  --url <url>        Postgres URL (default: DATABASE_URL); the demo uses schema innkeeper_demo
  --quick            50 hotels and 2,000 attempts: a few seconds
  --hotels <n>  --bookings <n>  --clients <n>  --seed <n>
  --json             print the report as JSON on stdout`;

export async function demoCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('demo', args, {
    store: { type: 'string' },
    file: { type: 'string' },
    url: { type: 'string' },
    quick: { type: 'boolean' },
    hotels: { type: 'string' },
    bookings: { type: 'string' },
    clients: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  const kind = storeKindOf(values.store, 'sqlite');
  if (values.file !== undefined && kind !== 'sqlite')
    throw new UsageError('--file is for --store sqlite');
  if (values.url !== undefined && kind !== 'postgres')
    throw new UsageError('--url is for --store postgres');
  const store: StoreTarget =
    kind === 'memory'
      ? { kind }
      : kind === 'sqlite'
        ? { kind, ...(values.file ? { file: values.file } : {}) }
        : { kind, url: postgresUrl(values.url) };
  const scale = {
    ...definedOnly({
      hotels: intFlag('hotels', values.hotels, undefined, 1, 100_000),
      bookings: intFlag('bookings', values.bookings, undefined, 0, 100_000_000),
      clients: intFlag('clients', values.clients, undefined, 1, 1_000),
    }),
  };
  const report = await runDemo({
    store,
    quick: values.quick === true,
    scale,
    seed: intFlag('seed', values.seed, 1, 0, 2 ** 31) ?? 1,
    signal: context.signal,
    progress: context.stderr,
  });
  context.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDemoReport(report),
  );
  if (report.interrupted) return 130;
  const healthy =
    report.audit.ok &&
    report.overbooking.withinCap &&
    report.countsAddUp &&
    report.money.ledgerMatches &&
    report.money.refundsWithinCharges &&
    report.counts.replayMismatches === 0 &&
    report.stay.failures === 0 &&
    report.worker.failedRuns === 0 &&
    report.worker.abandonedExpired === report.counts.abandoned &&
    report.worker.unknownPending === 0 &&
    report.reconciliation?.ok === true;
  return healthy ? 0 : 1;
}

function definedOnly<T extends object>(o: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
