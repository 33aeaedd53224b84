/**
 * An index keyed by hotel, then by a second key (an idempotency key, an external
 * reference, a date): two maps, not one keyed by a string of both, so a booking's lookups
 * and writes build no key string, and what the index keeps holds no such string either.
 * A hotel whose last entry goes leaves the index.
 */
export class HotelIndex<V> {
  private readonly hotels = new Map<string, Map<string, V>>();

  get(hotelId: string, key: string): V | undefined {
    return this.hotels.get(hotelId)?.get(key);
  }

  set(hotelId: string, key: string, value: V): void {
    let entries = this.hotels.get(hotelId);
    if (!entries) {
      entries = new Map();
      this.hotels.set(hotelId, entries);
    }
    entries.set(key, value);
  }

  delete(hotelId: string, key: string): void {
    const entries = this.hotels.get(hotelId);
    if (!entries) return;
    entries.delete(key);
    if (entries.size === 0) this.hotels.delete(hotelId);
  }

  /** Every value held, over all hotels (for diagnostics). */
  *values(): IterableIterator<V> {
    for (const entries of this.hotels.values()) yield* entries.values();
  }
}

/**
 * A `HotelIndex` of id sets: the reservations arriving at a hotel on a date, say. Sets,
 * not arrays: one hotel's busiest date can list tens of thousands of stays, and adding or
 * removing one must not walk them all.
 */
export class HotelIdSets {
  private readonly index = new HotelIndex<Set<string>>();

  get(hotelId: string, key: string): ReadonlySet<string> | undefined {
    return this.index.get(hotelId, key);
  }

  add(hotelId: string, key: string, id: string): void {
    const ids = this.index.get(hotelId, key);
    if (ids) ids.add(id);
    else this.index.set(hotelId, key, new Set([id]));
  }

  remove(hotelId: string, key: string, id: string): void {
    const ids = this.index.get(hotelId, key);
    if (!ids?.delete(id)) return;
    if (ids.size === 0) this.index.delete(hotelId, key);
  }

  /** How many ids are listed, over all hotels and keys (for diagnostics). */
  get size(): number {
    let ids = 0;
    for (const set of this.index.values()) ids += set.size;
    return ids;
  }
}
