import { addDays, type Innkeeper, type SearchHotelsInput } from '@innkeeper/core';
import type { ChainShape } from '../chain-shape.js';
import { LatencyRecorder } from '../latency-recorder.js';

/** One search across the chain's hotels, as the demo's report shows it. */
export interface DemoSearch {
  label: string;
  /** Hotels with a sellable offer (over all pages). */
  total: number;
  /** The first hotel of the first page: id, city, cheapest total (minor units), distance. */
  first: { hotelId: string; city: string; total: number; distanceKm: number | null } | null;
  /** Over `RUNS` runs of the same search, one after another. */
  p50Ms: number;
  maxMs: number;
}

const RUNS = 5;

/**
 * A few searches a travel site would make across the chain once the booking day and the
 * stays are over: a city cheapest first, a circle nearest first, a country by stars with
 * amenities, a box with a price ceiling. Each is run `RUNS` times and timed.
 */
export async function runDemoSearches(
  inn: Innkeeper,
  shape: ChainShape,
  today: string,
): Promise<DemoSearch[]> {
  // A fortnight ahead (inside the inventory), three nights, two adults.
  const checkIn = addDays(today < shape.start ? shape.start : today, 14);
  const stay = { checkIn, checkOut: addDays(checkIn, 3), adults: 2 };
  const searches: [string, SearchHotelsInput][] = [
    [`Lisboa, 2 adults, ${checkIn} for 3 nights, cheapest first`, { ...stay, city: 'Lisboa' }],
    [
      'within 5 km of Notre-Dame de Paris, nearest first',
      { ...stay, near: { lat: 48.853, lon: 2.3499, radiusKm: 5 }, sort: 'distance' },
    ],
    [
      'Japan, 4 stars or more with a pool, by stars',
      { ...stay, country: 'JP', minStars: 4, amenities: ['pool'], sort: 'stars' },
    ],
    [
      'a box around Boston, at most EUR 400.00 for the stay',
      {
        ...stay,
        boundingBox: { south: 42.2, west: -71.2, north: 42.5, east: -70.9 },
        currency: 'EUR',
        maxTotal: 40_000,
      },
    ],
  ];
  const results: DemoSearch[] = [];
  for (const [label, input] of searches) {
    const recorder = new LatencyRecorder();
    let answer = await inn.searchHotels(input);
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      answer = await inn.searchHotels(input);
      recorder.record(performance.now() - started);
    }
    const [first] = answer.items;
    const { p50, max } = recorder.summary();
    results.push({
      label,
      total: answer.total,
      first: first
        ? {
            hotelId: first.hotel.id,
            city: first.hotel.address?.city ?? '',
            total: first.cheapestOffer.total,
            distanceKm: first.distanceKm === null ? null : Math.round(first.distanceKm * 100) / 100,
          }
        : null,
      p50Ms: Math.round(p50 * 100) / 100,
      maxMs: Math.round(max * 100) / 100,
    });
  }
  return results;
}
