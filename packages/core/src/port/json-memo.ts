import { deepFreeze } from './deep-freeze.js';

/**
 * For store authors: each hotel's last value parsed from a JSON text, kept with that
 * text. Search across hotels reads the same hotels, room types and rate cards on every
 * search, and parsing them again was a good part of its time in Node. A value is reused
 * only when the text read is exactly the text it was parsed from, so a hit is exact;
 * values are frozen and shared, which stay reads allow (they are read-only to their
 * callers). One entry per key: its memory is the size of the catalog read.
 */
export class JsonMemo<T> {
  private readonly entries = new Map<string, { text: string; value: T }>();

  /** `parse` is given the text and its key (for texts that leave the hotel id out). */
  constructor(private readonly parse: (text: string, key: string) => T) {}

  /** The value of `text`, the JSON read for `key`: a hotel, or a hotel and a room type. */
  get(key: string, text: string): T {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.text === text) return entry.value;
    const value = deepFreeze(this.parse(text, key));
    this.entries.set(key, { text, value });
    return value;
  }
}
