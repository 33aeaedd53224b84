import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  createManualClock,
  Innkeeper,
  type InnkeeperStore,
  isInnkeeperError,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { errorOf, FakeGateway, GUEST, HOTEL, key } from './engine-support.js';

/**
 * `{ signal }` on engine calls: refused before it starts, and once a store or gateway call
 * is in flight the engine stops waiting with `ABORTED`, saying whether a write may have
 * been applied.
 */
const NOW = '2027-04-01T10:00:00.000Z';
const STAY = { hotelId: HOTEL, checkIn: '2027-05-03', checkOut: '2027-05-05', guest: GUEST };
const LINES = [{ roomTypeId: 'std', adults: 1 }];

/** A memory store whose `call` waits until `release()` (then runs): a slow database. */
function slowStore(call: keyof InnkeeperStore) {
  const store = createMemoryStore();
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered = () => {};
  const reached = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let armed = false;
  const slow = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== call || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (armed) {
          entered();
          await gate;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: slow, release, reached, arm: () => (armed = true) };
}

async function hotel(store: InnkeeperStore, payments?: FakeGateway, pricingCache?: false) {
  const inn = createInnkeeper({
    store,
    clock: createManualClock(NOW),
    ...(payments ? { payments } : {}),
    ...(pricingCache === false ? { pricingCache } : {}),
  });
  await inn.createHotel({ id: HOTEL, name: 'H', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({ hotelId: HOTEL, id: 'std', name: 'Std', maxAdults: 2, baseRate: 1 });
  const range = { from: '2027-05-01', to: '2027-05-31' };
  await inn.setInventory({ hotelId: HOTEL, roomTypeId: 'std', ...range, total: 3 });
  return inn;
}

describe('{ signal } on engine calls', () => {
  test('an aborted signal refuses the call before anything runs', async () => {
    const inn = await hotel(createMemoryStore());
    const error = await errorOf(() =>
      inn.book({ ...STAY, idempotencyKey: key(), lines: LINES }, { signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.details).toEqual({ operation: 'book', mayHaveApplied: false });
    expect((await inn.listReservations({ hotelId: HOTEL })).items).toEqual([]);
  });

  test('every public call takes its options last: an aborted signal refuses each one', async () => {
    const inn = await hotel(createMemoryStore());
    const prototype = Innkeeper.prototype as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    const names = Object.getOwnPropertyNames(prototype).filter(
      (name) => name !== 'constructor' && name !== 'close',
    );
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      // The proxy finds the options at the method's declared arity (no parameter defaults).
      const before = Array.from({ length: (prototype[name]?.length ?? 0) - 1 }, () => undefined);
      const method = Reflect.get(inn, name) as (...a: unknown[]) => Promise<unknown>;
      const error = await errorOf(() => method(...before, { signal: AbortSignal.abort() }));
      expect(error.details, name).toEqual({ operation: name, mayHaveApplied: false });
    }
  });

  test('aborted during a read: nothing applied; the engine stops waiting at once', async () => {
    const slow = slowStore('readStay');
    const inn = await hotel(slow.store);
    slow.arm();
    const controller = new AbortController();
    const booking = inn.book(
      { ...STAY, idempotencyKey: key(), lines: LINES },
      { signal: controller.signal },
    );
    await slow.reached;
    controller.abort(new Error('client went away'));
    const error = await errorOf(() => booking);
    expect(error.details).toEqual({ operation: 'readStay', mayHaveApplied: false });
    expect(error.cause).toEqual(new Error('client went away'));
    slow.release();
    expect((await inn.listReservations({ hotelId: HOTEL })).items).toEqual([]);
  });

  test('aborted during the booking command: it may have applied, and did; a retry returns it', async () => {
    const slow = slowStore('applyBooking');
    const inn = await hotel(slow.store);
    slow.arm();
    const controller = new AbortController();
    const input = { ...STAY, idempotencyKey: key(), lines: LINES };
    const booking = inn.book(input, { signal: controller.signal });
    await slow.reached;
    controller.abort();
    const error = await errorOf(() => booking);
    expect(error.details).toEqual({ operation: 'applyBooking', mayHaveApplied: true });
    slow.release();
    const retried = await inn.book(input);
    const { items } = await inn.listReservations({ hotelId: HOTEL });
    expect(items.map((r) => r.id)).toEqual([retried.id]);
    expect(retried.status).toBe('confirmed');
  });

  test('aborted while the gateway charges: a payment of unknown outcome, settled by recovery', async () => {
    const gateway = new FakeGateway();
    const inn = await hotel(createMemoryStore(), gateway);
    let answer: (() => void) | undefined;
    const charge = gateway.charge.bind(gateway);
    gateway.charge = (request) =>
      new Promise((resolve) => {
        answer = () => resolve(charge(request));
      });
    const controller = new AbortController();
    const booking = inn.book(
      { ...STAY, idempotencyKey: key(), lines: LINES },
      { signal: controller.signal },
    );
    while (answer === undefined) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    const error = await errorOf(() => booking);
    expect(error.details).toEqual({ operation: 'gateway.charge', mayHaveApplied: true });
    expect(isInnkeeperError(error.cause, 'PAYMENT_FAILED')).toBe(true);
    answer?.(); // the charge went through after all
    const [held] = (await inn.listReservations({ hotelId: HOTEL })).items;
    expect(held?.status).toBe('held');
    const report = await inn.recoverPendingPayments({ olderThanSeconds: 0 });
    expect(report.confirmed.map((r) => r.id)).toEqual([held?.id]);
  });

  test('a signal that is not an AbortSignal is a VALIDATION error; no options change nothing', async () => {
    const inn = await hotel(createMemoryStore());
    const error = await errorOf(() =>
      inn.listHotels({}, { signal: 'stop' as unknown as AbortSignal }),
    );
    expect(error.code).toBe('VALIDATION');
    expect((await inn.listHotels({}, {})).items).toHaveLength(1);
    expect((await inn.listHotels({}, { signal: new AbortController().signal })).items).toHaveLength(
      1,
    );
  });
});

describe("the engine's early capacity answer", () => {
  test('a night with no room left is refused on the rows just read, before the store is asked to book it', async () => {
    for (const pricingCache of [false, undefined] as const) {
      let bookingCommands = 0;
      const store = createMemoryStore();
      const counted = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'applyBooking' || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            bookingCommands++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const inn = await hotel(counted, undefined, pricingCache);
      const all = [{ roomTypeId: 'std', rooms: 3, adults: 1 }];
      await inn.book({ ...STAY, idempotencyKey: key(), lines: all });
      expect(bookingCommands).toBe(1);
      const error = await errorOf(() => inn.book({ ...STAY, idempotencyKey: key(), lines: LINES }));
      expect(error.code).toBe('SOLD_OUT');
      expect(error.details).toMatchObject({
        nights: [
          { roomTypeId: 'std', date: STAY.checkIn },
          { roomTypeId: 'std', date: '2027-05-04' },
        ],
      });
      // Priced from the cache, the booking goes to the store (its rows there are old
      // news), which refuses it writing nothing; the fresh read then answers why.
      expect(bookingCommands).toBe(pricingCache === false ? 1 : 2);
    }
  });
});
