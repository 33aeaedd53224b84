import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  createManualClock,
  createWorker,
  type Innkeeper,
  isInnkeeperError,
  type WorkerLock,
} from '@innkeeper/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { FakeGateway, GUEST, HOTEL } from './engine-support.js';

const NOW = '2027-05-03T10:00:00.000Z';

async function hotel(payments?: FakeGateway) {
  const clock = createManualClock(NOW);
  const inn = createInnkeeper({
    store: createMemoryStore(),
    clock,
    ...(payments ? { payments } : {}),
  });
  await inn.createHotel({ id: HOTEL, name: 'Hotel', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  await inn.createRoomType({
    id: 'std',
    hotelId: HOTEL,
    name: 'Std',
    maxAdults: 2,
    baseRate: 10_000,
  });
  await inn.setInventory({
    hotelId: HOTEL,
    roomTypeId: 'std',
    from: '2027-05-01',
    to: '2027-05-20',
    total: 5,
  });
  let n = 0;
  const stay = (checkIn: string, checkOut: string) => ({
    idempotencyKey: `k${++n}`,
    hotelId: HOTEL,
    checkIn,
    checkOut,
    lines: [{ roomTypeId: 'std', adults: 2 }],
    guest: GUEST,
  });
  return { inn, clock, stay };
}

describe('the worker jobs', () => {
  test('expire-holds releases holds past their time, and reports how many', async () => {
    const { inn, clock, stay } = await hotel();
    await inn.hold({ ...stay('2027-05-10', '2027-05-12'), ttlSeconds: 60 });
    const worker = createWorker(inn, { now: () => clock.now() });
    expect(await worker.runOnce('expire-holds')).toEqual({ expired: 0 });
    clock.advance(61_000);
    expect(await worker.runOnce('expire-holds')).toEqual({ expired: 1 });
    expect(worker.status()['expire-holds']).toMatchObject({
      runs: 2,
      failures: 0,
      last: { result: { expired: 1 }, startedAt: clock.now().toISOString() },
    });
  });

  test("no-shows: the night audit marks confirmed arrivals not in the hotel hours after the check-in time, in the hotel's time zone", async () => {
    const { inn, clock, stay } = await hotel();
    const gone = await inn.book(stay('2027-05-03', '2027-05-05'));
    const inHouse = await inn.book(stay('2027-05-03', '2027-05-05'));
    const tomorrow = await inn.book(stay('2027-05-04', '2027-05-05'));
    clock.set('2027-05-03T15:30:00.000Z');
    await inn.checkIn({ reservationId: inHouse.id });
    const worker = createWorker(inn, { now: () => clock.now(), noShowAfterHours: 12 });
    // 15:00 in Lisbon (UTC+1 in May) is 14:00 UTC: 12 hours later is 02:00 UTC on May 4.
    clock.set('2027-05-04T01:59:00.000Z');
    expect(await worker.runOnce('no-shows')).toEqual({ marked: 0, skipped: 0 });
    clock.set('2027-05-04T02:00:00.000Z');
    expect(await worker.runOnce('no-shows')).toEqual({ marked: 1, skipped: 0 });
    const status = async (id: string) => (await inn.getReservation(id)).status;
    expect(await status(gone.id)).toBe('no-show');
    expect(await status(inHouse.id)).toBe('checked-in');
    expect(await status(tomorrow.id)).toBe('confirmed');
  });

  test('recover-payments settles what a lost answer left pending', async () => {
    const gateway = new FakeGateway();
    const { inn, clock, stay } = await hotel(gateway);
    gateway.next.push('approve-then-throw');
    const error = await inn.book(stay('2027-05-10', '2027-05-12')).catch((e: unknown) => e);
    expect(isInnkeeperError(error, 'PAYMENT_FAILED')).toBe(true);
    clock.advance(301_000);
    const worker = createWorker(inn, { now: () => clock.now() });
    expect(await worker.runOnce('recover-payments')).toMatchObject({ confirmed: 1, unresolved: 0 });
  });
});

describe('the schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An engine whose expireHolds is scripted: what the scheduling tests watch. */
  function scripted(results: (() => Promise<unknown>)[]) {
    const calls: number[] = [];
    const inn = {
      expireHolds: vi.fn(async () => {
        calls.push(Date.now());
        const next = results.shift();
        return next ? next() : [];
      }),
    } as unknown as Innkeeper;
    return { inn, calls };
  }

  const only = {
    'recover-payments': { enabled: false },
    'no-shows': { enabled: false },
    archive: { enabled: false },
    'prune-events': { enabled: false },
  };

  test('each enabled job runs at start, then every interval; a failure doubles the wait until a success', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fail = () => Promise.reject(new Error('database down'));
    const { inn, calls } = scripted([async () => [], fail, fail, async () => []]);
    const worker = createWorker(inn, {
      jobs: { ...only, 'expire-holds': { intervalMs: 1000 } },
      random: () => 0.5,
    });
    const t0 = Date.now();
    worker.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000); // ok -> next after 1 s: fails
    await vi.advanceTimersByTimeAsync(2000); // failed once -> 2 s: fails again
    await vi.advanceTimersByTimeAsync(4000); // failed twice -> 4 s: succeeds
    await vi.advanceTimersByTimeAsync(1000); // back to 1 s
    expect(calls.map((t) => t - t0)).toEqual([0, 1000, 3000, 7000, 8000]);
    expect(worker.status()['expire-holds']).toMatchObject({ runs: 5, failures: 2 });
    expect(worker.status()['expire-holds'].failingSince).toBeUndefined();
    await worker.stop();
  });

  test('stop() waits for the run in progress and nothing runs after it', async () => {
    let finish: () => void = () => {};
    const slow = () => new Promise<unknown[]>((resolve) => (finish = () => resolve([])));
    const { inn, calls } = scripted([slow]);
    const worker = createWorker(inn, { jobs: { ...only, 'expire-holds': { intervalMs: 10 } } });
    worker.start();
    await new Promise((r) => setTimeout(r, 0));
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(1);
  });

  test('with a lock, a turn runs only where the lease is held; the others count it skipped; stop() releases', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let holder: string | null = null;
    const released: string[] = [];
    const lockFor = (me: string): WorkerLock => ({
      acquire: async () => {
        holder ??= me;
        return holder === me;
      },
      release: async (job) => {
        released.push(`${me}:${job}`);
        if (holder === me) holder = null;
      },
    });
    const a = scripted([]);
    const b = scripted([]);
    const options = { jobs: { ...only, 'expire-holds': { intervalMs: 1000 } }, random: () => 0.5 };
    const first = createWorker(a.inn, { ...options, lock: lockFor('a') });
    const second = createWorker(b.inn, { ...options, lock: lockFor('b') });
    first.start();
    second.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect([a.calls.length, b.calls.length]).toEqual([3, 0]);
    expect(second.status()['expire-holds']).toMatchObject({ runs: 0, skipped: 3 });
    // The leader stops: its lease is released and the other takes over at its next turn.
    await first.stop();
    expect(released).toEqual(['a:expire-holds']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.calls.length).toBe(1);
    await second.stop();
  });

  test('bad options are VALIDATION', () => {
    const { inn } = scripted([]);
    for (const options of [
      { batchSize: 0 },
      { jitter: 2 },
      { jobs: { nope: {} } },
      { noShowAfterHours: -1 },
    ]) {
      let thrown: unknown;
      try {
        createWorker(inn, options as never);
      } catch (error) {
        thrown = error;
      }
      expect(isInnkeeperError(thrown, 'VALIDATION'), JSON.stringify(options)).toBe(true);
    }
  });
});
