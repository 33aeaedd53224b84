import { addDays } from '@innkeeper/core';
import { type ChainShape, hotelId } from '../chain-shape.js';

/** One 3-night booking of one room, as every contender makes it. */
export interface BenchTarget {
  hotelId: string;
  roomTypeId: string;
  checkIn: string;
  checkOut: string;
}

export type Workload = (i: number) => BenchTarget;

export const BENCH_NIGHTS = 3;

/** The first night of the bench chain's calendar (far ahead of any clock the engine runs on). */
export const BENCH_START = '2031-01-01';

/**
 * Spread: a cheap deterministic walk over hotels, room types and dates, different per
 * `salt` so that rounds never book the same stays. Few bookings share a row.
 */
export function spreadWorkload(shape: ChainShape, salt: number): Workload {
  const dates = Array.from({ length: shape.days }, (_, d) => addDays(shape.start, d));
  return (i) => {
    const n = i * 7_919 + salt * 104_729;
    const d = (n * 15_485_863) % (shape.days - BENCH_NIGHTS);
    return {
      hotelId: hotelId(n % shape.hotels),
      roomTypeId: shape.roomTypes[(n >>> 3) % shape.roomTypes.length]?.id ?? '',
      checkIn: dates[d] as string,
      checkOut: dates[d + BENCH_NIGHTS] as string,
    };
  };
}

/** The hot room type (`h0`, the first type) gets this many rooms (the most `setInventory` takes), so hot runs never sell out. */
export const HOT_ROOMS = 100_000;

/** Hot: one room type, check-ins within a week: every booking overlaps many others. */
export function hotWorkload(shape: ChainShape, salt: number): Workload {
  const roomTypeId = shape.roomTypes[0]?.id ?? '';
  return (i) => {
    const d = 1 + ((i * 31 + salt * 17) % 7);
    return {
      hotelId: hotelId(0),
      roomTypeId,
      checkIn: addDays(shape.start, d),
      checkOut: addDays(shape.start, d + BENCH_NIGHTS),
    };
  };
}

/**
 * The bench's `i`-th search (`inn.search`): 7 nights from 60 days into the calendar, over
 * one hotel's room types, the hotels taken 7 apart so that consecutive searches read
 * different hotels (the bench and the profiling scripts search alike).
 */
export function benchSearch(shape: ChainShape, i: number) {
  const checkIn = addDays(shape.start, 60);
  return {
    hotelId: hotelId((i * 7) % shape.hotels),
    checkIn,
    checkOut: addDays(checkIn, 7),
  };
}
