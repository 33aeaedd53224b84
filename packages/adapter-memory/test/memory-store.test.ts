import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { createInnkeeper, createManualClock, isInnkeeperError } from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { createMemoryStore } from '../src/index.js';

describe('createMemoryStore()', () => {
  test('two stores share nothing: a booking in one is invisible to the other', async () => {
    const a = await createFixture(createMemoryStore());
    const b = await createFixture(createMemoryStore());
    const booked = await a.inn.book(bookingRequest());
    await expect(b.store.getReservation(booked.id)).resolves.toBeNull();
    const rows = await b.store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['std'],
      from: day(1),
      to: day(2),
    });
    expect(rows?.days.map((d) => d.reserved)).toEqual([0]);
    expect(await b.store.readEvents(0, 1000)).toHaveLength(
      (await a.store.readEvents(0, 1000)).length - 1,
    );
  });

  test('a closed store fails every call, and the engine reports it as STORAGE with the cause', async () => {
    const store = createMemoryStore();
    const inn = createInnkeeper({ store, clock: createManualClock('2030-01-01T00:00:00Z') });
    await inn.close();
    const error = await inn.getHotel('h1').catch((e: unknown) => e);
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
