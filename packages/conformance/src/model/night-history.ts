/**
 * What each night looked like over part of a serial history, to judge the answers calls
 * got. A SOLD_OUT is an answer about some instant: it is legitimate only if, at some
 * instant the call could have seen, fewer rooms were left than it asked for. Tracking the
 * least remaining capacity per night over the replay gives exactly that bound, whatever
 * order the store actually served the calls in.
 */
export interface NightHistory {
  /** Least `total + overbookingLimit - reserved` seen (never below 0). */
  minRemaining: number;
  /** Whether the night was ever closed to sale: a RESTRICTED is legitimate only then. */
  everStopSell: boolean;
}

export class NightHistories {
  private readonly nights = new Map<string, NightHistory>();

  /** `key` is `roomType@date`; `row` is the night as it is at this point of the history. */
  observe(
    key: string,
    row: { total: number; overbookingLimit: number; reserved: number; stopSell: boolean },
  ): void {
    const remaining = Math.max(row.total + row.overbookingLimit - row.reserved, 0);
    const seen = this.nights.get(key);
    this.nights.set(key, {
      minRemaining: Math.min(seen?.minRemaining ?? remaining, remaining),
      everStopSell: (seen?.everStopSell ?? false) || row.stopSell,
    });
  }

  get(key: string): NightHistory | undefined {
    return this.nights.get(key);
  }
}
