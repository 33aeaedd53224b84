/**
 * Innkeeper never calls `Date.now()` on its own: every "now" comes from the clock the
 * engine was created with, so tests can freeze or move time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ManualClock extends Clock {
  set(instant: Date | string): void;
  advance(ms: number): void;
}

/** A clock that only moves when told to: for tests of holds, expiry and "today". */
export function createManualClock(start: Date | string): ManualClock {
  let current = new Date(start).getTime();
  if (Number.isNaN(current)) throw new RangeError(`Invalid start instant: ${String(start)}`);
  return {
    now: () => new Date(current),
    set(instant) {
      const next = new Date(instant).getTime();
      if (Number.isNaN(next)) throw new RangeError(`Invalid instant: ${String(instant)}`);
      current = next;
    },
    advance(ms) {
      current += ms;
    },
  };
}
