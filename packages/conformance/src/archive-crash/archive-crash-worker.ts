import {
  type ArchiveSink,
  createFileArchiveSink,
  createInnkeeper,
  createManualClock,
  type InnkeeperStore,
} from '@innkeeper/core';

/**
 * The worker side of the archive crash cases: a child process archives a seeded store into
 * a directory and kills itself with SIGKILL at a scripted point of the first file's way
 * (no exit handlers, no close, no rollback), telling its parent over IPC just before.
 */
export type ArchiveCrashPoint =
  /** The file is written and verified, nothing removed from the store yet. */
  | 'after-write'
  /** The store removed what the file holds (atomically), the file is not settled. */
  | 'after-remove'
  /** Settling rewrote the file (a reservation changed meanwhile), not yet committed. */
  | 'after-rewrite'
  /** The file is committed; the run has more to do. */
  | 'after-commit';

export const ARCHIVE_CRASH_POINTS: readonly ArchiveCrashPoint[] = [
  'after-write',
  'after-remove',
  'after-rewrite',
  'after-commit',
];

export interface ArchiveCrashJob {
  directory: string;
  crashAt: ArchiveCrashPoint;
  /** The instant the archiver runs at (the fixture's stays are long over by then). */
  at: string;
  /** A reservation to change between listing and removal, so the file gets rewritten. */
  changeMeanwhile: string;
}

export type ArchiveCrashReport =
  | { kind: 'dying'; at: ArchiveCrashPoint }
  | { kind: 'failed'; message: string };

function report(message: ArchiveCrashReport): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function die(at: ArchiveCrashPoint): Promise<never> {
  await report({ kind: 'dying', at });
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before this runs; never go on as if the kill had not happened.
  return new Promise<never>(() => {});
}

/**
 * Runs in the child: archives `store` into `job.directory` and dies at `job.crashAt`.
 * A reservation is corrected between the listing and the removal of the first file, so
 * the store keeps it and settling rewrites that file. `close` is only called when the
 * point was never reached (the parent then reports it).
 */
export async function archiveUntilKilled(
  store: InnkeeperStore,
  job: ArchiveCrashJob,
  close: () => Promise<void>,
): Promise<never> {
  try {
    const files = createFileArchiveSink({ directory: job.directory });
    const clock = createManualClock(job.at);
    let changed = false;
    const dyingStore: InnkeeperStore = Object.create(store, {
      removeArchived: {
        value: async (command: Parameters<InnkeeperStore['removeArchived']>[0]) => {
          if (!changed && command.reservations.some((r) => r.id === job.changeMeanwhile)) {
            changed = true;
            await inn.updateReservationDetails({
              reservationId: job.changeMeanwhile,
              notes: 'Changed while being archived',
            });
          }
          const outcome = await store.removeArchived(command);
          if (job.crashAt === 'after-remove' && command.reservations.length > 0) {
            await die('after-remove');
          }
          return outcome;
        },
      },
    });
    const sink: ArchiveSink = {
      ...files,
      async write(file) {
        const written = await files.write(file);
        if (job.crashAt === 'after-write' && file.kind === 'reservations') {
          await die('after-write');
        }
        return written;
      },
      async rewrite(path, edit) {
        const rewritten = await files.rewrite(path, edit);
        if (job.crashAt === 'after-rewrite') await die('after-rewrite');
        return rewritten;
      },
      async commit(path) {
        await files.commit(path);
        if (job.crashAt === 'after-commit' && path.includes('/reservations-')) {
          await die('after-commit');
        }
      },
    };
    const inn = createInnkeeper({ store: dyingStore, clock, archive: { sink, batchSize: 2 } });
    await inn.archive();
    await close();
    await report({ kind: 'failed', message: `archive() ended without reaching ${job.crashAt}` });
    process.exit(1);
  } catch (error) {
    await report({
      kind: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
}
