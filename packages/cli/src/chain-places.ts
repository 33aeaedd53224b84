import type { Hotel } from '@innkeeper/core';
import { type ChainShape, hotelId, timeZoneOf } from './chain-shape.js';

/**
 * Where the chain's hotels are: six cities in each of the chain's four time zones, the
 * hotels of a zone dealt round its cities, so each city holds one hotel in 24 (208 or 209 of the
 * seed's 5,000: "a city with 200 hotels"). Each hotel sits a few kilometres from its
 * city's centre, with stars, amenities and a description, all derived from its index so
 * every loader writes the same catalog.
 */
export interface ChainCity {
  name: string;
  country: string;
  lat: number;
  lon: number;
}

const CITIES: Record<string, readonly ChainCity[]> = {
  'Europe/Lisbon': [
    { name: 'Lisboa', country: 'PT', lat: 38.7223, lon: -9.1393 },
    { name: 'Porto', country: 'PT', lat: 41.1579, lon: -8.6291 },
    { name: 'Faro', country: 'PT', lat: 37.0194, lon: -7.9322 },
    { name: 'Coimbra', country: 'PT', lat: 40.2033, lon: -8.4103 },
    { name: 'Braga', country: 'PT', lat: 41.5454, lon: -8.4265 },
    { name: 'Funchal', country: 'PT', lat: 32.6669, lon: -16.9241 },
  ],
  'Europe/Paris': [
    { name: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522 },
    { name: 'Lyon', country: 'FR', lat: 45.764, lon: 4.8357 },
    { name: 'Nice', country: 'FR', lat: 43.7102, lon: 7.262 },
    { name: 'Marseille', country: 'FR', lat: 43.2965, lon: 5.3698 },
    { name: 'Bordeaux', country: 'FR', lat: 44.8378, lon: -0.5792 },
    { name: 'Strasbourg', country: 'FR', lat: 48.5734, lon: 7.7521 },
  ],
  'America/New_York': [
    { name: 'New York', country: 'US', lat: 40.7128, lon: -74.006 },
    { name: 'Boston', country: 'US', lat: 42.3601, lon: -71.0589 },
    { name: 'Miami', country: 'US', lat: 25.7617, lon: -80.1918 },
    { name: 'Atlanta', country: 'US', lat: 33.749, lon: -84.388 },
    { name: 'Washington', country: 'US', lat: 38.9072, lon: -77.0369 },
    { name: 'Philadelphia', country: 'US', lat: 39.9526, lon: -75.1652 },
  ],
  'Asia/Tokyo': [
    { name: 'Tōkyō', country: 'JP', lat: 35.6762, lon: 139.6503 },
    { name: 'Ōsaka', country: 'JP', lat: 34.6937, lon: 135.5023 },
    { name: 'Kyōto', country: 'JP', lat: 35.0116, lon: 135.7681 },
    { name: 'Sapporo', country: 'JP', lat: 43.0618, lon: 141.3545 },
    { name: 'Fukuoka', country: 'JP', lat: 33.5904, lon: 130.4017 },
    { name: 'Nagoya', country: 'JP', lat: 35.1815, lon: 136.9066 },
  ],
};

/** The city with the most hotels (the first of the first zone): the bench's city search. */
export const BIGGEST_CITY: ChainCity = CITIES['Europe/Lisbon']?.[0] as ChainCity;

export function cityOf(index: number): ChainCity {
  const cities = CITIES[timeZoneOf(index)] as readonly ChainCity[];
  return cities[Math.floor(index / 4) % cities.length] as ChainCity;
}

/** How many of the chain's hotels are in `city`. */
export function hotelsIn(shape: ChainShape, city: ChainCity): number {
  let count = 0;
  for (let h = 0; h < shape.hotels; h++) if (cityOf(h) === city) count++;
  return count;
}

const AMENITIES = ['wifi', 'breakfast', 'pool', 'parking', 'gym', 'spa', 'pets', 'sea-view'];

/** A number in [0, 1) from the index and a salt: the same on every run and every loader. */
function unit(index: number, salt: number): number {
  let x = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35);
  x ^= x >>> 13;
  x = Math.imul(x, 0x27d4eb2f);
  x ^= x >>> 15;
  return (x >>> 0) / 2 ** 32;
}

/** Hotel `index` of the chain as the store keeps it (every loader writes this). */
export function chainHotel(shape: ChainShape, index: number, at: string): Hotel {
  const city = cityOf(index);
  const stars = 2 + Math.floor(unit(index, 1) * 7) / 2; // 2 to 5 in halves
  const amenities = AMENITIES.filter((_, i) => unit(index, 10 + i) < 0.45);
  const name = `Hotel ${index}`;
  return {
    id: hotelId(index),
    name,
    timeZone: timeZoneOf(index),
    currency: 'EUR',
    overbookingPercent: shape.overbookingPercent,
    active: true,
    address: {
      lines: [`${1 + (index % 200)} Main Street`],
      city: city.name,
      region: null,
      postalCode: null,
      country: city.country,
    },
    // Within about 8 km of the centre.
    location: {
      lat: Math.round((city.lat + (unit(index, 2) - 0.5) * 0.14) * 1e5) / 1e5,
      lon: Math.round((city.lon + (unit(index, 3) - 0.5) * 0.18) * 1e5) / 1e5,
    },
    starRating: stars,
    description: { en: `${name}, a ${stars}-star hotel in ${city.name}.` },
    amenities,
    images: [{ url: `https://img.example.com/${hotelId(index)}/front.jpg`, caption: { en: name } }],
    contact: null,
    policies: {},
    createdAt: at,
    updatedAt: at,
  };
}
