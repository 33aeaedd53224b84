import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createFileArchiveSink,
  createInnkeeper,
  createWorker,
  type InnkeeperLogger,
  type JobName,
  type PaymentGateway,
} from '@innkeeper/core';
import { intFlag, parseFlags } from '../cli-args.js';
import { UsageError } from '../cli-error.js';
import { jsonLinesLogger, LOG_LEVELS, type LogLevel } from '../json-logger.js';
import { openStoreWithLock } from '../stores/store-with-lock.js';
import type { CommandContext } from './command-context.js';
import { DATABASE_FLAGS, databaseTarget } from './database-flags.js';

export const WORKER_HELP = `innkeeper worker (--file <sqlite file> [--table-prefix <prefix>] | --url <postgres url> [--schema <name>])
                 [--gateway <module>] [--jobs <names>] [--once] [--batch-size <n>]
                 [--no-show-after-hours <h>] [--log-level debug|info|warn|error|silent]
                 [--archive-to <directory>]
  Runs the maintenance jobs (expire-holds, recover-payments, no-shows, archive, prune-events)
  until SIGTERM or Ctrl-C, one leader per job among every worker on the same database.
  Logs one JSON line per run on stdout. prune-events deletes change-feed events older than
  7 days that every consumer's cursor is past. --gateway names an ES module whose default export is your
  PaymentGateway (or a function returning one); without it recover-payments is off.
  --archive-to turns the hourly archive job on, into that directory (as innkeeper archive).
  --once runs each job once, prints the results and exits (1 if a job failed).`;

const JOB_NAMES: readonly JobName[] = [
  'expire-holds',
  'recover-payments',
  'no-shows',
  'archive',
  'prune-events',
];

/**
 * The integrator's gateway, from an ES module: its default export (or a `gateway` export)
 * is a `PaymentGateway`, or a function (maybe async) that returns one.
 */
export async function loadGateway(path: string): Promise<PaymentGateway> {
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(resolve(path)).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`worker: cannot load --gateway "${path}": ${reason}`);
  }
  const exported = module.default ?? module.gateway;
  const candidate = typeof exported === 'function' ? await exported() : exported;
  if (!isGateway(candidate)) {
    throw new UsageError(
      `worker: --gateway "${path}" must export (default or "gateway") a PaymentGateway, or a function returning one`,
    );
  }
  return candidate;
}

function isGateway(value: unknown): value is PaymentGateway {
  if (typeof value !== 'object' || value === null) return false;
  const g = value as Record<string, unknown>;
  return ['charge', 'refund', 'findCharge'].every((m) => typeof g[m] === 'function');
}

function jobsFlag(
  value: string | undefined,
  hasGateway: boolean,
  archiveTo: string | undefined,
): JobName[] {
  if (value === undefined) {
    return JOB_NAMES.filter(
      (j) =>
        (hasGateway || j !== 'recover-payments') && (archiveTo !== undefined || j !== 'archive'),
    );
  }
  const names = value.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!(JOB_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`--jobs takes ${JOB_NAMES.join(', ')}; got "${name}"`);
    }
  }
  if (names.includes('recover-payments') && !hasGateway) {
    throw new UsageError('--jobs recover-payments needs --gateway (the payments to ask about)');
  }
  if (names.includes('archive') && archiveTo === undefined) {
    throw new UsageError('--jobs archive needs --archive-to (the directory to archive into)');
  }
  return names as JobName[];
}

function logLevelFlag(value: string | undefined): LogLevel {
  if (value === undefined) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}

export async function workerCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('worker', args, {
    ...DATABASE_FLAGS,
    gateway: { type: 'string' },
    jobs: { type: 'string' },
    once: { type: 'boolean' },
    'batch-size': { type: 'string' },
    'no-show-after-hours': { type: 'string' },
    'log-level': { type: 'string' },
    'archive-to': { type: 'string' },
  });
  const archiveTo = values['archive-to'];
  const target = databaseTarget('worker', values, { fileMustExist: true });
  const jobs = jobsFlag(values.jobs, values.gateway !== undefined, archiveTo);
  const batchSize = intFlag('batch-size', values['batch-size'], 500, 1, 10_000);
  const noShowAfterHours = intFlag('no-show-after-hours', values['no-show-after-hours'], 12, 0, 72);
  const logger: InnkeeperLogger = jsonLinesLogger(
    context.stdout,
    logLevelFlag(values['log-level']),
  );
  const payments = values.gateway === undefined ? undefined : await loadGateway(values.gateway);

  const opened = await openStoreWithLock(target, 'worker');
  const inn = createInnkeeper({
    store: opened.store,
    logger,
    ...(payments ? { payments } : {}),
    ...(archiveTo === undefined
      ? {}
      : {
          archive: {
            sink: createFileArchiveSink({ directory: resolve(archiveTo) }),
            lock: opened.lock,
          },
        }),
  });
  const worker = createWorker(inn, {
    logger,
    lock: opened.lock,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(noShowAfterHours === undefined ? {} : { noShowAfterHours }),
    jobs: Object.fromEntries(JOB_NAMES.map((j) => [j, { enabled: jobs.includes(j) }])),
  });
  try {
    if (values.once) return await runEachOnce(worker, jobs, context);
    logger.info({ jobs, store: target.kind }, 'innkeeper.worker started');
    worker.start();
    // SIGTERM and Ctrl-C both abort the signal (cli.ts): stop scheduling, let the call in
    // progress finish (each is atomic in the store), hand the leases over, then exit 0.
    await new Promise<void>((done) => {
      if (context.signal.aborted) return done();
      // The worker's timers do not hold the process open (an embedding service decides
      // when it ends); the command does, until it is told to stop.
      const alive = setInterval(() => {}, 2 ** 30);
      context.signal.addEventListener(
        'abort',
        () => {
          clearInterval(alive);
          done();
        },
        { once: true },
      );
    });
    await worker.stop();
    logger.info({ jobs, status: worker.status() }, 'innkeeper.worker stopped');
    return 0;
  } finally {
    await inn.close();
    await opened.close();
  }
}

/** `--once`: every chosen job one time, in order; exit 1 if any failed. */
async function runEachOnce(
  worker: ReturnType<typeof createWorker>,
  jobs: JobName[],
  context: CommandContext,
): Promise<number> {
  let failed = false;
  for (const job of jobs) {
    try {
      const result = await worker.runOnce(job);
      const counts = Object.entries(result).map(([k, n]) => `${k} ${n}`);
      context.stderr.write(`${job}: ${counts.join(', ')}\n`);
    } catch {
      failed = true;
      context.stderr.write(`${job}: failed (${worker.status()[job].last?.error ?? 'error'})\n`);
    }
  }
  return failed ? 1 : 0;
}
