import { createMemoryStore } from '@innkeeper/adapter-memory';
import { isInnkeeperError } from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { createFixture, day } from '../src/fixture.js';
import { checkExactCapStorm, checkMixedStorm } from '../src/groups/exact-cap-storm.js';
import { checkInterleavings } from '../src/groups/interleavings.js';
import { bookingInput } from '../src/model/command-runner.js';
import { createRacyStore } from './racy-store.js';

/**
 * The concurrency groups are only worth running if they fail on a store with a race.
 * `RacyStore` is the memory store with `applyBooking` split into read, round trip,
 * write: right one call at a time, wrong under overlap.
 */
describe('the concurrency groups catch a store whose applyBooking reads, yields, then writes', () => {
  test('the racy store is correct when calls do not overlap', async () => {
    const store = createRacyStore();
    const { inn } = await createFixture(store);
    const stay = { checkIn: 1, checkOut: 2, lines: [{ roomTypeId: 'std' as const, rooms: 1 }] };
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      try {
        await inn.book(bookingInput(`one-by-one-${i}`, stay));
        outcomes.push('booked');
      } catch (error) {
        outcomes.push(isInnkeeperError(error) ? error.code : String(error));
      }
    }
    expect(outcomes).toEqual([...Array(11).fill('booked'), 'SOLD_OUT']);
    expect((await store.audit()).ok).toBe(true);
  });

  test('the interleaving property fails on it, printing the scheduler and the broken invariant', async () => {
    const failure = await checkInterleavings(createRacyStore, 100, { seed: 42 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(/Property failed after \d+ tests/);
    // The counterexample carries the scheduler's task order, so the run can be read.
    expect(message).toContain('schedulerFor()`');
    expect(message).toContain('store.applyBooking(');
    expect(message).toMatch(/over capacity/);
  });

  test('the exact-cap storm fails on it: more than 11 reservations for 11 rooms', async () => {
    await expect(checkExactCapStorm(createRacyStore())).rejects.toThrow(
      /outcomes of 200 racing book\(\) calls/,
    );
  });

  test('the mixed storm fails on it', async () => {
    await expect(checkMixedStorm(createRacyStore())).rejects.toThrow(/over capacity/);
  });

  test('the same checks pass on the real memory store', async () => {
    await checkInterleavings(createMemoryStore, 100, { seed: 42 });
    await checkExactCapStorm(createMemoryStore());
    await checkMixedStorm(createMemoryStore());
  });

  test('an engine on the racy store really does sell 200 rooms of an 11-room night', async () => {
    const store = createRacyStore();
    const { inn } = await createFixture(store);
    const stay = { checkIn: 1, checkOut: 2, lines: [{ roomTypeId: 'std' as const, rooms: 1 }] };
    await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => inn.book(bookingInput(`race-${i}`, stay))),
    );
    const stayRows = await store.readStay({
      hotelId: 'h1',
      roomTypeIds: ['std'],
      from: day(1),
      to: day(2),
    });
    expect(stayRows?.days[0]?.reserved).toBeGreaterThan(11);
  });
});
