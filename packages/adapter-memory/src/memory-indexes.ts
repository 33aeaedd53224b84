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
 * A `HotelIndex` of id lists: the reservations arriving at a hotel on a date, say. A list
 * is an array, not a set: a date's arrivals are few, and an array of one id is a fraction
 * of a set's size, which counts when every booking adds two of them.
 */
export class HotelIdLists {
  private readonly index = new HotelIndex<string[]>();

  get(hotelId: string, key: string): readonly string[] | undefined {
    return this.index.get(hotelId, key);
  }

  /** Adds `id` once (the callers never list an id twice; the check keeps it that way). */
  add(hotelId: string, key: string, id: string): void {
    const ids = this.index.get(hotelId, key);
    if (!ids) this.index.set(hotelId, key, [id]);
    else if (!ids.includes(id)) ids.push(id);
  }

  remove(hotelId: string, key: string, id: string): void {
    const ids = this.index.get(hotelId, key);
    const at = ids?.indexOf(id) ?? -1;
    if (!ids || at < 0) return;
    ids.splice(at, 1);
    if (ids.length === 0) this.index.delete(hotelId, key);
  }

  /** How many ids are listed, over all hotels and keys (for diagnostics). */
  get size(): number {
    let ids = 0;
    for (const list of this.index.values()) ids += list.length;
    return ids;
  }
}
