import { resolve } from 'node:path';
import { createFileArchiveSink, createInnkeeper, type GuestErasureReport } from '@innkeeper/core';
import { parseFlags } from '../cli-args.js';
import { UsageError } from '../cli-error.js';
import { openStoreWithLock } from '../stores/store-with-lock.js';
import type { CommandContext } from './command-context.js';
import { DATABASE_FLAGS, databaseTarget } from './database-flags.js';

export const ERASE_GUEST_HELP = `innkeeper erase-guest (--file <sqlite file> [--table-prefix <prefix>] | --url <postgres url> [--schema <name>])
                      (--email <address> | --reservation <id>) [--archive <directory>]
                      [--reason <text>] [--json]
  Erases a guest's personal data (name, e-mail, phone, notes, requests, the names on each
  line, the reasons in the history) from every reservation of --email, or from one
  --reservation: in the database, and with --archive in the archive files and index under
  that directory (needed when the guest has archived stays). Keeps dates, rooms and money.
  Safe to run again: it finishes what a stopped run left. Prints ids only.`;

export async function eraseGuestCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('erase-guest', args, {
    ...DATABASE_FLAGS,
    email: { type: 'string' },
    reservation: { type: 'string' },
    archive: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  if ((values.email === undefined) === (values.reservation === undefined)) {
    throw new UsageError('erase-guest: give --email <address> or --reservation <id> (one of them)');
  }
  const target = databaseTarget('erase-guest', values, { fileMustExist: true });
  // The worker lock is the archive's: no archiver settles a file while it is rewritten.
  const opened = await openStoreWithLock(target, 'erase-guest');
  const inn = createInnkeeper({
    store: opened.store,
    ...(values.archive === undefined
      ? {}
      : {
          archive: {
            sink: createFileArchiveSink({ directory: resolve(values.archive) }),
            lock: opened.lock,
          },
        }),
  });
  let report: GuestErasureReport;
  try {
    report = await inn.eraseGuest({
      ...(values.email === undefined ? {} : { email: values.email }),
      ...(values.reservation === undefined ? {} : { reservationId: values.reservation }),
      ...(values.reason === undefined ? {} : { reason: values.reason }),
    });
  } finally {
    await inn.close();
    await opened.close();
  }
  if (values.json) {
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const { reservations, archived } = report;
  const already = reservations.alreadyErased.length + archived.alreadyErased.length;
  context.stdout.write(
    `erase-guest: ${reservations.erased.length} reservations erased in the database, ` +
      `${archived.erased.length} archived reservations erased in ${archived.files.length} files` +
      (already > 0 ? `; ${already} erased already` : '') +
      '\n',
  );
  return 0;
}
