import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, migrate, sqliteTableNames } from '@innkeeper/adapter-sqlite';
import { hotelProfileOf, hotelSearchKeys } from '@innkeeper/core/store';
import Database from 'better-sqlite3';
import { chainHotel } from '../chain-places.js';
import {
  type ChainShape,
  datesOf,
  hotelId,
  overbookingLimitOf,
  rateCardOf,
  rateOn,
} from '../chain-shape.js';
import type { CalendarScan, CalendarWindow } from './calendar-scan.js';
import { type LoadContext, phaseTimer, yieldToEventLoop } from './load-context.js';
import type { LoadedStore } from './store-target.js';

/** Hotels per transaction: 50 hotels x 4 room types x 365 days is ~73k calendar rows. */
const HOTELS_PER_BATCH = 50;

/**
 * WAL pages between automatic checkpoints on the store's connection (SQLite's default is
 * 1,000, about 4 MB). A booking day commits two or three small transactions per booking
 * (hold, confirm, cancel, refund), each dirtying a dozen pages scattered over a 300 MB
 * file: at the default, a checkpoint (copy back plus two fsyncs) runs every ~30
 * commits. 10,000 pages (~40 MB of WAL) makes that ten times rarer, for ~15% more
 * bookings/s measured. Durability is the store's own setting (synchronous=NORMAL, WAL),
 * unchanged: a commit is as safe as before, the WAL is just allowed to grow longer.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * The store's tables, under the default prefix the loader's store uses (`innkeeper_`):
 * the names the bulk insert, the calendar scan and the bench's raw baseline write SQL on.
 */
export const SQLITE_TABLES = sqliteTableNames();

/**
 * Loads the chain straight into the store's own tables: the store migrates the file
 * (so the schema is exactly its own), then one plain connection inserts hotels, room
 * types and calendar rows in large transactions (7.3M rows through the public API would
 * be one transaction per call), and the store is opened on the result. `synchronous =
 * OFF` only for the load: a crash mid-load leaves a file nobody has used yet. The store
 * itself runs with its defaults (WAL, synchronous=NORMAL) on a connection the loader
 * opens for it, only to lengthen the WAL between checkpoints (`WAL_AUTOCHECKPOINT_PAGES`).
 */
export async function loadSqliteStore(
  shape: ChainShape,
  file: string | undefined,
  context: LoadContext,
): Promise<LoadedStore> {
  const tempDir = file ? undefined : mkdtempSync(join(tmpdir(), 'innkeeper-demo-'));
  const path = file ?? join(tempDir as string, 'innkeeper-demo.db');
  const removeTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    const timer = phaseTimer();
    migrate({ filename: path }, { tablePrefix: SQLITE_TABLES.prefix });
    timer.lap('schema');
    await insertChain(path, shape, context, timer.lap);
    const connection = new Database(path);
    connection.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    let store: ReturnType<typeof createSqliteStore>;
    try {
      store = createSqliteStore({ database: connection }, { tablePrefix: SQLITE_TABLES.prefix });
    } catch (error) {
      connection.close();
      throw error;
    }
    timer.lap('open store');
    const settings = `journal_mode=${connection.pragma('journal_mode', { simple: true })}, synchronous=${SYNCHRONOUS[Number(connection.pragma('synchronous', { simple: true }))]}, wal_autocheckpoint=${connection.pragma('wal_autocheckpoint', { simple: true })}`;
    const loadMs = performance.now() - started;
    return {
      kind: 'sqlite',
      where: path,
      store,
      access: { kind: 'sqlite', path },
      loadMs,
      loadPhases: timer.phases,
      settings,
      scanCalendar: async (window) => scanSqlite(path, shape, window),
      close: async () => {
        await store.close();
        connection.close();
        removeTemp();
      },
    };
  } catch (error) {
    removeTemp();
    throw error;
  }
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/**
 * The hotels in the order of their ids as text (h0, h1, h10, h100, h1000, h1001, ...):
 * every primary key leads with hotel_id, so inserting in that order appends to each
 * B-tree instead of splitting pages in its middle: full pages, a smaller file, fewer
 * pages for every later read.
 */
function hotelsInKeyOrder(shape: ChainShape): number[] {
  return Array.from({ length: shape.hotels }, (_, h) => h).sort((a, b) =>
    hotelId(a) < hotelId(b) ? -1 : 1,
  );
}

async function insertChain(
  path: string,
  shape: ChainShape,
  context: LoadContext,
  lap: (phase: string) => void,
): Promise<void> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const at = `${shape.start}T00:00:00.000Z`;
    const dates = datesOf(shape);
    const insertHotel = db.prepare(
      `INSERT INTO ${SQLITE_TABLES.hotels} (hotel_id, name, time_zone, currency, overbooking_percent,
         created_at, updated_at, active, profile, city_key, country, lat, lon)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    );
    const insertRoomType = db.prepare(
      `INSERT INTO ${SQLITE_TABLES.roomTypes} (hotel_id, room_type_id, name, max_adults, max_children, max_occupancy,
         overbooking_percent, base_rate, created_at, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, NULL, ?, ?, ?)`,
    );
    const insertDay = db.prepare(
      `INSERT INTO ${SQLITE_TABLES.calendar} (hotel_id, room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate)
       VALUES (?, ?, ?, ?, ?, 0, 0, ?)`,
    );
    const insertRateCard = db.prepare(
      `INSERT INTO ${SQLITE_TABLES.rateCards} (hotel_id, revision, data) VALUES (?, ?, ?)`,
    );
    // Per room type, the rate of each day is the same in every hotel: compute it once.
    const rates = shape.roomTypes.map((rt) => dates.map((_, d) => rateOn(shape, rt, d)));
    const order = hotelsInKeyOrder(shape);
    const roomTypes = [...shape.roomTypes.entries()].sort(([, a], [, b]) => (a.id < b.id ? -1 : 1));
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const h = order[i] as number;
        const id = hotelId(h);
        const hotel = chainHotel(shape, h, at);
        const keys = hotelSearchKeys(hotel);
        insertHotel.run(
          id,
          hotel.name,
          hotel.timeZone,
          hotel.currency,
          hotel.overbookingPercent,
          at,
          at,
          JSON.stringify(hotelProfileOf(hotel)),
          keys.cityKey,
          keys.country,
          keys.lat,
          keys.lon,
        );
        insertRateCard.run(id, 1, JSON.stringify(rateCardOf(id, at)));
        for (const [t, rt] of roomTypes) {
          insertRoomType.run(id, rt.id, rt.name, rt.maxAdults, rt.maxAdults, rt.baseRate, at, at);
          const limit = overbookingLimitOf(shape, rt);
          const typeRates = rates[t] as (number | null)[];
          for (let d = 0; d < dates.length; d++) {
            insertDay.run(id, rt.id, dates[d], rt.rooms, limit, typeRates[d]);
          }
        }
      }
    });
    for (let h = 0; h < shape.hotels; h += HOTELS_PER_BATCH) {
      if (context.signal?.aborted) break;
      const to = Math.min(shape.hotels, h + HOTELS_PER_BATCH);
      batch.immediate(h, to);
      context.onRows((to - h) * shape.roomTypes.length * shape.days);
      await yieldToEventLoop();
    }
    lap('insert rows');
    db.pragma('optimize');
    lap('optimize');
  } finally {
    db.close();
  }
  lap('close (checkpoint)');
}

/** One aggregate query over the store's calendar table, on a read-only connection. */
function scanSqlite(path: string, shape: ChainShape, window: CalendarWindow): CalendarScan {
  const db = new Database(path, { readonly: true });
  try {
    const dates = datesOf(shape);
    const hotels = Array.from({ length: window.hotels }, (_, h) => hotelId(h));
    const row = db
      .prepare(
        `SELECT count(*) AS rows,
                coalesce(sum(reserved > total), 0) AS overbookedRows,
                coalesce(sum(max(reserved - total, 0)), 0) AS overbookedRoomNights,
                coalesce(sum(reserved > total + overbooking_limit), 0) AS pastCapRows,
                coalesce(sum(CASE WHEN inWindow THEN reserved END), 0) AS windowReserved,
                coalesce(sum(CASE WHEN inWindow THEN total END), 0) AS windowTotal
         FROM (SELECT reserved, total, overbooking_limit,
                      (hotel_id IN (SELECT value FROM json_each(?)) AND date BETWEEN ? AND ?) AS inWindow
               FROM ${SQLITE_TABLES.calendar})`,
      )
      .get(JSON.stringify(hotels), dates[window.fromDay], dates[window.toDay]) as CalendarScan;
    return row;
  } finally {
    db.close();
  }
}
