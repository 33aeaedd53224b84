/**
 * Loads a bench dataset into a migrated schema with COPY: hotels `h0…`, room types
 * `t0…` per hotel, and a calendar row per (hotel, room type, date). Shared by this
 * package's bench and the Redis cache's, so both measure on the same shape of data.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addDays } from '@innkeeper/core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../src/index.js';

export interface SeedShape {
  schema: string;
  hotels: number;
  roomTypes: number;
  days: number;
  start: string;
  /** Sellable rooms on every date of one (hotel, room type). */
  totalFor: (hotel: number, roomType: number) => number;
}

/** Drops and re-creates `shape.schema`, loads it, and returns the load time in ms. */
export async function loadSeed(pool: pg.Pool, shape: SeedShape): Promise<number> {
  const s = `"${shape.schema}"`;
  const at = `${shape.start}T00:00:00.000Z`;
  const dates = Array.from({ length: shape.days }, (_, d) => addDays(shape.start, d));
  await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await migrate({ pool }, { schema: shape.schema });
  const started = performance.now();
  await copyRows(
    pool,
    `${s}.hotels`,
    'hotel_id, name, time_zone, currency, overbooking_percent, created_at, updated_at',
    function* () {
      for (let h = 0; h < shape.hotels; h++)
        yield `h${h}\tHotel ${h}\tUTC\tEUR\t10\t${at}\t${at}\n`;
    },
  );
  await copyRows(
    pool,
    `${s}.room_types`,
    'hotel_id, room_type_id, name, max_adults, max_children, max_occupancy, overbooking_percent, base_rate, created_at, updated_at',
    function* () {
      for (let h = 0; h < shape.hotels; h++) {
        for (let t = 0; t < shape.roomTypes; t++)
          yield `h${h}\tt${t}\tType ${t}\t2\t0\t2\t\\N\t10000\t${at}\t${at}\n`;
      }
    },
  );
  await copyRows(
    pool,
    `${s}.calendar`,
    'hotel_id, room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate',
    function* () {
      for (let h = 0; h < shape.hotels; h++) {
        for (let t = 0; t < shape.roomTypes; t++) {
          const total = shape.totalFor(h, t);
          const limit = Math.floor((total * 10) / 100);
          for (const date of dates) yield `h${h}\tt${t}\t${date}\t${total}\t${limit}\t0\tf\t\\N\n`;
        }
      }
    },
  );
  await pool.query(`ANALYZE ${s}.hotels; ANALYZE ${s}.room_types; ANALYZE ${s}.calendar`);
  return performance.now() - started;
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
