import { bookingRequest, createFixture, day } from '@innkeeper/conformance';
import { isInnkeeperError } from '@innkeeper/core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStoreOptions } from '../src/index.js';
import { buildQueries } from '../src/postgres-queries.js';
import { warmUpStatements } from '../src/postgres-warm-up.js';
import {
  databaseUrl,
  dropSchema,
  freshSchema,
  newPool,
  resetSchema,
} from './support/test-database.js';

/**
 * Warm connections (bench/cold-start.ts has the figures): `store.warmUp()` opens and
 * warms connections without writing anything, and a pool the store creates gets each
 * connection lost to an error replaced and warmed in the background.
 */

const admin = newPool(4);
let schema = '';

beforeAll(async () => {
  schema = await freshSchema(admin, 'warmup');
});
beforeEach(async () => {
  await resetSchema(admin, schema);
});
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

/** A store on a pool it creates, whose connections carry a name of their own. */
function ownStore(name: string, poolSize: number, options: PostgresStoreOptions = {}) {
  const url = new URL(databaseUrl());
  const applicationName = `ik_${name}_${schema}`.slice(0, 63);
  url.searchParams.set('application_name', applicationName);
  const store = createPostgresStore(
    { connectionString: url.toString(), poolSize },
    { schema, ...options },
  );
  return { store, applicationName };
}

async function backends(applicationName: string) {
  const { rows } = await admin.query<{ pid: number; state: string; query: string }>(
    'SELECT pid, state, query FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid',
    [applicationName],
  );
  return rows;
}

/** Terminates the given backends at once, as a failover does, and waits until they are gone. */
async function terminate(pids: number[]): Promise<void> {
  await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  await until(
    'the terminated backends to exit',
    async () =>
      (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY ($1)', [pids])).rowCount,
    (count) => count === 0,
  );
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function writes() {
  const { rows } = await admin.query(
    `SELECT (SELECT count(*)::int FROM "${schema}".reservations) AS reservations,
            (SELECT count(*)::int FROM "${schema}".events) AS events,
            (SELECT last_value::int FROM "${schema}".events_seq_seq) AS seq,
            (SELECT coalesce(sum(reserved), 0)::int FROM "${schema}".calendar) AS reserved`,
  );
  return rows[0];
}

describe('store.warmUp()', () => {
  test('warms the connections it opens with the store statements prepared, writing nothing and drawing no sequence number', async () => {
    const pool = newPool(3);
    try {
      const store = createPostgresStore({ pool }, { schema });
      const { inn } = await createFixture(store);
      const before = await writes();
      expect(await store.warmUp(2)).toBe(2);
      expect(await writes()).toEqual(before);
      expect(pool.totalCount).toBe(2);
      expect(pool.idleCount).toBe(2);
      // Warm clients are not warmed twice.
      expect(await store.warmUp(2)).toBe(0);
      // Each connection has the store's statements prepared (the driver skips Parse).
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      try {
        for (const client of clients) {
          const { rows } = await client.query<{ name: string }>(
            'SELECT name FROM pg_prepared_statements ORDER BY name',
          );
          expect(rows.map((r) => r.name.replace(/^ik_[0-9a-z]+_/, ''))).toEqual(
            expect.arrayContaining(['applyBooking', 'applyChange', 'readStay', 'lockReservation']),
          );
        }
      } finally {
        for (const client of clients) client.release();
      }
      // And the store books on them.
      const booked = await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(3) }));
      expect(booked.status).toBe('confirmed');
    } finally {
      await pool.end();
    }
  });

  test("reaches the booking's final write: a reservation and its night inserted (and rolled back), an event numbered 0 of its own, no sequence number", async () => {
    const client = await admin.connect();
    try {
      const before = await writes();
      await client.query('BEGIN');
      // Two warm-ups' statements in one transaction: each has a key of its own.
      const statements = [
        ...warmUpStatements(buildQueries(`"${schema}"`), 5000),
        ...warmUpStatements(buildQueries(`"${schema}"`), 5000),
      ];
      const kinds: string[] = [];
      for (const statement of statements) {
        const { rows } = await client.query(statement);
        if (statement.name?.endsWith('applyBooking')) kinds.push(rows[0].o_kind);
      }
      // Sold out (the read and lock path), repriced (the revision read), created (the write).
      expect(kinds).toEqual([
        'unavailable',
        'repriced',
        'created',
        'unavailable',
        'repriced',
        'created',
      ]);
      // This transaction's own counts: the final write ran (a reservation and its night,
      // no event from the booking, which updated no row), and each warm-up's own event.
      const { rows } = await client.query(
        `SELECT relname, n_tup_ins::int AS inserted FROM pg_stat_xact_user_tables
         WHERE schemaname = $1 AND relname IN ('reservations', 'reservation_nights', 'events')
         ORDER BY relname`,
        [schema],
      );
      expect(rows).toEqual([
        { relname: 'events', inserted: 2 },
        { relname: 'reservation_nights', inserted: 2 },
        { relname: 'reservations', inserted: 2 },
      ]);
      // Those events are numbered 0, which the sequence never draws and no cursor reads
      // past, each under its warm-up's own id (no two warm-ups wait on one row).
      // Their days are built as a booking's event builds them, from one made-up row.
      const { rows: events } = await client.query<{
        seq: string;
        hotel_id: string;
        days: unknown;
      }>(`SELECT seq::text, hotel_id, days FROM "${schema}".events ORDER BY hotel_id`);
      expect(events.map((e) => e.seq)).toEqual(['0', '0']);
      expect(new Set(events.map((e) => e.hotel_id)).size).toBe(2);
      for (const event of events) {
        expect(event.hotel_id).toMatch(/^warm-up-/);
        expect(event.days).toEqual([
          {
            hotelId: event.hotel_id,
            roomTypeId: '',
            date: '2000-01-01',
            total: 0,
            overbookingLimit: 0,
            reserved: 0,
            stopSell: false,
            rate: null,
          },
        ]);
      }
      await client.query('ROLLBACK');
      expect(await writes()).toEqual(before);
    } finally {
      client.release();
    }
  });

  test('a warm-up in flight leaves no hole in the change feed: a booking committed meanwhile is read at once', async () => {
    const pool = newPool(3);
    const warming = await admin.connect();
    try {
      // A short wait for holes: were the warm-up to hold a sequence number, the read below
      // would give up on it after 200 ms and stop before the booking's event.
      const store = createPostgresStore({ pool }, { schema, feedWaitMs: 200 });
      const { inn } = await createFixture(store);
      await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
      const before = await store.readEvents(0, 1_000);
      const cursor = before[before.length - 1]?.seq ?? 0;
      // A warm-up's statements, its transaction left open.
      await warming.query('BEGIN');
      for (const statement of warmUpStatements(buildQueries(`"${schema}"`), 5000)) {
        await warming.query(statement);
      }
      const booked = await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(3) }));
      const events = await store.readEvents(cursor, 1_000);
      expect(events.map((e) => [e.type, e.reservationId])).toEqual([
        ['reservation.created', booked.id],
      ]);
      expect(events[0]?.seq).toBe(cursor + 1);
    } finally {
      await warming.query('ROLLBACK');
      warming.release();
      await pool.end();
    }
  });

  test('is capped at the pool size', async () => {
    const { store, applicationName } = ownStore('cap', 2);
    try {
      expect(await store.warmUp(5)).toBe(2);
      expect((await backends(applicationName)).length).toBe(2);
    } finally {
      await store.close();
    }
  });

  test('on an unmigrated schema: a STORAGE error saying so, and the connection goes back', async () => {
    const pool = newPool(1);
    try {
      const store = createPostgresStore({ pool }, { schema: `${schema}_missing` });
      let thrown: unknown;
      await store.warmUp(1).catch((error) => {
        thrown = error;
      });
      expect(isInnkeeperError(thrown, 'STORAGE')).toBe(true);
      expect(String((thrown as Error).message)).toMatch(/not migrated/);
      expect(pool.idleCount).toBe(1);
      const { rows } = await pool.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});

describe('a pool the store creates replaces connections lost to an error', () => {
  test('every backend terminated at once (a failover): replaced in the background and warmed before any command, nothing written', async () => {
    const { store, applicationName } = ownStore('replace', 3);
    try {
      const { inn } = await createFixture(store);
      await store.warmUp(3);
      const old = (await backends(applicationName)).map((b) => b.pid);
      expect(old).toHaveLength(3);
      const before = await writes();
      await terminate(old);
      const replaced = await until(
        '3 warmed replacements',
        () => backends(applicationName),
        (rows) =>
          rows.length === 3 &&
          rows.every((b) => !old.includes(b.pid) && b.state === 'idle' && b.query === 'ROLLBACK'),
      );
      expect(replaced).toHaveLength(3);
      expect(await writes()).toEqual(before);
      // The next booking runs on a replacement.
      const booked = await inn.book(bookingRequest({ checkIn: day(2), checkOut: day(3) }));
      expect(booked.status).toBe('confirmed');
      expect((await backends(applicationName)).map((b) => b.pid).sort()).toEqual(
        replaced.map((b) => b.pid).sort(),
      );
    } finally {
      await store.close();
    }
  });

  test('a pool of more than 10 connections replaces a lost one while 11 are busy: its own size is the cap, not 10', async () => {
    // 10 is only the fallback for a pool whose size is unknown; this pool's size (12) is
    // known. With 11 connections busy and the 12th lost, the pool is below its size and
    // has no idle client: the lost one must be replaced.
    const { store, applicationName } = ownStore('wide', 12, { lockTimeoutMs: 0 });
    const blocker = await admin.connect();
    let bookings: Promise<unknown>[] = [];
    try {
      const { inn } = await createFixture(store);
      expect(await store.warmUp(12)).toBe(12);
      const old = (await backends(applicationName)).map((b) => b.pid);
      expect(old).toHaveLength(12);
      // 11 bookings queue on a dorm night another session holds: 11 connections busy.
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT 1 FROM "${schema}".calendar WHERE hotel_id = 'h1' AND room_type_id = 'dorm' AND date = $1 FOR UPDATE`,
        [day(1)],
      );
      bookings = Array.from({ length: 11 }, () =>
        inn.book(bookingRequest({ lines: [{ roomTypeId: 'dorm', adults: 1 }] })),
      );
      const waiting = await until(
        '11 bookings waiting on the lock',
        () => backends(applicationName),
        (rows) => rows.filter((b) => b.state === 'active').length === 11,
      );
      const idle = waiting.filter((b) => b.state === 'idle').map((b) => b.pid);
      expect(idle).toHaveLength(1);
      await terminate(idle);
      const replaced = await until(
        'the lost connection replaced and warmed',
        () => backends(applicationName),
        (rows) =>
          rows.length === 12 &&
          rows.some((b) => !old.includes(b.pid) && b.state === 'idle' && b.query === 'ROLLBACK'),
      );
      expect(replaced.filter((b) => b.state === 'active')).toHaveLength(11);
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      blocker.release();
      const settled = await Promise.allSettled(bookings);
      expect(settled.map((b) => b.status)).toEqual(bookings.map(() => 'fulfilled'));
      await store.close();
    }
  });

  test('replaceLostConnections: false leaves them gone', async () => {
    const { store, applicationName } = ownStore('noreplace', 2, {
      replaceLostConnections: false,
    });
    try {
      await store.warmUp(2);
      const old = (await backends(applicationName)).map((b) => b.pid);
      expect(old).toHaveLength(2);
      await terminate(old);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await backends(applicationName)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('close() twice on a store that created its pool ends the pool once: the second call is harmless', async () => {
    const { store, applicationName } = ownStore('twice', 2);
    await store.warmUp(2);
    await store.close();
    // pg.Pool#end() a second time rejects ("Called end on pool more than once").
    await expect(store.close()).resolves.toBeUndefined();
    await until(
      'no backends left',
      () => backends(applicationName),
      (rows) => rows.length === 0,
    );
  });

  test('close() while replacements are under way waits for them and ends the pool', async () => {
    const { store, applicationName } = ownStore('closing', 2);
    await store.warmUp(2);
    await terminate((await backends(applicationName)).map((b) => b.pid));
    await new Promise((resolve) => setTimeout(resolve, 25));
    await store.close();
    await until(
      'no backends left',
      () => backends(applicationName),
      (rows) => rows.length === 0,
    );
  });
});
