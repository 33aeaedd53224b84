import { runBench } from '../bench/run-bench.js';
import { parseFlags, storeKindOf } from '../cli-args.js';
import type { StoreKind } from '../stores/store-target.js';
import type { CommandContext } from './command-context.js';

export const BENCH_HELP = `innkeeper bench [--quick] [--out <dir>] [--url <postgres url>] [--store <kind>]... [--json]
  Memory, SQLite and Postgres side by side with their raw baselines (bookings/s, ratio,
  7-night search p50/p99, load time). Writes innkeeper-bench.md and .json to --out
  (default .bench-results). Postgres (--url, else DATABASE_URL, else the local test
  database) is skipped, with a notice, when it cannot be reached.`;

export async function benchCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('bench', args, {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    url: { type: 'string' },
    store: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const stores = values.store?.map((s) => storeKindOf(s, 'memory')) as StoreKind[] | undefined;
  const run = await runBench({
    quick: values.quick === true,
    ...(stores ? { stores } : {}),
    ...(values.url ? { url: values.url } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    log: context.stderr,
    signal: context.signal,
  });
  context.stdout.write(values.json ? `${JSON.stringify(run.report, null, 2)}\n` : run.markdown);
  context.stderr.write(`bench: wrote ${run.files.markdown} and ${run.files.json}\n`);
  return context.signal.aborted ? 130 : 0;
}
