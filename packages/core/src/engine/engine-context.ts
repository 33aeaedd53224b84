import type { z } from 'zod';
import { validationError } from '../errors.js';
import type { AvailabilitySource } from '../port/store.js';
import type { StayLimits } from '../stay/stay-rules.js';
import type { Clock } from './clock.js';
import type { GuardedStore } from './guarded-store.js';

/** What every part of the engine shares: the guarded store, the clock, ids and limits. */
export interface EngineContext {
  readonly store: GuardedStore;
  /** Serves `search` only (the store unless a cache was given), guarded like the store. */
  readonly availability: AvailabilitySource;
  readonly clock: Clock;
  readonly generateId: () => string;
  readonly limits: StayLimits;
}

/** Parses a call's input, or throws `VALIDATION` naming every issue. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export function nowIso(context: EngineContext): string {
  return context.clock.now().toISOString();
}

/**
 * `values` without repeats, in first-seen order. One value, as most bookings have, is
 * `values` itself (no set built, no copy made): give it an array of your own.
 */
export function unique(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}
