import { resolve } from 'node:path';
import {
  type ArchiveRun,
  createFileArchiveSink,
  createInnkeeper,
  createManualClock,
  isIsoDate,
} from '@innkeeper/core';
import { intFlag, parseFlags } from '../cli-args.js';
import { UsageError } from '../cli-error.js';
import { openStoreWithLock } from '../stores/store-with-lock.js';
import type { CommandContext } from './command-context.js';
import { DATABASE_FLAGS, databaseTarget } from './database-flags.js';

export const ARCHIVE_HELP = `innkeeper archive (--file <sqlite file> [--table-prefix <prefix>] | --url <postgres url> [--schema <name>])
                  --to <directory> [--before <YYYY-MM-DD>] [--after-days <n>] [--hotel <id>]
                  [--limit <n>] [--as-of <YYYY-MM-DD>] [--json]
  Moves finished reservations that checked out on or before the cut-off (default: 90 days
  before each hotel's today; --after-days changes the 90), and calendar rows dated before
  it, into gzip NDJSON files under --to (hotel=<id>/month=<YYYY-MM>/, with manifest.ndjson),
  then out of the database. Safe to stop at any point and to run again; one archiver at a
  time per database (the worker lock). --as-of runs as if today were that date (UTC noon),
  for a database whose dates are simulated, like the demo's. docs/archive.md shows how
  to query the files.`;

export async function archiveCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('archive', args, {
    ...DATABASE_FLAGS,
    to: { type: 'string' },
    before: { type: 'string' },
    'after-days': { type: 'string' },
    hotel: { type: 'string' },
    limit: { type: 'string' },
    'as-of': { type: 'string' },
    json: { type: 'boolean' },
  });
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf)) {
    throw new UsageError(`archive: --as-of must be a date (YYYY-MM-DD), got "${asOf}"`);
  }
  if (values.to === undefined) throw new UsageError('archive: --to <directory> is required');
  const afterDays = intFlag('--after-days', values['after-days'], 90, 1, 36_500);
  const limit = intFlag('--limit', values.limit, 1_000_000, 1, 1_000_000);
  const target = databaseTarget('archive', values, { fileMustExist: true });
  const opened = await openStoreWithLock(target, 'archive');
  const inn = createInnkeeper({
    store: opened.store,
    ...(asOf === undefined ? {} : { clock: createManualClock(`${asOf}T12:00:00.000Z`) }),
    archive: {
      sink: createFileArchiveSink({ directory: resolve(values.to) }),
      lock: opened.lock,
      ...(afterDays === undefined ? {} : { afterDays }),
    },
  });
  let run: ArchiveRun;
  try {
    run = await inn.archive({
      ...(values.before === undefined ? {} : { before: values.before }),
      ...(values.hotel === undefined ? {} : { hotelId: values.hotel }),
      ...(limit === undefined ? {} : { limit }),
    });
  } finally {
    await inn.close();
    await opened.close();
  }
  if (values.json) {
    context.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  } else if (!run.ran) {
    context.stdout.write('archive: another archiver holds the lock; nothing done\n');
  } else {
    const n = (value: number) => value.toLocaleString('en-US');
    context.stdout.write(
      `archive: ${n(run.reservations)} reservations and ${n(run.calendarDays)} calendar rows of ${n(run.hotels)} hotels moved into ${n(run.files.length)} files under ${resolve(values.to)}` +
        (run.kept > 0 ? `; ${n(run.kept)} changed meanwhile and stay` : '') +
        (run.settled > 0 ? `; ${n(run.settled)} files of an earlier run settled` : '') +
        '\n',
    );
  }
  return 0;
}
