import {
  type AvailabilitySource,
  addDays,
  cityKey,
  type Innkeeper,
  type InnkeeperStore,
} from '@innkeeper/core';
import { BIGGEST_CITY, hotelsIn } from '../chain-places.js';
import type { ChainShape } from '../chain-shape.js';
import { LatencyRecorder } from '../latency-recorder.js';

/** Check-ins spread over this many days from the calendar's start; stays of three nights. */
const WINDOW = 60;
const NIGHTS = 3;

/** `searchHotels` over the chain's biggest city: the engine's figure and the reads under it. */
export interface HotelSearchLatency {
  city: string;
  /** Hotels in the city (all of them are priced on every search). */
  hotelsInCity: number;
  samples: number;
  /** `inn.searchHotels` for two adults, 3 nights, the 20 cheapest, one caller, ms. */
  search: { p50: number; p99: number };
  /**
   * The reads it cannot do without, timed alone: the city's hotels (`store.listHotels`)
   * and their stays (`readStays` of the source searched): the floor under the engine.
   */
  reads: { p50: number; p99: number };
}

/** The i-th search of a run: the biggest city, a 3-night stay within the window. */
export function citySearch(shape: ChainShape, i: number) {
  const checkIn = addDays(shape.start, (i * 7) % WINDOW);
  return { city: BIGGEST_CITY.name, checkIn, checkOut: addDays(checkIn, NIGHTS), adults: 2 };
}

/**
 * Times `samples` city searches through `inn` (after 20 untimed), then, in a loop of their
 * own, the same reads alone: `listHotels` on the store and `readStays` on `source` (the
 * store, or the cache the engine searches through). Apart, so neither pays for the
 * garbage the other leaves behind.
 */
export async function hotelSearchLatency(
  inn: Innkeeper,
  store: Pick<InnkeeperStore, 'listHotels'>,
  source: Required<Pick<AvailabilitySource, 'readStays'>>,
  shape: ChainShape,
  samples: number,
): Promise<HotelSearchLatency> {
  const search = new LatencyRecorder();
  const reads = new LatencyRecorder();
  const key = cityKey(BIGGEST_CITY.name);
  for (let i = -20; i < samples; i++) {
    const request = citySearch(shape, i + 20);
    const started = performance.now();
    const result = await inn.searchHotels(request);
    if (i >= 0) search.record(performance.now() - started);
    if (result.items.length === 0) throw new Error(`no hotel found in ${request.city}`);
  }
  for (let i = -20; i < samples; i++) {
    const request = citySearch(shape, i + 20);
    const started = performance.now();
    const hotels = await store.listHotels({ cityKey: key, active: true, limit: 1000 });
    await source.readStays({
      hotelIds: hotels.map((h) => h.id),
      from: request.checkIn,
      to: request.checkOut,
    });
    if (i >= 0) reads.record(performance.now() - started);
  }
  const summary = (r: LatencyRecorder) => {
    const { p50, p99 } = r.summary();
    return { p50, p99 };
  };
  return {
    city: BIGGEST_CITY.name,
    hotelsInCity: hotelsIn(shape, BIGGEST_CITY),
    samples,
    search: summary(search),
    reads: summary(reads),
  };
}
