import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createInnkeeper, createWorker, type InnkeeperStore } from '@innkeeper/core';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { GUEST, HOTEL, key, setupEngine } from './engine-support.js';
import { recordTelemetry, type Telemetry } from './telemetry-harness.js';

/**
 * Traces and metrics through `@opentelemetry/api` with the SDK's in-memory exporters: the
 * span tree of a call, its attributes (ids and counts, never the guest), the metrics,
 * and nothing recorded without a provider or with `telemetry: false`.
 */
const NOW = '2027-04-01T10:00:00.000Z';
const STAY = { hotelId: HOTEL, checkIn: '2027-05-03', checkOut: '2027-05-05', guest: GUEST };
const LINES = [{ roomTypeId: 'std', rooms: 2, adults: 2 }];

describe('with a provider registered', () => {
  let telemetry: Telemetry;
  beforeEach(() => {
    telemetry = recordTelemetry();
  });
  afterEach(() => telemetry.stop());

  test('a paid booking is one span with the store and gateway calls as its children', async () => {
    const { engine } = await setupEngine({ now: NOW, payments: true });
    telemetry.reset();
    const booked = await engine.book({ ...STAY, idempotencyKey: key(), lines: LINES });
    expect(telemetry.spanTree()).toEqual([
      'innkeeper.book',
      '  innkeeper.store.readStay',
      '  innkeeper.store.applyBooking',
      '  innkeeper.gateway.charge',
      '  innkeeper.store.changeReservation',
    ]);
    const [book] = telemetry.spans.getFinishedSpans().filter((s) => s.name === 'innkeeper.book');
    expect(book?.attributes).toEqual({
      'innkeeper.hotel.id': HOTEL,
      'innkeeper.reservation.id': booked.id,
      'innkeeper.reservation.status': 'confirmed',
      'innkeeper.stay.nights': 2,
      'innkeeper.stay.rooms': 2,
      'innkeeper.outcome': 'ok',
    });
    const charge = telemetry.spans.getFinishedSpans().find((s) => s.name.endsWith('.charge'));
    expect(charge?.kind).toBe(2); // SpanKind.CLIENT: a call out of the process
  });

  test('a refusal ends its span with the error code; a failure of the store marks it an error', async () => {
    const { engine } = await setupEngine({ now: NOW, rooms: 1 });
    await engine.book({
      ...STAY,
      idempotencyKey: key(),
      lines: [{ roomTypeId: 'std', adults: 1 }],
    });
    telemetry.reset();
    const sold = engine.book({ ...STAY, idempotencyKey: key(), lines: LINES });
    await expect(sold).rejects.toMatchObject({ code: 'SOLD_OUT' });
    const [span] = telemetry.spans.getFinishedSpans().filter((s) => s.name === 'innkeeper.book');
    expect(span?.attributes).toMatchObject({
      'innkeeper.outcome': 'SOLD_OUT',
      'error.type': 'SOLD_OUT',
    });
    expect(span?.status.code).toBe(0); // UNSET: a full hotel is business, not a fault

    const broken = createMemoryStore();
    const inn = createInnkeeper({ store: broken });
    await broken.close();
    telemetry.reset();
    await expect(inn.listHotels()).rejects.toMatchObject({ code: 'STORAGE' });
    const failed = telemetry.spans.getFinishedSpans();
    expect(failed.map((s) => [s.name, s.status.code, s.attributes['error.type']])).toEqual([
      ['innkeeper.store.listHotels', 2, 'STORAGE'],
      ['innkeeper.listHotels', 2, 'STORAGE'],
    ]);
  });

  test('no span attribute and no metric carries the guest', async () => {
    const { engine } = await setupEngine({ now: NOW, payments: true });
    const booked = await engine.book({ ...STAY, idempotencyKey: key(), lines: LINES });
    await engine.updateGuest({
      reservationId: booked.id,
      name: 'Grace Hopper',
      email: 'grace@example.com',
      phone: '+351 912 345 678',
    });
    await engine.cancel({ reservationId: booked.id, reason: 'Grace is unwell' });
    const recorded = JSON.stringify([
      telemetry.attributes(),
      telemetry.spans.getFinishedSpans().map((s) => s.events),
      await telemetry.metric('innkeeper.operation.duration'),
    ]);
    for (const secret of ['Ada', 'ada@example.com', 'Grace', 'grace@', '912 345', 'unwell']) {
      expect(recorded).not.toContain(secret);
    }
  });

  test('metrics: durations by operation and outcome, bookings by outcome, expired holds', async () => {
    const { engine, clock } = await setupEngine({ now: NOW, rooms: 1 });
    await engine.book({
      ...STAY,
      idempotencyKey: key(),
      lines: [{ roomTypeId: 'std', adults: 1 }],
    });
    await expect(
      engine.book({ ...STAY, idempotencyKey: key(), lines: [{ roomTypeId: 'std', adults: 1 }] }),
    ).rejects.toMatchObject({ code: 'SOLD_OUT' });
    await engine.hold({
      ...STAY,
      idempotencyKey: key(),
      lines: [{ roomTypeId: 'suite', adults: 1 }],
      ttlSeconds: 60,
    });
    clock.advance(5 * 60_000);
    expect(await engine.expireHolds()).toHaveLength(1);

    const bookings = await telemetry.metric('innkeeper.bookings');
    expect(bookings).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'innkeeper.operation': 'innkeeper.book', 'innkeeper.outcome': 'ok' },
          value: 1,
        },
        {
          attributes: { 'innkeeper.operation': 'innkeeper.book', 'innkeeper.outcome': 'SOLD_OUT' },
          value: 1,
        },
        {
          attributes: { 'innkeeper.operation': 'innkeeper.hold', 'innkeeper.outcome': 'ok' },
          value: 1,
        },
      ]),
    );
    expect(await telemetry.metric('innkeeper.holds.expired')).toEqual([
      { attributes: {}, value: 1 },
    ]);
    const durations = await telemetry.metric('innkeeper.operation.duration');
    const bookOk = durations.find(
      (d) =>
        d.attributes['innkeeper.operation'] === 'innkeeper.book' &&
        d.attributes['innkeeper.outcome'] === 'ok',
    );
    expect(bookOk?.value).toMatchObject({ count: 1 });
    const store = await telemetry.metric('innkeeper.store.duration');
    expect(store.map((d) => d.attributes['innkeeper.store.call'])).toContain('applyBooking');
  });

  test('a worker run is a span with the engine calls under it, timed per job', async () => {
    const { engine, clock } = await setupEngine({ now: NOW });
    await engine.hold({
      ...STAY,
      idempotencyKey: key(),
      lines: [{ roomTypeId: 'std', adults: 1 }],
      ttlSeconds: 60,
    });
    clock.advance(10 * 60_000);
    telemetry.reset();
    const worker = createWorker(engine, { now: () => clock.now() });
    await worker.runOnce('expire-holds');
    expect(telemetry.spanTree()).toEqual([
      'innkeeper.worker.expire-holds',
      '  innkeeper.expireHolds',
      '    innkeeper.store.expireHolds',
    ]);
    const jobs = await telemetry.metric('innkeeper.worker.job.duration');
    expect(jobs[0]?.attributes).toEqual({
      'innkeeper.worker.job': 'expire-holds',
      'innkeeper.outcome': 'ok',
    });
    // The hold ran out 9 minutes before the run expired it.
    const lag = await telemetry.metric('innkeeper.worker.lag');
    expect(lag[0]?.value).toMatchObject({ count: 1, sum: 540 });
  });

  test('search served by an availability cache: its read is a child span of its own', async () => {
    const { engine } = await setupEngine({ now: NOW });
    // The engine's own store stands in for a cache: any AvailabilitySource serves search.
    const cached = createInnkeeper({ store: engine.store, availability: engine.store });
    telemetry.reset();
    await cached.search({
      hotelId: HOTEL,
      checkIn: STAY.checkIn,
      checkOut: STAY.checkOut,
      adults: 1,
    });
    expect(telemetry.spanTree()).toEqual(['innkeeper.search', '  innkeeper.cache.readStay']);
    const reads = await telemetry.metric('innkeeper.store.duration');
    expect(reads.map((d) => d.attributes['innkeeper.store.call'])).toContain('cache.readStay');
  });

  test('telemetry: false leaves the engine unwrapped: the store sees no span', async () => {
    const seen: boolean[] = [];
    const store = createMemoryStore();
    const watched = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'listHotels') {
          return (...args: Parameters<InnkeeperStore['listHotels']>) => {
            seen.push(trace.getActiveSpan()?.isRecording() ?? false);
            return target.listHotels(...args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    await createInnkeeper({ store: watched }).listHotels();
    await createInnkeeper({ store: watched, telemetry: false }).listHotels();
    expect(seen).toEqual([true, false]);
  });
});

describe('without a provider', () => {
  test('the calls work and nothing records: the active span is a no-op', async () => {
    const seen: (boolean | undefined)[] = [];
    const store = createMemoryStore();
    const watched = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'listHotels') {
          return (...args: Parameters<InnkeeperStore['listHotels']>) => {
            seen.push(trace.getActiveSpan()?.isRecording());
            return target.listHotels(...args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const inn = createInnkeeper({ store: watched });
    expect((await inn.listHotels()).items).toEqual([]);
    expect(seen).toEqual([undefined]);
  });
});
