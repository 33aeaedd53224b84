import { deepFreeze } from '@innkeeper/core/store';

/**
 * Each hotel's last value parsed from a JSON text, kept with that text: search across
 * hotels reads the same hotels, room types and rate cards on every search, and parsing
 * them again was a good part of its time in Node. A value is reused only when the text
 * read is exactly the text it was parsed from, so a hit is exact; values are frozen and
 * shared, as stay reads are read-only to their callers. One entry per hotel.
 */
export class JsonMemo<T> {
  private readonly entries = new Map<string, { text: string; value: T }>();

  constructor(private readonly parse: (text: string, hotelId: string) => T) {}

  get(hotelId: string, text: string): T {
    const entry = this.entries.get(hotelId);
    if (entry !== undefined && entry.text === text) return entry.value;
    const value = deepFreeze(this.parse(text, hotelId));
    this.entries.set(hotelId, { text, value });
    return value;
  }
}
