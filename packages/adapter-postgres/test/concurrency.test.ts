import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import {
  createInnkeeper,
  type Innkeeper,
  isInnkeeperError,
  type ManualClock,
} from '@innkeeper/core';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool, resetSchema } from './support/test-database.js';

/**
 * Real concurrency against the server: many pooled connections, several independent
 * pools standing for several app servers. Every run ends with the store's audit and a
 * direct look at the tables.
 */

const admin = newPool(4);
let schema = '';
const pools: pg.Pool[] = [];

beforeAll(async () => {
  schema = await freshSchema(admin, 'concurrency');
});
beforeEach(async () => {
  await resetSchema(admin, schema);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await dropSchema(admin, schema);
  await admin.end();
});

/** An app server: its own pool and store. */
function storeOn(poolSize: number, maxRetries?: number) {
  const pool = newPool(poolSize);
  pools.push(pool);
  const store = createPostgresStore(
    { pool },
    { schema, ...(maxRetries === undefined ? {} : { maxRetries }) },
  );
  return { pool, store };
}

/** An app server with an engine on the shared clock (random reservation ids). */
function appServer(clock: ManualClock, poolSize: number, maxRetries?: number) {
  const server = storeOn(poolSize, maxRetries);
  return { ...server, inn: createInnkeeper({ store: server.store, clock }) };
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

function tally(results: { ok: boolean; error?: unknown }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok
      ? 'booked'
      : isInnkeeperError(r.error)
        ? r.error.code
        : `raw: ${String(r.error)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Deterministic pseudo-random numbers, so a failing order can be replayed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function tableCounts(pool: pg.Pool) {
  const { rows } = await pool.query<{ reservations: number; over: number; negative: number }>(
    `SELECT (SELECT count(*)::int FROM "${schema}".reservations) AS reservations,
            (SELECT count(*)::int FROM "${schema}".calendar
              WHERE reserved > total + overbooking_limit) AS over,
            (SELECT count(*)::int FROM "${schema}".calendar WHERE reserved < 0) AS negative`,
  );
  return rows[0];
}

async function expectCleanAudit(store: PostgresStore) {
  const report = await store.audit();
  expect(report.findings).toEqual([]);
  expect(report.ok).toBe(true);
}

describe('real concurrency on one Postgres database', () => {
  test('200 concurrent one-night book() calls through 20 connections for 10 + 1 rooms: exactly 11 booked, 189 SOLD_OUT', async () => {
    const setup = storeOn(2);
    const { clock } = await createFixture(setup.store);
    const { pool, inn } = appServer(clock, 20);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => settle(inn.book(bookingRequest()))),
    );
    expect(tally(results)).toEqual({ booked: 11, SOLD_OUT: 189 });
    expect(pool.totalCount).toBeGreaterThanOrEqual(16);
    const stay = await setup.store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['std'],
      from: day(1),
      to: day(2),
    });
    expect(stay?.days.map((d) => d.reserved)).toEqual([11]);
    expect(await tableCounts(admin)).toEqual({ reservations: 11, over: 0, negative: 0 });
    await expectCleanAudit(setup.store);
  }, 60_000);

  test('overlapping multi-night, multi-room-type stays from 3 independent pools in random orders never deadlock (no retries allowed) and leave the audit clean', async () => {
    const base = storeOn(2);
    const { clock } = await createFixture(base.store);
    // maxRetries 0: a deadlock or serialization failure would reach the caller.
    const servers = [1, 2, 3].map(() => appServer(clock, 8, 0));
    const random = mulberry32(20_300_601);
    const roomTypes = ['std', 'suite', 'dorm'];
    const calls = servers.flatMap(({ inn }, server) =>
      Array.from({ length: 60 }, (_, i) => {
        const checkIn = 1 + Math.floor(random() * 5);
        const nights = 2 + Math.floor(random() * 4);
        // Lines in a random room-type order: the lock order must not depend on it.
        const types = roomTypes.filter(() => random() < 0.6);
        const lines = (types.length > 0 ? types : ['std'])
          .sort(() => random() - 0.5)
          .map((roomTypeId) => ({
            roomTypeId,
            rooms: roomTypeId === 'suite' ? 1 : 1 + Math.floor(random() * 2),
            adults: 1,
          }));
        return () =>
          inn.book(
            bookingRequest({
              idempotencyKey: `s${server}-${i}`,
              checkIn: day(checkIn),
              checkOut: day(checkIn + nights),
              lines,
            }),
          );
      }),
    );
    calls.sort(() => random() - 0.5);
    const results = await Promise.all(calls.map((call) => settle(call())));
    const counts = tally(results);
    expect(Object.keys(counts).sort()).toEqual(['SOLD_OUT', 'booked']);
    expect(counts.booked).toBeGreaterThan(0);
    expect(await tableCounts(admin)).toEqual({
      reservations: counts.booked,
      over: 0,
      negative: 0,
    });
    await expectCleanAudit(base.store);
  }, 90_000);

  test('50 concurrent identical book() calls with one key through 16 connections: one reservation, every caller gets it', async () => {
    const setup = storeOn(2);
    const { clock } = await createFixture(setup.store);
    const { inn } = appServer(clock, 16);
    const request = bookingRequest({
      idempotencyKey: 'the-one-key',
      checkIn: day(2),
      checkOut: day(5),
      lines: [
        { roomTypeId: 'std', rooms: 2, adults: 1 },
        { roomTypeId: 'suite', rooms: 1, adults: 1 },
      ],
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => settle(inn.book(request))));
    expect(tally(results)).toEqual({ booked: 50 });
    const ids = new Set(results.map((r) => (r.ok ? r.value.id : '')));
    expect(ids.size).toBe(1);
    expect(await tableCounts(admin)).toEqual({ reservations: 1, over: 0, negative: 0 });
    const stay = await setup.store.readStay({ hotelId: HOTEL_ID, from: day(2), to: day(5) });
    expect(stay?.days.filter((d) => d.reserved > 0).map((d) => [d.roomTypeId, d.reserved])).toEqual(
      [
        ['std', 2],
        ['std', 2],
        ['std', 2],
        ['suite', 1],
        ['suite', 1],
        ['suite', 1],
      ],
    );
    await expectCleanAudit(setup.store);
  }, 60_000);

  test('a mixed storm of book / hold / cancel / modify / confirm / expireHolds from 2 pools keeps the audit clean and the feed in step with the rows', async () => {
    const base = storeOn(2);
    const { clock } = await createFixture(base.store);
    const servers = [appServer(clock, 8), appServer(clock, 8)];
    const random = mulberry32(7);
    const known: string[] = [];
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
    const unexpected: string[] = [];
    const expectedErrors = new Set(['SOLD_OUT', 'INVALID_STATE', 'CONFLICT', 'VALIDATION']);

    const one = async (inn: Innkeeper, i: number) => {
      const roll = random();
      const checkIn = 1 + Math.floor(random() * 6);
      const stay = {
        checkIn: day(checkIn),
        checkOut: day(checkIn + 1 + Math.floor(random() * 3)),
        lines: [{ roomTypeId: pick(['std', 'std', 'suite']), rooms: 1, adults: 1 }],
      };
      try {
        if (roll < 0.35) known.push((await inn.book(bookingRequest({ ...stay }))).id);
        else if (roll < 0.5)
          known.push((await inn.hold({ ...bookingRequest({ ...stay }), ttlSeconds: 30 })).id);
        else if (roll < 0.65 && known.length > 0) await inn.cancel({ reservationId: pick(known) });
        else if (roll < 0.8 && known.length > 0)
          await inn.modify({ reservationId: pick(known), ...stay });
        else if (roll < 0.88 && known.length > 0) await inn.confirm({ reservationId: pick(known) });
        else if (roll < 0.95) await inn.expireHolds();
        else clock.advance(20_000);
      } catch (error) {
        if (!isInnkeeperError(error) || !expectedErrors.has(error.code)) {
          unexpected.push(`call ${i}: ${String(error)}`);
        }
      }
    };
    // Waves, so later calls find reservations made by earlier ones still in flight.
    for (let wave = 0; wave < 6; wave++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => one(pick(servers).inn, wave * 50 + i)),
      );
    }
    expect(unexpected).toEqual([]);
    expect(known.length).toBeGreaterThan(20);
    await expectCleanAudit(base.store);
    expect(await tableCounts(admin)).toMatchObject({ over: 0, negative: 0 });

    // Replaying the feed's rows in seq order must end on the rows the store holds.
    const events = await base.store.readEvents(0, 100_000);
    const last = new Map<string, number>();
    let previous = 0;
    for (const event of events) {
      expect(event.seq).toBeGreaterThan(previous);
      previous = event.seq;
      for (const d of event.days) last.set(`${d.roomTypeId}@${d.date}`, d.reserved);
    }
    const stay = await base.store.readStay({ hotelId: HOTEL_ID, from: day(0), to: day(60) });
    for (const d of stay?.days ?? []) {
      expect(last.get(`${d.roomTypeId}@${d.date}`) ?? 0).toBe(d.reserved);
    }
  }, 90_000);
});
