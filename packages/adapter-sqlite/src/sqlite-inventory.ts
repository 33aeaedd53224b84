import type { CalendarDay, UnavailableNight } from '@innkeeper/core';
import {
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDays,
  type InventoryDelta,
  shortfallOf,
} from '@innkeeper/core/store';
import { dayFromTuple, dayFromValues, dayParams, eventDaysJson } from './sqlite-rows.js';
import type { DayTuple, SqliteStatements } from './sqlite-statements.js';

/**
 * Thrown inside a transaction when a night does not fit, so that better-sqlite3 rolls
 * the whole command back; the store catches it right outside and answers `unavailable`.
 * It never leaves the store.
 */
export class Shortfall {
  constructor(readonly nights: UnavailableNight[]) {}
}

/**
 * Applies `deltas` to `reserved` inside the caller's `BEGIN IMMEDIATE` transaction and
 * returns the rows as they are afterwards (for the change feed). All or nothing: it reads
 * every row first and checks each positive delta with the core's `shortfallOf`; if any
 * does not fit it throws `Shortfall` naming every night that does not, having written
 * nothing. Only then does it write.
 *
 * Deciding from rows read a moment earlier is safe here, unlike across the port: the
 * transaction took the database's write lock at `BEGIN IMMEDIATE`, so no connection in
 * any process can change a row between this read and the writes. The `CHECK` on
 * `calendar` stays as the backstop. (A guarded `UPDATE ... RETURNING` per night does the
 * same in one statement each, but measured twice as slow: RETURNING buffers its rows.)
 */
export function applyDeltas(
  st: SqliteStatements,
  hotelId: string,
  deltas: InventoryDelta[],
): CalendarDay[] {
  const rows = readRows(st, hotelId, deltas);
  const after: CalendarDay[] = [];
  const failed: UnavailableNight[] = [];
  deltas.forEach((delta, i) => {
    const day = rows[i];
    const shortfall = shortfallOf(day, delta);
    if (shortfall) failed.push(shortfall);
    else if (!day) {
      // Releasing rooms of a row that does not exist means the books already disagree;
      // refuse (and roll back) rather than hide it.
      throw new Error(
        `Release on a missing calendar row ${hotelId}/${delta.roomTypeId}@${delta.date}`,
      );
    } else after.push({ ...day, reserved: day.reserved + delta.rooms });
  });
  if (failed.length > 0) throw new Shortfall(failed);
  for (const day of after) st.setReserved.run(day.reserved, hotelId, day.roomTypeId, day.date);
  return after;
}

/**
 * The row of each delta (`undefined` where there is none), in the deltas' order. Deltas
 * come sorted by (room type, date), so each room type's rows are one range read.
 */
function readRows(
  st: SqliteStatements,
  hotelId: string,
  deltas: InventoryDelta[],
): (CalendarDay | undefined)[] {
  const rows: (CalendarDay | undefined)[] = [];
  for (let start = 0; start < deltas.length; ) {
    const roomTypeId = (deltas[start] as InventoryDelta).roomTypeId;
    let end = start;
    while (end + 1 < deltas.length && deltas[end + 1]?.roomTypeId === roomTypeId) end++;
    const from = (deltas[start] as InventoryDelta).date;
    const to = (deltas[end] as InventoryDelta).date;
    const found = st.daysBetween.all(hotelId, roomTypeId, from, to);
    // Both lists are in date order: walk them together.
    let j = 0;
    for (let i = start; i <= end; i++) {
      const date = (deltas[i] as InventoryDelta).date;
      while (j < found.length && (found[j] as DayTuple)[0] < date) j++;
      const row = found[j];
      rows.push(row && row[0] === date ? dayFromTuple(hotelId, roomTypeId, row) : undefined);
    }
    start = end + 1;
  }
  return rows;
}

/**
 * `updateCalendar` inside the caller's `BEGIN IMMEDIATE` transaction: the core decides
 * every date on the rows as they are under the lock, then every row is written and one
 * event appended, or nothing at all.
 */
export function updateCalendarRows(
  st: SqliteStatements,
  update: CalendarUpdate,
  at: string,
): CalendarUpdateOutcome {
  const { hotelId, roomTypeId } = update;
  const outcome = changeCalendarDays(update, (date) => {
    const row = st.getDay.get(hotelId, roomTypeId, date);
    return row ? dayFromValues(hotelId, roomTypeId, date, row) : undefined;
  });
  if (outcome.kind === 'rejected') return outcome;
  for (const day of outcome.days) st.upsertDay.run(...dayParams(day));
  st.insertEvent.run('inventory.changed', at, hotelId, null, eventDaysJson(outcome.days));
  return outcome;
}
