import { type ArchiveBenchStore, runArchiveBench } from '../bench/archive-bench.js';
import { runCacheBench } from '../bench/cache-bench.js';
import { runRoomsBench } from '../bench/rooms-bench.js';
import { runBench } from '../bench/run-bench.js';
import { intFlag, parseFlags, storeKindOf } from '../cli-args.js';
import { UsageError } from '../cli-error.js';
import type { StoreKind } from '../stores/store-target.js';
import type { CommandContext } from './command-context.js';

export const BENCH_HELP = `innkeeper bench [--quick] [--hotels <n>] [--out <dir>] [--url <postgres url>] [--store <kind>]... [--notify] [--no-pricing-cache | --cold-pricing-cache] [--json]
  Memory, SQLite and Postgres side by side with their raw baselines (bookings/s, ratio,
  7-night search p50/p99, load time). Writes innkeeper-bench.md and .json to --out
  (default .bench-results). Postgres (--url, else DATABASE_URL, else the local test
  database) is skipped, with a notice, when it cannot be reached. --hotels sets the
  chain's size (default 5,000; 50 with --quick). --notify installs the Postgres store's
  change-notification trigger first, to measure what NOTIFY costs a booking.
  The engine's pricing cache is warmed with every hotel's calendar before the timed rounds
  (warmPricingCache, untimed, as a service does at start-up). --cold-pricing-cache leaves
  it cold (it fills as bookings read); --no-pricing-cache makes the engine read the stay
  for every booking (createInnkeeper's pricingCache: false). Both for a before/after.
innkeeper bench --cache redis [--quick] [--hotels <n>] [--out <dir>] [--url <postgres url>] [--redis-url <url>] [--json]
  The Redis availability cache on the Postgres store: 7-night searches and the bare
  availability read with and without the cache (throughput, p50/p99), then a booking
  storm with the relay's lag. Needs Postgres and Redis (--redis-url, else REDIS_URL,
  else redis://127.0.0.1:6379). Writes innkeeper-bench-cache.md and .json.
innkeeper bench --rooms [--quick] [--store <kind>]... [--out <dir>] [--url <postgres url>] [--json]
  Physical rooms: a 1,000-room hotel with 5,000 arrivals over twelve days given rooms by
  assignRooms, date by date, on each store, beside the pure planner on the same arrivals
  (the raw baseline); checks no room-night is held twice. Writes innkeeper-bench-rooms.md
  and .json.
innkeeper bench --archive [--quick] [--reservations <n>] [--store sqlite|postgres]... [--out <dir>] [--url <postgres url>] [--json]
  The archive at scale: a store holding --reservations finished stays (default 1,000,000;
  20,000 with --quick; about 250,000 a day over 100 hotels) and a tenth as many open ones.
  archive() moves nine hotels in ten to gzip NDJSON files, the raw baseline (read, gzip,
  delete by hand) the tenth. Reports both rates, the store's size vacuumed before and
  after, hot lookup latency before and after, and the archive's size per million.
  Writes innkeeper-bench-archive.md and .json.`;

export async function benchCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('bench', args, {
    quick: { type: 'boolean' },
    hotels: { type: 'string' },
    out: { type: 'string' },
    url: { type: 'string' },
    store: { type: 'string', multiple: true },
    notify: { type: 'boolean' },
    'no-pricing-cache': { type: 'boolean' },
    'cold-pricing-cache': { type: 'boolean' },
    cache: { type: 'string' },
    rooms: { type: 'boolean' },
    archive: { type: 'boolean' },
    reservations: { type: 'string' },
    'redis-url': { type: 'string' },
    json: { type: 'boolean' },
  });
  const hotels = intFlag('hotels', values.hotels, undefined, 1, 10_000);
  const common = {
    quick: values.quick === true,
    ...(hotels !== undefined ? { hotels } : {}),
    ...(values.url ? { url: values.url } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    log: context.stderr,
    signal: context.signal,
  };
  let run: { report: unknown; markdown: string; files: { markdown: string; json: string } };
  for (const flag of ['no-pricing-cache', 'cold-pricing-cache'] as const) {
    if (values[flag] && (values.archive || values.rooms || values.cache)) {
      throw new UsageError(`--${flag} goes with the side-by-side bench only`);
    }
  }
  if (values['no-pricing-cache'] && values['cold-pricing-cache']) {
    throw new UsageError('--no-pricing-cache and --cold-pricing-cache exclude each other');
  }
  if (values.archive) {
    if (values.cache !== undefined || values.notify || values.rooms || hotels !== undefined) {
      throw new UsageError(
        '--archive takes --quick, --reservations, --store, --url, --out and --json only',
      );
    }
    const stores = values.store?.map((s) => {
      if (s !== 'sqlite' && s !== 'postgres') {
        throw new UsageError(`--archive runs on sqlite and postgres, not "${s}"`);
      }
      return s;
    }) as ArchiveBenchStore[] | undefined;
    const reservations = intFlag(
      'reservations',
      values.reservations,
      undefined,
      1_000,
      100_000_000,
    );
    run = await runArchiveBench({
      ...common,
      ...(stores ? { stores } : {}),
      ...(reservations !== undefined ? { reservations } : {}),
    });
  } else if (values.reservations !== undefined) {
    throw new UsageError('--reservations goes with --archive');
  } else if (values.rooms) {
    if (values.cache !== undefined || values.notify || hotels !== undefined) {
      throw new UsageError('--rooms takes --quick, --store, --url, --out and --json only');
    }
    const stores = values.store?.map((s) => storeKindOf(s, 'memory')) as StoreKind[] | undefined;
    run = await runRoomsBench({ ...common, ...(stores ? { stores } : {}) });
  } else if (values.cache !== undefined) {
    if (values.cache !== 'redis') {
      throw new UsageError(`--cache must be redis, got "${values.cache}"`);
    }
    if (values.store || values.notify) {
      throw new UsageError(
        '--cache redis runs on the Postgres store with its notifications: no --store or --notify',
      );
    }
    run = await runCacheBench({
      ...common,
      ...(values['redis-url'] ? { redisUrl: values['redis-url'] } : {}),
    });
  } else {
    if (values['redis-url']) throw new UsageError('--redis-url goes with --cache redis');
    const stores = values.store?.map((s) => storeKindOf(s, 'memory')) as StoreKind[] | undefined;
    run = await runBench({
      ...common,
      ...(stores ? { stores } : {}),
      ...(values.notify ? { notify: true } : {}),
      ...(values['no-pricing-cache'] ? { pricingCache: false } : {}),
      ...(values['cold-pricing-cache'] ? { warmPricingCache: false } : {}),
    });
  }
  context.stdout.write(values.json ? `${JSON.stringify(run.report, null, 2)}\n` : run.markdown);
  context.stderr.write(`bench: wrote ${run.files.markdown} and ${run.files.json}\n`);
  return context.signal.aborted ? 130 : 0;
}
