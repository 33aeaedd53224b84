import type { SqliteDatabase } from './sqlite-store-config.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * Part of migration 2 (released migrations are frozen: this code is its own, never
 * shared with the store). Reservations written before version 2 lack the fields the
 * core now requires, and deciding anything on them (cancel, no-show, modify) would read
 * `cancellation` and find nothing. Each such document gets the values that describe what
 * it was: the standard plan, no supplements, discounts or taxes, no cancellation policy
 * (free cancellation from check-in at 15:00 hotel time, the default check-in time), no
 * payment and no settlement. Only missing fields are added; nothing present changes, so
 * the audit (which reads the nights' dates and the lines' rooms) sees the same stay.
 */
export function upgradeVersion1Documents(db: SqliteDatabase, tables: SqliteTableNames): void {
  const legacy = db
    .prepare(`SELECT r.rowid AS row_id, r.data, h.time_zone FROM ${tables.reservations} AS r
      JOIN ${tables.hotels} AS h ON h.hotel_id = r.hotel_id
      WHERE r.data ->> '$.cancellation' IS NULL`)
    .all() as { row_id: number; data: string; time_zone: string }[];
  const write = db.prepare(`UPDATE ${tables.reservations} SET data = ? WHERE rowid = ?`);
  for (const row of legacy) {
    const upgraded = upgradeDocument(JSON.parse(row.data), row.time_zone);
    write.run(JSON.stringify(upgraded), row.row_id);
  }
}

type Json = Record<string, unknown>;

/** `target` with each field of `defaults` it does not have, in place. */
function fill(target: Json, defaults: Json): Json {
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in target)) target[key] = value;
  }
  return target;
}

function upgradeDocument(r: Json, timeZone: string): Json {
  const lines = Array.isArray(r.lines) ? (r.lines as Json[]) : [];
  for (const line of lines) {
    const nights = Array.isArray(line.nights) ? (line.nights as Json[]) : [];
    for (const night of nights) {
      fill(night, { rate: night.amount, supplements: 0, discount: 0, tax: 0 });
    }
    fill(line, {
      ratePlanId: 'standard',
      taxes: [],
      roomCharge: line.total,
      taxTotal: 0,
      policy: null,
    });
  }
  return fill(r, {
    roomCharge: r.total,
    taxTotal: 0,
    cancellation: {
      checkInAt: instantAt(String(r.checkIn), 15, timeZone),
      freeUntil: null,
      windows: [],
      noShowFee: 0,
    },
    payment: null,
    settlement: null,
  });
}

/**
 * The instant (ISO 8601, UTC) at which the wall clock in `timeZone` shows `hour`:00 on
 * `date`. Two passes of the zone's offset settle it for any hour away from a DST change
 * (15:00 always is).
 */
function instantAt(date: string, hour: number, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone)).toISOString();
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `epochMs`, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return shown - Math.floor(epochMs / 1000) * 1000;
}
