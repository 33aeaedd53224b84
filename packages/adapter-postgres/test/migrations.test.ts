import { createFixture } from '@innkeeper/conformance';
import { afterAll, describe, expect, test } from 'vitest';
import { createPostgresStore, MIGRATIONS, migrate, SCHEMA_VERSION } from '../src/index.js';
import {
  applyBookingBeforePricing,
  applyCancellation,
  day,
  line,
  markNoShow,
  plan,
  reservation,
  seedHotel,
  T0,
} from './support/reservations.js';
import { dropSchema, newPool } from './support/test-database.js';

const admin = newPool(2);
const schemas: string[] = [];
const uniqueSchema = (label: string) => {
  const schema = `ik_test_migrate_${label}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(schema);
  return schema;
};

afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

describe('migrate()', () => {
  test('run at the same time from 4 pools (4 app servers starting), it applies every migration exactly once', async () => {
    const schema = uniqueSchema('race');
    const pools = [1, 2, 3, 4].map(() => newPool(1));
    try {
      const results = await Promise.all(pools.map((pool) => migrate({ pool }, { schema })));
      const applied = results.map((r) => r.applied).filter((a) => a.length > 0);
      expect(applied).toEqual([MIGRATIONS.map((m) => m.version)]);
      expect(results.every((r) => r.version === SCHEMA_VERSION)).toBe(true);
      const { rows } = await admin.query(
        `SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      // And the schema works.
      const store = createPostgresStore({ pool: pools[0] as (typeof pools)[0] }, { schema });
      const { inn } = await createFixture(store);
      expect((await inn.audit()).ok).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('is idempotent, and store.migrate() is the same call', async () => {
    const schema = uniqueSchema('again');
    expect((await migrate({ pool: admin }, { schema })).applied).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    expect((await migrate({ pool: admin }, { schema })).applied).toEqual([]);
    const store = createPostgresStore({ pool: admin }, { schema });
    expect(await store.migrate()).toEqual({ schema, applied: [], version: SCHEMA_VERSION });
  });

  test('puts every table, index, sequence and function in the configured schema, and nothing in public', async () => {
    const schema = uniqueSchema('objects');
    const before = await admin.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    );
    await migrate({ pool: admin }, { schema });
    const { rows } = await admin.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [schema],
    );
    expect(rows.map((r) => r.relname)).toEqual([
      'archive_horizons',
      'archived_reservations',
      'calendar',
      'events',
      'feed_cursors',
      'feed_state',
      'hotels',
      'rate_cards',
      'reservation_nights',
      'reservations',
      'room_nights',
      'room_types',
      'rooms',
      'schema_migrations',
    ]);
    const functions = await admin.query(
      `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1`,
      [schema],
    );
    expect(functions.rows[0].n).toBeGreaterThan(5);
    const after = await admin.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  test('hotel_id leads every primary key and unique constraint of the domain tables', async () => {
    const schema = uniqueSchema('keys');
    await migrate({ pool: admin }, { schema });
    const { rows } = await admin.query<{ table: string; first: string }>(
      `SELECT t.relname AS table, a.attname AS first
       FROM pg_constraint k
       JOIN pg_class t ON t.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1]
       WHERE n.nspname = $1 AND k.contype IN ('p', 'u')
         -- Bookkeeping of the whole schema, not of a hotel: versions, the feed's consumers.
         AND t.relname NOT IN ('schema_migrations', 'feed_cursors', 'feed_state')`,
      [schema],
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.first !== 'hotel_id')).toEqual([]);
  });

  test('refuses a schema newer than the package, naming both versions', async () => {
    const schema = uniqueSchema('newer');
    await migrate({ pool: admin }, { schema });
    await admin.query(
      `INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'future')`,
    );
    await expect(migrate({ pool: admin }, { schema })).rejects.toThrow(
      new RegExp(`version 99, newer than this package knows \\(${SCHEMA_VERSION}\\)`),
    );
  });

  test('from a database at version 2 (written by release 2) through 3: data kept, columns backfilled, old documents upgraded and usable', async () => {
    const schema = uniqueSchema('v2');
    const s = `"${schema}"`;
    // The previous release: migrations 1 and 2 only, recorded as it recorded them.
    await admin.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const m of MIGRATIONS.slice(0, 2)) {
      await admin.query(m.sql(s));
      await admin.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
    }
    await admin.query(
      `INSERT INTO ${s}.hotels VALUES ('h1', 'Old', 'Europe/Zurich', 'CHF', 0, $1, $1)`,
      [T0],
    );
    await admin.query(
      `INSERT INTO ${s}.room_types VALUES ('h1', 'std', 'Std', 2, 0, 2, NULL, 10000, $1, $1)`,
      [T0],
    );
    await admin.query(
      `INSERT INTO ${s}.calendar (hotel_id, room_type_id, date, total, overbooking_limit)
       SELECT 'h1', 'std', d::date, 3, 0
       FROM generate_series($1::date, $1::date + 4, interval '1 day') AS d`,
      [day(0)],
    );
    // Reservations written by the release-2 apply_booking, in the release-2 shape.
    const legacy = (id: string, status: 'held' | 'confirmed', updatedAt: string) => ({
      id,
      hotelId: 'h1',
      status,
      checkIn: day(1),
      checkOut: day(3),
      lines: [
        {
          roomTypeId: 'std',
          rooms: 1,
          adults: 2,
          children: 0,
          nights: [
            { date: day(1), amount: 10_000 },
            { date: day(2), amount: 12_000 },
          ],
          total: 22_000,
        },
      ],
      guest: { name: 'Old Guest', email: `${id}@example.com` },
      currency: 'CHF',
      total: 22_000,
      idempotencyKey: `key-${id}`,
      requestFingerprint: 'fp',
      holdExpiresAt: status === 'held' ? '2031-03-01T00:15:00.000Z' : null,
      createdAt: T0,
      updatedAt,
      version: 1,
      history: [{ at: T0, action: 'created', status }],
    });
    const old = [
      legacy('old-1', 'confirmed', '2031-02-01T10:00:00.000Z'),
      legacy('old-2', 'held', '2031-02-02T11:30:00.000Z'),
    ];
    for (const r of old) {
      const { rows } = await admin.query(
        `SELECT o_kind FROM ${s}.apply_booking(NULL, 'h1', $1, $2, $3, $4, $5, $6, $7, $8, 'fp',
           1, $9, '{std,std}', $10, '{1,1}', '{std,std}', $10, '{1,1}')`,
        [
          r.id,
          r.status,
          r.checkIn,
          r.checkOut,
          r.guest.email,
          r.createdAt,
          r.holdExpiresAt,
          r.idempotencyKey,
          JSON.stringify(r),
          [day(1), day(2)],
        ],
      );
      expect(rows[0].o_kind).toBe('created');
    }
    const before = await admin.query(
      `SELECT (SELECT count(*)::int FROM ${s}.events) AS events,
              (SELECT sum(reserved)::int FROM ${s}.calendar) AS reserved`,
    );
    expect(before.rows[0]).toEqual({ events: 2, reserved: 4 });

    expect(await migrate({ pool: admin }, { schema })).toEqual({
      schema,
      applied: MIGRATIONS.map((m) => m.version).filter((v) => v >= 3),
      version: SCHEMA_VERSION,
    });

    const after = await admin.query(
      `SELECT (SELECT count(*)::int FROM ${s}.events) AS events,
              (SELECT sum(reserved)::int FROM ${s}.calendar) AS reserved`,
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
    const { rows } = await admin.query(
      `SELECT reservation_id, status, payment_pending,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
       FROM ${s}.reservations ORDER BY reservation_id`,
    );
    expect(rows).toEqual([
      {
        reservation_id: 'old-1',
        status: 'confirmed',
        payment_pending: null,
        updated_at: '2031-02-01T10:00:00.000Z',
      },
      {
        reservation_id: 'old-2',
        status: 'held',
        payment_pending: null,
        updated_at: '2031-02-02T11:30:00.000Z',
      },
    ]);

    // The documents gained what the core now requires, and kept everything they had.
    const store = createPostgresStore({ pool: admin }, { schema });
    const upgraded = await store.getReservation('old-1');
    const original = old[0] as (typeof old)[0];
    expect(upgraded).toMatchObject({ ...original, lines: [expect.any(Object)] });
    expect(upgraded).toMatchObject({
      roomCharge: 22_000,
      taxTotal: 0,
      payment: null,
      settlement: null,
      // 15:00 in Zurich (CET, UTC+1) on the arrival date.
      cancellation: {
        checkInAt: `${day(1)}T14:00:00.000Z`,
        freeUntil: null,
        windows: [],
        noShowFee: 0,
      },
    });
    expect(upgraded?.lines).toEqual([
      {
        roomTypeId: 'std',
        ratePlanId: 'standard',
        rooms: 1,
        adults: 2,
        children: 0,
        nights: [
          { date: day(1), rate: 10_000, supplements: 0, discount: 0, amount: 10_000, tax: 0 },
          { date: day(2), rate: 12_000, supplements: 0, discount: 0, amount: 12_000, tax: 0 },
        ],
        taxes: [],
        roomCharge: 22_000,
        taxTotal: 0,
        total: 22_000,
        policy: null,
      },
    ]);
    expect(await store.readStay({ hotelId: 'h1', from: day(0), to: day(1) })).toMatchObject({
      rateCard: null,
    });

    // And the new version's commands work on them: a no-show (a status release 2 did not
    // allow), an old hold expired, a rate card stored.
    const noShow = await markNoShow(store, {
      reservationId: 'old-1',
      at: `${day(2)}T08:00:00.000Z`,
    });
    expect(noShow).toMatchObject({
      kind: 'applied',
      reservation: { status: 'no-show', settlement: { penalty: 0, refund: 0 } },
    });
    const expired = await store.expireHolds({ now: `${day(0)}T01:00:00.000Z`, limit: 10 });
    expect(expired.map((r) => r.id)).toEqual(['old-2']);
    expect(await store.audit()).toMatchObject({ ok: true, reservationsChecked: 2 });
    const { rows: left } = await admin.query(`SELECT sum(reserved)::int AS n FROM ${s}.calendar`);
    expect(left[0].n).toBe(0);
    expect(
      await store.putRateCard(
        {
          hotelId: 'h1',
          revision: 1,
          updatedAt: T0,
          checkInTime: '15:00',
          ratePlans: [],
          restrictions: [],
          taxes: [],
          cancellationPolicies: [],
        },
        0,
      ),
    ).toBe('updated');
    // The release-2 function signatures are gone: nothing writes rows without the new columns.
    const { rows: fns } = await admin.query(
      `SELECT p.proname, p.pronargs FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 AND p.proname IN ('apply_booking', 'apply_reservation_change')
       ORDER BY p.proname, p.pronargs`,
      [schema],
    );
    expect(fns).toEqual([
      // Migration 11 adds a 22-argument overload (the pricing revision) and keeps this one
      // for a rolling upgrade from the release before.
      { proname: 'apply_booking', pronargs: 21 },
      { proname: 'apply_booking', pronargs: 22 },
      { proname: 'apply_reservation_change', pronargs: 19 },
    ]);
  });

  test('from version 3 to 4: a cancellation releasing a night without a calendar row, answered unavailable before, is refused with nothing written; the rest keeps working', async () => {
    const schema = uniqueSchema('v3');
    const s = `"${schema}"`;
    await admin.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const m of MIGRATIONS.slice(0, 3)) {
      await admin.query(m.sql(s));
      await admin.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
    }
    const store = createPostgresStore({ pool: admin }, { schema });
    // h1 has no calendar rows at all, h2 the first 10 days of std. At h1 a reservation
    // whose plan claimed nothing (the books already disagree); at h2 an ordinary booking.
    const before12 = { pool: admin, schema };
    await seedHotel(store, 'h1', { roomTypes: ['std', 'bare'], days: 0, before12 });
    await seedHotel(store, 'h2', { before12 });
    const drifted = reservation('h1', { lines: [line('bare', 1, 2)] });
    const book = (planned: Parameters<typeof applyBookingBeforePricing>[2]) =>
      applyBookingBeforePricing(admin, schema, planned);
    expect(await book({ reservation: drifted, deltas: [] })).toBe('created');
    const ordinary = reservation('h2');
    expect(
      await book({
        reservation: ordinary,
        deltas: [
          { roomTypeId: 'std', date: day(1), rooms: 1 },
          { roomTypeId: 'std', date: day(2), rooms: 1 },
        ],
      }),
    ).toBe('created');
    const cancel = (reservationId: string) =>
      applyCancellation(store, { reservationId, at: `${day(0)}T09:00:00.000Z` });
    // Version 3's answer: as if a release could lack room.
    expect(await cancel(drifted.id)).toEqual({ kind: 'unavailable', nights: [] });

    expect(await migrate({ pool: admin }, { schema })).toEqual({
      schema,
      applied: MIGRATIONS.map((m) => m.version).filter((v) => v >= 4),
      version: SCHEMA_VERSION,
    });
    const events = await store.readEvents(0, 100);
    await expect(cancel(drifted.id)).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringMatching(/missing calendar row or more rooms than it has reserved/),
    });
    expect(await store.getReservation(drifted.id)).toEqual(drifted);
    expect(await store.readEvents(0, 100)).toEqual(events);
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM ${s}.calendar WHERE room_type_id = 'bare'`,
    );
    expect(rows[0].n).toBe(0);
    // An ordinary cancellation still releases its rooms, with its event.
    expect(await cancel(ordinary.id)).toMatchObject({
      kind: 'applied',
      reservation: { status: 'cancelled' },
    });
    expect(await store.readStay({ hotelId: 'h2', from: day(1), to: day(3) })).toMatchObject({
      days: [{ reserved: 0 }, { reserved: 0 }],
    });
    expect(await store.readEvents(0, 100)).toHaveLength(events.length + 1);
  });

  test('from version 4 to 5: a reservation of release 4 can be checked in and out afterwards, not before', async () => {
    const schema = uniqueSchema('v4');
    const s = `"${schema}"`;
    await admin.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const m of MIGRATIONS.slice(0, 4)) {
      await admin.query(m.sql(s));
      await admin.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
    }
    const store = createPostgresStore({ pool: admin }, { schema });
    await seedHotel(store, 'h1', { before12: { pool: admin, schema } });
    const stay = reservation('h1');
    const claim = stay.lines[0]?.nights.map((n) => ({ roomTypeId: 'std', date: n.date, rooms: 1 }));
    expect(
      await applyBookingBeforePricing(admin, schema, { reservation: stay, deltas: claim ?? [] }),
    ).toBe('created');
    const checkIn = (r: typeof stay) => ({
      kind: 'apply' as const,
      next: { ...r, status: 'checked-in' as const, version: r.version + 1 },
      deltas: [],
      action: 'checked-in' as const,
    });
    // Version 4's status CHECK does not know the stay after booking: nothing is written.
    await expect(store.changeReservation(stay.id, checkIn)).rejects.toMatchObject({
      code: 'STORAGE',
    });
    expect(await store.getReservation(stay.id)).toEqual(stay);

    expect(await migrate({ pool: admin }, { schema })).toEqual({
      schema,
      applied: MIGRATIONS.map((m) => m.version).filter((v) => v >= 5),
      version: SCHEMA_VERSION,
    });
    expect(await store.getReservation(stay.id)).toEqual(stay);
    expect(await store.changeReservation(stay.id, checkIn)).toMatchObject({
      kind: 'applied',
      reservation: { status: 'checked-in', version: 2 },
    });
    // Both statuses hold their nights: the audit counts them.
    expect((await store.audit()).ok).toBe(true);
  });

  test('from version 9 to 10: archived keys and events are kept, then keys are forgotten and the feed pruned', async () => {
    const schema = uniqueSchema('v9');
    const s = `"${schema}"`;
    await admin.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const m of MIGRATIONS.slice(0, 9)) {
      await admin.query(m.sql(s));
      await admin.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
    }
    await admin.query(`INSERT INTO ${s}.archived_reservations
        (reservation_id, hotel_id, idempotency_key, request_fingerprint, guest_email, check_out, file, archived_at)
      VALUES ('r1', 'h1', 'k1', 'fp', 'ada@example.com', '2030-06-03', 'f1', '2030-09-01T00:00:00Z'),
             ('r2', 'h1', 'k2', 'fp', 'ada@example.com', '2030-06-03', 'f1', '2030-10-01T00:00:00Z');
      INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
      VALUES ('h1', 'inventory.changed', '2030-06-01T00:00:00Z', NULL, '[]'),
             ('h1', 'inventory.changed', '2030-06-02T00:00:00Z', NULL, '[]')`);
    expect(await migrate({ pool: admin }, { schema })).toEqual({
      schema,
      applied: MIGRATIONS.map((m) => m.version).filter((v) => v >= 10),
      version: SCHEMA_VERSION,
    });
    const store = createPostgresStore({ pool: admin }, { schema });
    const entries = await store.findArchived({ by: 'ids', reservationIds: ['r1', 'r2'] });
    expect(entries.map((e) => [e.reservationId, e.idempotencyKey])).toEqual([
      ['r1', 'k1'],
      ['r2', 'k2'],
    ]);
    expect(
      await store.forgetArchivedKeys({ archivedBy: '2030-09-15T00:00:00.000Z', limit: 10 }),
    ).toBe(1);
    expect(await store.findArchived({ by: 'key', hotelId: 'h1', idempotencyKey: 'k1' })).toEqual(
      [],
    );
    expect((await store.readEvents(0, 10)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await store.pruneEvents({ before: '2031-01-01T00:00:00.000Z', limit: 10 })).toEqual({
      pruned: 1,
      prunedThrough: 1,
    });
    await expect(store.readEvents(0, 10)).rejects.toMatchObject({ code: 'FEED_PRUNED' });
    expect(await store.listFeedCursors()).toEqual([]);
  });

  test('from version 10 to 11: bookings by the old apply_booking stay, and it keeps working; hotels start at pricing revision 0, which rate writes move and capacity writes leave', async () => {
    const schema = uniqueSchema('v10');
    const s = `"${schema}"`;
    await admin.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const m of MIGRATIONS.slice(0, 10)) {
      await admin.query(m.sql(s));
      await admin.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
    }
    const store = createPostgresStore({ pool: admin }, { schema });
    await seedHotel(store, 'h1', { before12: { pool: admin, schema } });
    const before = reservation('h1');
    expect(await applyBookingBeforePricing(admin, schema, plan(before))).toBe('created');

    expect(await migrate({ pool: admin }, { schema })).toEqual({
      schema,
      applied: MIGRATIONS.map((m) => m.version).filter((v) => v >= 11),
      version: SCHEMA_VERSION,
    });
    expect(await store.getReservation(before.id)).toEqual(before);
    // The release before still books on the migrated schema (a rolling upgrade).
    const during = reservation('h1', { from: 3, to: 4 });
    expect(await applyBookingBeforePricing(admin, schema, plan(during))).toBe('created');
    const revision = async () =>
      (await store.readStay({ hotelId: 'h1', from: day(1), to: day(2) }))?.pricingRevision;
    expect(await revision()).toBe(0);
    const night = {
      hotelId: 'h1',
      roomTypeId: 'std',
      dates: [day(1)],
      overbookingPercent: 0,
      allowOverbooked: true,
    };
    await store.updateCalendar({ ...night, total: { set: 7 } }, T0);
    expect(await revision()).toBe(0);
    await store.updateCalendar({ ...night, rate: 15_000 }, T0);
    expect(await revision()).toBe(1);
    const stale = reservation('h1');
    expect(await store.applyBooking({ ...plan(stale), pricingRevision: 0 })).toEqual({
      kind: 'repriced',
      pricingRevision: 1,
    });
    expect((await store.applyBooking({ ...plan(stale), pricingRevision: 1 })).kind).toBe('created');
    expect((await store.audit()).ok).toBe(true);
  });

  test('rejects schema names that are not plain identifiers', async () => {
    await expect(migrate({ pool: admin }, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      /Invalid schema name/,
    );
    expect(() => createPostgresStore({ pool: admin }, { schema: '1abc' })).toThrow(
      /Invalid schema name/,
    );
  });
});
