import { type CalendarDay, type IsoDate, toEpochDay } from '@innkeeper/core';

/** Leading empty slots tolerated before they are cut off (see `delete`). */
const SLACK = 64;

/**
 * One (hotel, room type)'s calendar rows, by date: an array with a slot per day, indexed
 * by days since the first date it covers. A room type's calendar is a run of consecutive
 * dates, so this holds it in about a third of a `Map`'s memory, reads a night by
 * subtraction instead of hashing a date string, and walks a stay's nights through
 * neighbouring slots. At the seed's scale (7.3M rows) a `Map` per room type made a search's
 * read of 28 nights several cache misses per night, most of a search's time in this store.
 */
export class DatedRows {
  /** The epoch day of `slots[0]`. */
  private first = 0;
  private slots: (CalendarDay | undefined)[] = [];
  /** The index of the first slot that is not empty (while `size > 0`). */
  private lead = 0;
  /** Rows held (slots that are not empty). */
  size = 0;

  /** Slots allocated, empty or not: what the rows cost beyond themselves. */
  get slotCount(): number {
    return this.slots.length;
  }

  get(date: IsoDate): CalendarDay | undefined {
    return this.at(toEpochDay(date));
  }

  /** The row of the epoch day `day`, if held. */
  at(day: number): CalendarDay | undefined {
    const i = day - this.first;
    return i >= 0 ? this.slots[i] : undefined;
  }

  set(row: CalendarDay): void {
    const day = toEpochDay(row.date);
    if (this.size === 0) {
      this.first = day;
      this.slots = [];
      this.lead = 0;
    } else if (day < this.first) {
      // A date before the first held (rare: inventory opened further back): shift the
      // rows up by the gap. Everyday writes land on slots already there or at the end.
      const gap = this.first - day;
      this.slots = [...new Array<CalendarDay | undefined>(gap), ...this.slots];
      this.first = day;
    }
    const i = day - this.first;
    if (this.slots[i] === undefined) this.size++;
    this.slots[i] = row;
    if (i < this.lead) this.lead = i; // (a row before the first lands at 0)
  }

  delete(date: IsoDate): void {
    const i = toEpochDay(date) - this.first;
    if (i < 0 || this.slots[i] === undefined) return;
    this.slots[i] = undefined;
    this.size--;
    if (this.size === 0) {
      this.slots = [];
      return;
    }
    // Archiving deletes the oldest dates, so empty slots gather at the front; cut them off
    // once they outnumber the rest, so years of archived dates never keep memory.
    while (this.slots[this.lead] === undefined) this.lead++;
    if (this.lead > SLACK && this.lead > this.slots.length / 2) {
      this.slots = this.slots.slice(this.lead);
      this.first += this.lead;
      this.lead = 0;
    }
  }

  /** The rows dated in `[from, to)`, in date order, appended to `into`. */
  collect(from: IsoDate, to: IsoDate, into: CalendarDay[]): void {
    const end = toEpochDay(to);
    for (let day = toEpochDay(from); day < end; day++) {
      const row = this.at(day);
      if (row) into.push(row);
    }
  }

  /** Every row, in date order. */
  *values(): IterableIterator<CalendarDay> {
    for (const row of this.slots) if (row) yield row;
  }
}
