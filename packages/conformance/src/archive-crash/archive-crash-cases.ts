import assert from 'node:assert/strict';
import {
  createFileArchiveSink,
  createInnkeeper,
  createManualClock,
  type InnkeeperStore,
  type Reservation,
} from '@innkeeper/core';
import { bookingRequest, createFixture, day, TODAY } from '../fixture.js';
import type { WorkerDeath } from '../payment-crash/fork-worker.js';
import type { SuiteApi } from '../suite-api.js';
import { ARCHIVE_CRASH_POINTS, type ArchiveCrashPoint } from './archive-crash-worker.js';

const DAY_MS = 86_400_000;

/** What `seedArchiveCrash` left in a store: stays long over, and one still to come. */
export interface SeededArchive {
  /** Finished stays, by id: all of them must end up archived exactly once. */
  finished: string[];
  /** A stay still confirmed: it must stay in the store. */
  open: string;
  /** The instant the archiver runs at: 100 days after the fixture's today. */
  at: string;
}

/**
 * Six finished stays (four cancelled, two checked out) in the conformance fixture's hotel,
 * all over by its day 3, and one confirmed stay on days 80 to 82.
 */
export async function seedArchiveCrash(store: InnkeeperStore): Promise<SeededArchive> {
  const { inn, clock } = await createFixture(store);
  const finished: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    finished.push((await inn.cancel({ reservationId: r.id })).id);
  }
  const staying: Reservation[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await inn.book(bookingRequest({ checkIn: TODAY, checkOut: day(2) }));
    staying.push(await inn.checkIn({ reservationId: r.id }));
  }
  const open = await inn.book(bookingRequest({ checkIn: day(50), checkOut: day(52) }));
  clock.advance(2 * DAY_MS);
  for (const r of staying) finished.push((await inn.checkOut({ reservationId: r.id })).id);
  return {
    finished: finished.sort(),
    open: open.id,
    at: new Date(Date.parse(`${TODAY}T12:00:00.000Z`) + 100 * DAY_MS).toISOString(),
  };
}

/** What a store's test hands back after a worker archived its store and died. */
export interface CrashedArchive {
  /** This process's store, on the data the worker left. */
  store: InnkeeperStore;
  directory: string;
  seeded: SeededArchive;
  death: WorkerDeath;
}

export interface ArchiveCrashOptions {
  /**
   * Seeds a fresh store (`seedArchiveCrash`), lets a worker (`archiveUntilKilled`, with
   * `changeMeanwhile` the first finished id) archive it into a fresh directory until it
   * dies at `point`, and opens the store again in this process.
   */
  crash: (point: ArchiveCrashPoint) => Promise<CrashedArchive>;
}

/**
 * Archiving survives a real crash at every step of a file's way: a child process is killed
 * with SIGKILL after writing a file, after the store removed what it holds, after settling
 * rewrote it, after committing it. Right after, every finished stay is in the store or in
 * an archive file that holds it (never in neither); the next run completes, and then every
 * finished stay is in exactly one committed file and no longer in the store, the open
 * stay is still there, every file passes its manifest check and the audit is clean.
 */
export function runArchiveCrashCases(api: SuiteApi, options: ArchiveCrashOptions): void {
  for (const point of ARCHIVE_CRASH_POINTS) {
    api.test(
      `archive() killed with SIGKILL ${point}: nothing lost, and the next run archives everything once`,
      async () => {
        const { store, directory, seeded, death } = await options.crash(point);
        const failed = death.reports.find((r) => r.kind === 'failed');
        assert.equal(failed, undefined, failed?.kind === 'failed' ? failed.message : '');
        assert.deepEqual(
          { signal: death.signal, reports: death.reports },
          { signal: 'SIGKILL', reports: [{ kind: 'dying', at: point }] },
        );
        const sink = createFileArchiveSink({ directory });

        // Right after the crash: in the store, or in a file that holds it.
        for (const id of seeded.finished) {
          if (await store.getReservation(id)) continue;
          const [entry] = await store.findArchived({ by: 'ids', reservationIds: [id] });
          assert.ok(entry, `${id} is neither in the store nor in the archive index`);
          const held = (await sink.read(entry.file)) as Reservation[];
          assert.ok(
            held.some((r) => r.id === id),
            `${id} is not in ${entry.file}`,
          );
        }

        const inn = createInnkeeper({
          store,
          clock: createManualClock(seeded.at),
          archive: { sink, batchSize: 2 },
        });
        const run = await inn.archive();
        assert.equal(run.ran, true);

        const files = await sink.files();
        assert.ok(
          files.every((f) => f.committed),
          'every file committed',
        );
        const archived: string[] = [];
        for (const file of files) {
          const records = await sink.read(file.path); // checked against the manifest
          if (file.kind === 'reservations') {
            archived.push(...(records as Reservation[]).map((r) => r.id));
          }
        }
        assert.deepEqual(archived.sort(), seeded.finished, 'each finished stay in one file');
        for (const id of seeded.finished) assert.equal(await store.getReservation(id), null);
        assert.ok(await store.getReservation(seeded.open), 'the open stay stays');
        assert.equal((await store.audit()).ok, true);
        await inn.close();
      },
    );
  }
}
