/**
 * An index keyed by hotel, then by a second key (the archive's idempotency keys; the live
 * tables keep theirs in each hotel's `MemoryHotel`): two maps, not one keyed by a string of
 * both, so a booking's lookups build no key string, and what the index keeps holds no such
 * string either. A hotel whose last entry goes leaves the index.
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

  /** How many hotels hold an entry (for tests and diagnostics). */
  get hotelCount(): number {
    return this.hotels.size;
  }

  /** Every value held, over all hotels (for diagnostics). */
  *values(): IterableIterator<V> {
    for (const entries of this.hotels.values()) yield* entries.values();
  }
}

/**
 * Adds `id` to the set listed under `key`, made at its first id. Sets, not arrays: one
 * hotel's busiest date can list tens of thousands of stays, and adding or removing one
 * must not walk them all.
 */
export function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

/** Takes `id` out of the set listed under `key`; a set emptied leaves the index. */
export function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (!ids?.delete(id)) return;
  if (ids.size === 0) index.delete(key);
}

/** How many ids the sets of `index` list, in all. */
export function idCount(index: Map<string, Set<string>>): number {
  let ids = 0;
  for (const set of index.values()) ids += set.size;
  return ids;
}
