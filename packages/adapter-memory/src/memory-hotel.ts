import { DayColumns } from '@innkeeper/core/store';

/** Days per block of a hotel's calendar (see `DayColumns`). */
const CALENDAR_BLOCK_DAYS = 64;

/**
 * What the memory store holds for one hotel that a booking reads or writes: its pricing
 * revision, its calendar and the indexes of its reservations. One object per hotel, found
 * with one map lookup: as seven maps keyed by hotel, a booking at a hotel out of the CPU's
 * caches paid a cache miss in each (`docs/benchmarks.md`). Made at the hotel's first write;
 * archiving empties it but never drops it, so there is at most one per hotel ever written.
 */
export class MemoryHotel {
  /** The hotel's pricing revision (see `applyBooking` in the port). */
  pricingRevision = 0;
  /**
   * The hotel's rows by room type and date, in one typed array in blocks of 64 days (two
   * blocks cover any stay of up to 65 nights): a search's nights over the hotel's room
   * types are one run of it. A row read is a new object, never one held.
   */
  readonly calendar: DayColumns;
  /** Idempotency key → reservation id. */
  readonly byKey = new Map<string, string>();
  /** External reference → reservation id: unique per hotel. */
  readonly byExternalRef = new Map<string, string>();
  /**
   * The ids of the hotel's reservations. A set: archiving a busy hotel's past deletes tens
   * of thousands of its ids, and taking each out of an array walked and shifted the rest.
   */
  readonly ids = new Set<string>();
  /**
   * The front desk's lists: check-in date → ids, check-out date → ids, and the ids of
   * checked-in reservations. Kept on every write, since a modification or an early
   * departure moves a stay's dates and a check-in or -out its status.
   */
  readonly arrivals = new Map<string, Set<string>>();
  readonly departures = new Map<string, Set<string>>();
  readonly inHouse = new Set<string>();

  constructor(hotelId: string) {
    this.calendar = new DayColumns(hotelId, CALENDAR_BLOCK_DAYS);
  }
}
