import { cloneReservation, type IsoDate, type Reservation } from '@innkeeper/core';
import {
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  archivedEntryOf,
  isArchivable,
  sameCalendarDay,
} from '@innkeeper/core/store';
import type { MemoryParts } from './memory-decisions.js';
import type { MemoryTables } from './memory-tables.js';

/** `listArchivable`: a hotel's finished stays before `before`, by id, copied. */
export function archivableReservations(
  tables: MemoryTables,
  query: { hotelId: string; before: IsoDate; afterId?: string; limit: number },
): Reservation[] {
  const { hotelId, before, afterId, limit } = query;
  return tables
    .matching({ filter: { by: 'hotel', hotelId }, limit: Number.MAX_SAFE_INTEGER })
    .filter((r) => isArchivable(r, before) && (afterId === undefined || r.id > afterId))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .slice(0, Math.max(limit, 0))
    .map(cloneReservation);
}

/**
 * `removeArchived`: deletes each reservation still at the version the archive wrote
 * (recording where it went) and each calendar row still as written, and raises the
 * hotel's archive horizon. What changed since the archive read it is kept.
 */
export function removeArchived(
  { tables, rooms, archive }: MemoryParts,
  command: ArchiveRemoval,
): ArchiveRemovalOutcome {
  const outcome: ArchiveRemovalOutcome = { removed: [], kept: [], daysRemoved: 0, daysKept: 0 };
  for (const { id, version } of command.reservations) {
    const stored = tables.reservations.get(id);
    if (!stored || stored.hotelId !== command.hotelId || stored.version !== version) {
      outcome.kept.push(id);
      continue;
    }
    rooms.apply(stored, { ...stored, rooms: [] });
    tables.deleteReservation(stored);
    archive.record(archivedEntryOf(stored, command.file, command.archivedAt));
    outcome.removed.push(id);
  }
  if (command.calendar) {
    for (const day of command.calendar.days) {
      const stored = tables.row(command.hotelId, day.roomTypeId, day.date);
      if (day.hotelId === command.hotelId && stored && sameCalendarDay(stored, day)) {
        tables.deleteRow(stored);
        outcome.daysRemoved++;
      } else outcome.daysKept++;
    }
    archive.raiseHorizon(command.hotelId, command.calendar.before);
  }
  return outcome;
}
