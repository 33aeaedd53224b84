import type { ArchivedReservation } from '../archive/archive-records.js';
import {
  archiveCutoff,
  archiveMonthOf,
  DEFAULT_ARCHIVE_AFTER_DAYS,
} from '../archive/archive-rules.js';
import type { ArchiveSink } from '../archive/archive-sink.js';
import { keysForgottenBy } from '../archive/key-retention.js';
import { addDays, type IsoDate, todayIn } from '../calendar/calendar-date.js';
import type { CalendarDay } from '../calendar/calendar-day.js';
import type { Hotel } from '../catalog/hotel.js';
import { InnkeeperError, invalid, notFound, storageError } from '../errors.js';
import { erasedReservation, isErased } from '../reservation/erasure.js';
import type { Reservation } from '../reservation/reservation.js';
import type { WorkerLock } from '../worker/worker-lock.js';
import { archiveLock } from './archive-lock.js';
import {
  type ArchivedPage,
  type ArchiveInput,
  type ArchiveOptions,
  type ArchiveRun,
  archiveInputSchema,
  type ListArchivedInput,
  listArchivedInputSchema,
} from './archive-requests.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { reservationRefSchema } from './requests.js';

/**
 * Moving finished reservations and past calendar rows to cold storage (docs/archive.md).
 *
 * Each file goes through the same steps, each safe to stop after: write it (durable and
 * verified), remove from the store what it holds (one atomic step that also indexes each
 * reservation under that file), then settle it: keep in the file exactly what left the
 * store (a reservation whose index entry names this file; a calendar row no longer in
 * the store), and mark it committed. A run that stops leaves an uncommitted file, which
 * the next run settles first. So every reservation is either in the store or in exactly
 * one committed file, never in neither.
 */
export class Archiving {
  private readonly lock: WorkerLock;

  constructor(
    private readonly context: EngineContext,
    private readonly catalog: Catalog,
    private readonly options: ArchiveOptions | undefined,
    /** Checked by `keyRetentionDaysOf` (the engine's constructor). */
    private readonly keyRetentionDays: number,
  ) {
    this.lock = archiveLock(options?.lock);
  }

  async archive(input: ArchiveInput): Promise<ArchiveRun> {
    const { before, hotelId, limit } = parse(archiveInputSchema, input);
    const sink = this.sink();
    const now = this.context.clock.now();
    // The latest "yesterday" anywhere: no hotel's live calendar is ever archived.
    const latest = addDays(todayIn('UTC', now), -1);
    if (before !== undefined && before > latest) {
      throw invalid([
        { path: ['before'], message: `must be on or before ${latest}: later dates are still sold` },
      ]);
    }
    const hotels =
      hotelId === undefined ? await this.allHotels() : [await this.catalog.getHotel(hotelId)];
    const run: ArchiveRun = {
      ran: false,
      hotels: 0,
      reservations: 0,
      calendarDays: 0,
      kept: 0,
      files: [],
      settled: 0,
      keysForgotten: 0,
    };
    if (!(await this.lock.acquire('archive'))) return run;
    try {
      run.ran = true;
      for (const hotel of hotels) {
        if (run.reservations >= limit) break;
        const cutoff =
          before ??
          archiveCutoff(hotel.timeZone, now, this.options?.afterDays ?? DEFAULT_ARCHIVE_AFTER_DAYS);
        await this.archiveHotel(sink, hotel, cutoff, limit, run);
        run.hotels++;
      }
      run.keysForgotten = await this.forgetExpiredKeys(now);
      return run;
    } finally {
      await this.lock.release('archive');
    }
  }

  /**
   * Erases the guest of the archived reservations `entries` name (`eraseGuest`): each file
   * holding one is rewritten with them erased (`erasedReservation`), verified and
   * committed, and only then is the index erased, so a run that stops half way is simply
   * run again: the entries still name the guest, and an erased record stays as it is.
   *
   * Erasures take the `erase-guest` lock, so two never rewrite one file at once. An
   * archiver only ever rewrites files that are not committed (its own, being settled), so
   * an erasure only rewrites committed ones, waiting for a file an archive run is still
   * settling; the archiver that finds a file an erasure made uncommitted reads it erased
   * (the sink lists a rewritten file only once it is in place).
   */
  async eraseGuest(
    entries: ArchivedReservation[],
    at: string,
    reason: string | undefined,
  ): Promise<{ erased: string[]; alreadyErased: string[]; files: string[] }> {
    const result = { erased: [] as string[], alreadyErased: [] as string[], files: [] as string[] };
    if (entries.length === 0) return result;
    const sink = this.sink();
    await this.waitFor(() => this.lock.acquire('erase-guest'), 'another erasure holds the lock');
    try {
      const byFile = new Map<string, Set<string>>();
      for (const entry of entries) {
        const ids = byFile.get(entry.file) ?? new Set<string>();
        ids.add(entry.reservationId);
        byFile.set(entry.file, ids);
      }
      await this.waitFor(
        () => this.settledFiles(sink, [...byFile.keys()]),
        'an archive run is still settling a file of this guest',
      );
      for (const [file, ids] of byFile) {
        const erasedHere: string[] = [];
        await sink.rewrite(file, (record) => {
          const r = record as Reservation;
          if (!ids.has(r.id)) return record;
          if (isErased(r)) {
            result.alreadyErased.push(r.id);
            return record;
          }
          erasedHere.push(r.id);
          return erasedReservation(r, at, reason);
        });
        await sink.commit(file);
        if (erasedHere.length > 0) result.files.push(file);
        result.erased.push(...erasedHere);
      }
      await this.context.store.eraseArchivedEntries(entries.map((e) => e.reservationId));
      return result;
    } finally {
      await this.lock.release('erase-guest');
    }
  }

  /**
   * Whether every file of `paths` is committed. One that is not belongs to an archive run
   * in progress, or to a run (or an erasure) that stopped: when the archive lock is free,
   * no run is in progress, so the file is settled here, as the next run would.
   */
  private async settledFiles(sink: ArchiveSink, paths: string[]): Promise<boolean> {
    const wanted = new Set(paths);
    const pending = (await sink.files()).filter((f) => wanted.has(f.path) && !f.committed);
    if (pending.length === 0) return true;
    if (!(await this.lock.acquire('archive'))) return false;
    try {
      for (const file of pending) await this.settleReservations(sink, file.path);
    } finally {
      await this.lock.release('archive');
    }
    return true;
  }

  /** Polls `ready` every half second for up to a minute; then `CONFLICT` saying `why`. */
  private async waitFor(ready: () => Promise<boolean>, why: string): Promise<void> {
    for (let waited = 0; !(await ready()); waited += 500) {
      if (waited >= 60_000) {
        throw new InnkeeperError('CONFLICT', `Cannot erase the guest now: ${why}; try again`, {
          entity: 'reservation',
          id: 'archive',
          reason: why,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** The archive index forgets the keys past their retention, a batch at a time. */
  private async forgetExpiredKeys(now: Date): Promise<number> {
    const archivedBy = keysForgottenBy(now, this.keyRetentionDays);
    let forgotten = 0;
    for (;;) {
      const batch = await this.context.store.forgetArchivedKeys({ archivedBy, limit: 5_000 });
      forgotten += batch;
      if (batch < 5_000) return forgotten;
    }
  }

  /** An archived reservation, as it was when it left the store (NOT_FOUND if it never did). */
  async get(reservationId: string): Promise<Reservation> {
    const { reservationId: id } = parse(reservationRefSchema, { reservationId });
    const sink = this.sink();
    const [entry] = await this.context.store.findArchived({ by: 'ids', reservationIds: [id] });
    if (!entry) throw notFound('reservation', id);
    const found = (await sink.read(entry.file)).find((r) => (r as Reservation).id === id);
    if (!found) {
      throw storageError(
        'archive',
        new Error(`The archive index names ${entry.file} for ${id}, which lacks it`),
      );
    }
    return found as Reservation;
  }

  /** A guest's archived reservations, by id, a page at a time. */
  async list(input: ListArchivedInput): Promise<ArchivedPage> {
    const { guestEmail, hotelId, limit, cursor } = parse(listArchivedInputSchema, input);
    const sink = this.sink();
    const entries = await this.context.store.findArchived({
      by: 'guest',
      email: guestEmail,
      ...(hotelId === undefined ? {} : { hotelId }),
      ...(cursor === undefined ? {} : { afterId: cursor }),
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    const files = new Map<string, Map<string, Reservation>>();
    const items: Reservation[] = [];
    for (const entry of page) {
      let held = files.get(entry.file);
      if (!held) {
        const records = (await sink.read(entry.file)) as Reservation[];
        held = new Map(records.map((r) => [r.id, r]));
        files.set(entry.file, held);
      }
      const r = held.get(entry.reservationId);
      if (r) items.push(r);
    }
    const last = page.at(-1);
    return { items, nextCursor: entries.length > limit && last ? last.reservationId : null };
  }

  private async archiveHotel(
    sink: ArchiveSink,
    hotel: Hotel,
    before: IsoDate,
    limit: number,
    run: ArchiveRun,
  ): Promise<void> {
    run.settled += await this.settleAll(sink, hotel.id);
    // The calendar first: its horizon rises before the stays that counted in its rows
    // leave, so the audit never sees a row without the stays that fill it.
    await this.archiveCalendar(sink, hotel.id, before, run);
    const batchSize = this.options?.batchSize ?? 5_000;
    let afterId: string | undefined;
    while (run.reservations < limit) {
      const want = Math.min(batchSize, limit - run.reservations);
      const batch = await this.context.store.listArchivable({
        hotelId: hotel.id,
        before,
        limit: want,
        ...(afterId === undefined ? {} : { afterId }),
      });
      for (const [month, group] of groupBy(batch, (r) => archiveMonthOf(r.checkOut))) {
        const file = await sink.write({
          kind: 'reservations',
          hotelId: hotel.id,
          month,
          records: group,
          writtenAt: nowIso(this.context),
        });
        const outcome = await this.context.store.removeArchived({
          hotelId: hotel.id,
          file: file.path,
          archivedAt: nowIso(this.context),
          reservations: group.map((r) => ({ id: r.id, version: r.version })),
        });
        run.reservations += outcome.removed.length;
        run.kept += outcome.kept.length;
        if (await this.settleReservations(sink, file.path)) run.files.push(file.path);
      }
      afterId = batch.at(-1)?.id;
      if (batch.length < want) break;
    }
  }

  private async archiveCalendar(
    sink: ArchiveSink,
    hotelId: string,
    before: IsoDate,
    run: ArchiveRun,
  ): Promise<void> {
    const batchSize = this.options?.batchSize ?? 5_000;
    let after: { roomTypeId: string; date: IsoDate } | undefined;
    for (;;) {
      const days = await this.context.store.listCalendarBefore({
        hotelId,
        before,
        limit: batchSize,
        ...(after ? { after } : {}),
      });
      for (const [month, group] of groupBy(days, (d) => archiveMonthOf(d.date))) {
        const file = await sink.write({
          kind: 'calendar',
          hotelId,
          month,
          records: group,
          writtenAt: nowIso(this.context),
        });
        const outcome = await this.context.store.removeArchived({
          hotelId,
          file: file.path,
          archivedAt: nowIso(this.context),
          reservations: [],
          calendar: { before, days: group },
        });
        run.calendarDays += outcome.daysRemoved;
        if (await this.settleCalendar(sink, hotelId, file.path)) run.files.push(file.path);
      }
      const last = days.at(-1);
      if (days.length < batchSize || !last) break;
      after = { roomTypeId: last.roomTypeId, date: last.date };
    }
    // Raised even when no row was left to move: the dates before `before` are archived.
    await this.context.store.removeArchived({
      hotelId,
      file: '',
      archivedAt: nowIso(this.context),
      reservations: [],
      calendar: { before, days: [] },
    });
  }

  /** Settles the hotel's files an earlier run left uncommitted; how many there were. */
  private async settleAll(sink: ArchiveSink, hotelId: string): Promise<number> {
    const pending = (await sink.files({ hotelId })).filter((f) => !f.committed);
    for (const file of pending) {
      if (file.kind === 'reservations') await this.settleReservations(sink, file.path);
      else await this.settleCalendar(sink, hotelId, file.path);
    }
    return pending.length;
  }

  /**
   * Keeps in the file exactly the reservations whose index entry names it (those the
   * store removed into it), then commits it. `false` when none are: the file is gone.
   */
  private async settleReservations(sink: ArchiveSink, path: string): Promise<boolean> {
    const records = (await sink.read(path)) as Reservation[];
    const entries = await this.context.store.findArchived({
      by: 'ids',
      reservationIds: records.map((r) => r.id),
    });
    const mine = new Set(entries.filter((e) => e.file === path).map((e) => e.reservationId));
    return this.settle(sink, path, records.length, mine.size, (r) =>
      mine.has((r as Reservation).id),
    );
  }

  /** Keeps in the file exactly the rows the store no longer has, then commits it. */
  private async settleCalendar(sink: ArchiveSink, hotelId: string, path: string) {
    const records = (await sink.read(path)) as CalendarDay[];
    const dates = records.map((d) => d.date).sort();
    const [from, to] = [dates[0], dates.at(-1)];
    const stored = new Set<string>();
    if (from !== undefined && to !== undefined) {
      const view = await this.context.store.readStay({ hotelId, from, to: addDays(to, 1) });
      for (const d of view?.days ?? []) stored.add(`${d.roomTypeId}/${d.date}`);
    }
    const gone = (d: CalendarDay) => !stored.has(`${d.roomTypeId}/${d.date}`);
    const kept = records.filter(gone).length;
    return this.settle(sink, path, records.length, kept, (r) => gone(r as CalendarDay));
  }

  private async settle(
    sink: ArchiveSink,
    path: string,
    count: number,
    kept: number,
    keep: (record: unknown) => boolean,
  ): Promise<boolean> {
    if (kept < count || count === 0) {
      const rewritten = await sink.rewrite(path, (record) => (keep(record) ? record : null));
      if (!rewritten) return false;
    }
    await sink.commit(path);
    return true;
  }

  private sink(): ArchiveSink {
    if (!this.options) {
      throw invalid([
        {
          path: ['archive'],
          message: 'this engine has no archive: createInnkeeper({ archive: { sink } })',
        },
      ]);
    }
    return this.options.sink;
  }

  private async allHotels(): Promise<Hotel[]> {
    const hotels: Hotel[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog.listHotels({ limit: 100, ...(cursor ? { cursor } : {}) });
      hotels.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return hotels;
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
