import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  createManualClock,
  InnkeeperError,
  type InnkeeperStore,
  isInnkeeperError,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { errorOf } from './engine-support.js';

/**
 * The engine's guard around the store: whatever a port call throws or rejects with becomes
 * a `STORAGE` error naming the call (an `InnkeeperError` passes as it is), and the engine's
 * public calls always answer with a promise, however the store misbehaves.
 */
const NOW = '2027-04-01T10:00:00.000Z';

/** A memory store whose `getHotel` is replaced by `getHotel`. */
function engineOn(getHotel: (hotelId: string) => unknown) {
  const store = createMemoryStore();
  const patched = Object.assign(Object.create(store) as InnkeeperStore, { getHotel });
  return createInnkeeper({ store: patched, clock: createManualClock(NOW) });
}

describe('guarded store calls', () => {
  test('a store method that throws instead of rejecting: a rejected promise with STORAGE', () => {
    const cause = new Error('socket closed');
    const inn = engineOn(() => {
      throw cause;
    });
    const answer = inn.getHotel('h1');
    expect(answer).toBeInstanceOf(Promise);
    return answer.then(
      () => expect.unreachable('getHotel answered'),
      (error: unknown) => {
        expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
        expect((error as InnkeeperError).details).toEqual({ operation: 'getHotel' });
        expect((error as InnkeeperError).message).toBe(
          'Store failed during getHotel: socket closed',
        );
        expect((error as InnkeeperError).cause).toBe(cause);
      },
    );
  });

  test('with a signal too: a store method that throws is STORAGE, and a later abort changes nothing', async () => {
    const inn = engineOn(() => {
      throw new Error('socket closed');
    });
    const controller = new AbortController();
    const error = await errorOf(() => inn.getHotel('h1', { signal: controller.signal }));
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect(error.message).toBe('Store failed during getHotel: socket closed');
    controller.abort();
    expect(await errorOf(() => inn.getHotel('h1', { signal: controller.signal }))).toMatchObject({
      code: 'ABORTED',
      details: { mayHaveApplied: false },
    });
  });

  test('a rejection that is not an InnkeeperError (not even an Error) becomes STORAGE', async () => {
    const inn = engineOn(() => Promise.reject('connection reset'));
    const error = await errorOf(() => inn.getHotel('h1'));
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect((error as InnkeeperError).message).toBe(
      'Store failed during getHotel: connection reset',
    );
  });

  test("a store's own InnkeeperError reaches the caller unchanged", async () => {
    const refusal = new InnkeeperError('NOT_FOUND', 'hotel h1 not found', {
      entity: 'hotel',
      id: 'h1',
    });
    const inn = engineOn(() => Promise.reject(refusal));
    expect(await errorOf(() => inn.getHotel('h1'))).toBe(refusal);
  });

  test('a store method that answers without a promise is awaited like one', async () => {
    const hotel = await createInnkeeper({
      store: createMemoryStore(),
      clock: createManualClock(NOW),
    }).createHotel({ id: 'h1', name: 'Hotel One', timeZone: 'UTC', currency: 'EUR' });
    const inn = engineOn(() => hotel);
    expect(await inn.getHotel('h1')).toEqual(hotel);
  });
});
