import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createPostgresStore, migrate } from '@innkeeper/adapter-postgres';
import { hotelProfileOf, hotelSearchKeys } from '@innkeeper/core/store';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
import { type LoadContext, phaseTimer } from './load-context.js';
import { openCheckedPool, redactUrl } from './postgres-pool.js';
import type { LoadedStore } from './store-target.js';

/** Hotels per COPY of calendar rows: one progress step, one point where Ctrl-C is heard. */
const HOTELS_PER_COPY = 250;

/**
 * Loads the chain with COPY into a schema of its own (dropped and re-created, then
 * migrated by the store's own `migrate`): the repository's one bulk loader for the
 * Postgres store, used by the demo and by every mode of `innkeeper bench`.
 * COPY is the only way to write 7.3M rows in about a minute; INSERTs take ten times that.
 */
export async function loadPostgresStore(
  shape: ChainShape,
  target: { url: string; schema: string; poolSize: number },
  context: LoadContext,
): Promise<LoadedStore> {
  const pool = await openCheckedPool(target.url, target.poolSize);
  try {
    const s = `"${target.schema}"`;
    const started = performance.now();
    const timer = phaseTimer();
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await migrate({ pool }, { schema: target.schema });
    timer.lap('schema');
    await copyChain(pool, s, shape, context);
    timer.lap('copy rows');
    // What autovacuum would do soon after a bulk load (and cannot, where it is off): the
    // planner's statistics, and the dead versions of the hotel rows the load rewrote
    // (each rate card moves its hotel's pricing revision) cleared, with the visibility
    // map set for index-only scans. One statement: VACUUM cannot run inside a transaction.
    await pool.query(
      `VACUUM (ANALYZE) ${s}.hotels, ${s}.room_types, ${s}.rate_cards, ${s}.calendar`,
    );
    timer.lap('vacuum');
    // And the pages the load and the vacuum dirtied written out now, not by a checkpoint
    // in the middle of what is measured next. Needs superuser or pg_checkpoint: without it,
    // Postgres writes them in its own time.
    await pool.query('CHECKPOINT').catch(() => {});
    timer.lap('checkpoint');
    const store = createPostgresStore({ pool }, { schema: target.schema });
    return {
      kind: 'postgres',
      where: `${redactUrl(target.url)} (schema ${target.schema})`,
      store,
      access: { kind: 'postgres', pool, schema: target.schema },
      loadMs: performance.now() - started,
      loadPhases: timer.phases,
      settings: `pool of ${target.poolSize} connections`,
      scanCalendar: (window) => scanPostgres(pool, s, shape, window),
      close: async () => {
        await store.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

async function copyChain(pool: pg.Pool, s: string, shape: ChainShape, context: LoadContext) {
  const at = `${shape.start}T00:00:00.000Z`;
  await copyRows(
    pool,
    `${s}.hotels`,
    'hotel_id, name, time_zone, currency, overbooking_percent, created_at, updated_at, profile, city_key, country, lat, lon',
    function* () {
      for (let h = 0; h < shape.hotels; h++) {
        const hotel = chainHotel(shape, h, at);
        const keys = hotelSearchKeys(hotel);
        // The profile's JSON has no tab, newline or backslash: COPY's text format takes it as it is.
        yield `${hotel.id}\t${hotel.name}\t${hotel.timeZone}\t${hotel.currency}\t${hotel.overbookingPercent}\t${at}\t${at}\t${JSON.stringify(hotelProfileOf(hotel))}\t${keys.cityKey}\t${keys.country}\t${keys.lat}\t${keys.lon}\n`;
      }
    },
  );
  await copyRows(
    pool,
    `${s}.room_types`,
    'hotel_id, room_type_id, name, max_adults, max_children, max_occupancy, overbooking_percent, base_rate, created_at, updated_at',
    function* () {
      for (let h = 0; h < shape.hotels; h++) {
        for (const rt of shape.roomTypes)
          yield `${hotelId(h)}\t${rt.id}\t${rt.name}\t${rt.maxAdults}\t0\t${rt.maxAdults}\t\\N\t${rt.baseRate}\t${at}\t${at}\n`;
      }
    },
  );
  // The card as the store keeps it (jsonb); its JSON has no tab, newline or backslash,
  // so it goes into COPY's text format as it is.
  await copyRows(pool, `${s}.rate_cards`, 'hotel_id, revision, data', function* () {
    for (let h = 0; h < shape.hotels; h++)
      yield `${hotelId(h)}\t1\t${JSON.stringify(rateCardOf(hotelId(h), at))}\n`;
  });
  const dates = datesOf(shape);
  // The tail of each row (date, total, limit, reserved, stop_sell, rate) is the same in
  // every hotel: build it once per room type.
  const tails = shape.roomTypes.map((rt) =>
    dates.map((date, d) => {
      const rate = rateOn(shape, rt, d);
      return `\t${rt.id}\t${date}\t${rt.rooms}\t${overbookingLimitOf(shape, rt)}\t0\tf\t${rate ?? '\\N'}\n`;
    }),
  );
  for (let from = 0; from < shape.hotels; from += HOTELS_PER_COPY) {
    if (context.signal?.aborted) return;
    const to = Math.min(shape.hotels, from + HOTELS_PER_COPY);
    await copyRows(
      pool,
      `${s}.calendar`,
      'hotel_id, room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate',
      function* () {
        for (let h = from; h < to; h++) {
          const id = hotelId(h);
          for (const typeTails of tails) for (const tail of typeTails) yield id + tail;
        }
      },
    );
    context.onRows((to - from) * shape.roomTypes.length * shape.days);
  }
}

async function copyRows(
  pool: pg.Pool,
  table: string,
  columns: string,
  rows: () => Generator<string>,
) {
  const client = await pool.connect();
  try {
    const sink = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
    await pipeline(Readable.from(batched(rows())), sink);
  } finally {
    client.release();
  }
}

/** Lines joined into ~64 kB chunks: one stream write per chunk, not per row. */
function* batched(lines: Generator<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function scanPostgres(
  pool: pg.Pool,
  s: string,
  shape: ChainShape,
  window: CalendarWindow,
): Promise<CalendarScan> {
  const dates = datesOf(shape);
  const hotels = Array.from({ length: window.hotels }, (_, h) => hotelId(h));
  const { rows } = await pool.query(
    `SELECT count(*)::int AS rows,
            count(*) FILTER (WHERE reserved > total)::int AS "overbookedRows",
            coalesce(sum(reserved - total) FILTER (WHERE reserved > total), 0)::int AS "overbookedRoomNights",
            count(*) FILTER (WHERE reserved > total + overbooking_limit)::int AS "pastCapRows",
            coalesce(sum(reserved) FILTER (WHERE w), 0)::int AS "windowReserved",
            coalesce(sum(total) FILTER (WHERE w), 0)::int AS "windowTotal"
     FROM (SELECT *, (hotel_id = ANY($1) AND date BETWEEN $2 AND $3) AS w FROM ${s}.calendar) c`,
    [hotels, dates[window.fromDay], dates[window.toDay]],
  );
  return rows[0] as CalendarScan;
}
