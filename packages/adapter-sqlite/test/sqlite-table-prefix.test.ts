import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays,
  createInnkeeper,
  createManualClock,
  EMPTY_HOTEL_PROFILE,
  EMPTY_ROOM_TYPE_PROFILE,
  type InnkeeperStore,
  isInnkeeperError,
} from '@innkeeper/core';
import Database from 'better-sqlite3';
import { afterAll, describe, test } from 'vitest';
import {
  createSqliteStore,
  DEFAULT_SQLITE_TABLE_PREFIX,
  migrate,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  type SqliteStore,
  sqliteTableNames,
} from '../src/index.js';
import { tableNamesWith } from '../src/sqlite-table-names.js';
import {
  LEGACY_EXPECTED,
  LEGACY_FIXTURE,
  LEGACY_TABLES,
  LEGACY_VERSION,
  snapshotOf,
} from './fixtures/make-legacy-fixture.js';
import { makeTempDir } from './sqlite-temp-files.js';

const dir = makeTempDir('innkeeper-prefix-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `prefix-${++files}.db`);

/** A private copy of the committed legacy file: the fixture itself is never opened. */
function legacyCopy(): string {
  const file = newFile();
  copyFileSync(LEGACY_FIXTURE, file);
  return file;
}

/**
 * What the legacy file reads as today: the snapshot taken when it was made, its hotels and
 * room types with the empty profile and `active` that migration 10 gives rows written
 * before it.
 */
const expected = withCatalogDefaults(JSON.parse(readFileSync(LEGACY_EXPECTED, 'utf8')));

function withCatalogDefaults<
  S extends { hotels: { hotel: object; stay: { hotel: object; roomTypes: object[] } | null }[] },
>(snapshot: S): S {
  const hotelDefaults = { active: true, ...EMPTY_HOTEL_PROFILE };
  const roomTypeDefaults = { active: true, ...EMPTY_ROOM_TYPE_PROFILE, displayOrder: 0 };
  for (const entry of snapshot.hotels) {
    Object.assign(entry.hotel, hotelDefaults);
    if (entry.stay) {
      Object.assign(entry.stay.hotel, hotelDefaults);
      for (const roomType of entry.stay.roomTypes) Object.assign(roomType, roomTypeDefaults);
    }
  }
  return snapshot;
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Everything in a file's schema, with a connection of its own (closed again). */
function schemaOf(file: string): SchemaRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
      .all() as SchemaRow[];
  } finally {
    db.close();
  }
}

function names(rows: SchemaRow[], type: string): string[] {
  return rows.filter((r) => r.type === type).map((r) => r.name);
}

function userVersionOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.pragma('user_version', { simple: true }));
  } finally {
    db.close();
  }
}

function engineOn(store: InnkeeperStore, at = '2030-03-02T10:00:00.000Z') {
  let next = 0;
  return createInnkeeper({
    store,
    clock: createManualClock(at),
    generateId: () => `new-${++next}`,
  });
}

/** The tables a store has today: the legacy release's and those of later migrations. */
const TABLES = [
  ...LEGACY_TABLES,
  'room_nights',
  'rooms',
  'archived_reservations',
  'archive_horizons',
  'feed_cursors',
  'feed_state',
].sort();
const PREFIXED_TABLES = TABLES.map((t) => `innkeeper_${t}`);

describe('a file of the release before table prefixes (test/fixtures/legacy-v2.db)', () => {
  test('the migrations with an empty prefix build exactly the schema that release wrote', () => {
    const db = new Database(':memory:');
    try {
      const legacy = tableNamesWith('');
      // That release stopped at LEGACY_VERSION; later migrations are this release's.
      for (const migration of SQLITE_MIGRATIONS.slice(0, LEGACY_VERSION)) {
        db.exec(migration.sql(legacy));
        migration.upgrade?.(db, legacy);
      }
      const built = db
        .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
        .all();
      assert.deepEqual(built, schemaOf(legacyCopy()));
    } finally {
      db.close();
    }
  });

  test('opening it renames its tables and indexes to the prefix, records the version in innkeeper_schema_migrations, and every row reads back as it was written', async () => {
    const file = legacyCopy();
    assert.equal(userVersionOf(file), LEGACY_VERSION);
    const store = createSqliteStore({ filename: file });
    try {
      const db = store.database;
      const schema = db
        .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
        .all() as SchemaRow[];
      assert.deepEqual(names(schema, 'table'), [...PREFIXED_TABLES, 'innkeeper_schema_migrations']);
      assert.deepEqual(
        names(schema, 'index').filter((n) => !n.startsWith('sqlite_autoindex')),
        [
          'innkeeper_archived_by_guest',
          'innkeeper_archived_keys_by_age',
          'innkeeper_hotels_by_city',
          'innkeeper_hotels_by_country',
          'innkeeper_hotels_by_location',
          'innkeeper_reservations_by_arrival',
          'innkeeper_reservations_by_departure',
          'innkeeper_reservations_by_external_ref',
          'innkeeper_reservations_by_guest',
          'innkeeper_reservations_by_hotel',
          'innkeeper_reservations_held_by_expiry',
          'innkeeper_reservations_in_house',
          'innkeeper_reservations_payment_pending',
          'innkeeper_room_nights_by_reservation',
          'innkeeper_rooms_by_number',
        ],
      );
      // Foreign keys follow the renamed tables: nothing still points at an old name.
      for (const row of schema) {
        assert.doesNotMatch(row.sql ?? '', /REFERENCES "?(hotels|room_types)"? /, row.name);
      }
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      assert.deepEqual(
        db.prepare('SELECT version, name, note FROM innkeeper_schema_migrations').all(),
        SQLITE_MIGRATIONS.map((m) => ({
          version: m.version,
          name: m.name,
          // The versions the file was at are taken over; the later ones ran on it.
          note:
            m.version <= LEGACY_VERSION
              ? 'taken over from a file with PRAGMA user_version 2 and unprefixed tables'
              : null,
        })),
      );
      // user_version is the application's: read to recognise the file, never written.
      assert.equal(db.pragma('user_version', { simple: true }), LEGACY_VERSION);

      assert.deepEqual(JSON.parse(JSON.stringify(await snapshotOf(store))), expected);
    } finally {
      await store.close();
    }
  });

  test('the store works on the migrated data: book, cancel a migrated reservation, an audit with zero drift, the feed continues', async () => {
    const store = createSqliteStore({ filename: legacyCopy() });
    try {
      const inn = engineOn(store);
      const lastSeq = (await store.readEvents(0, 10_000)).at(-1)?.seq ?? 0;
      assert.equal(lastSeq, expected.events.length);
      const reservedOn = async (hotelId: string, roomTypeId: string, date: string) =>
        (await inn.getCalendar({ hotelId, roomTypeId, from: date, to: date }))[0]?.reserved;

      // Porto's res-007: 3 doubles on the nights of March 5, 6 and 7.
      assert.equal(await reservedOn('porto', 'double', '2030-03-06'), 3);
      const cancelled = await inn.cancel({ reservationId: 'res-007', reason: 'after migrating' });
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(await reservedOn('porto', 'double', '2030-03-06'), 0);

      const booked = await inn.book({
        idempotencyKey: 'after-migration',
        hotelId: 'lisbon',
        checkIn: '2030-03-14',
        checkOut: '2030-03-16',
        guest: { name: 'Di Nunes', email: 'ana@example.com' },
        lines: [{ roomTypeId: 'double', adults: 2 }],
      });
      // The migrated key index still answers replays, and refuses a reused key.
      assert.equal((await inn.book({ ...bookAgain(booked) })).id, booked.id);
      assert.equal(
        (
          await inn.getCalendar({
            hotelId: 'lisbon',
            roomTypeId: 'double',
            from: '2030-03-15',
            to: '2030-03-15',
          })
        )[0]?.reserved,
        2 + 1, // res-001's 2 rooms (res-002 is a suite, res-003 cancelled) + this one
      );
      // Written to the prefixed table; the unprefixed one is gone.
      assert.deepEqual(
        store.database
          .prepare('SELECT status, version FROM innkeeper_reservations WHERE reservation_id = ?')
          .get('res-007'),
        { status: 'cancelled', version: cancelled.version },
      );
      assert.equal(
        store.database.prepare("SELECT 1 FROM sqlite_master WHERE name = 'reservations'").get(),
        undefined,
      );
      const page = await inn.listReservations({ guestEmail: 'ana@example.com', limit: 10 });
      assert.deepEqual(
        page.items.map((r) => r.id),
        ['new-1', 'res-006', 'res-002', 'res-001'],
      );
      const audit = await inn.audit();
      assert.deepEqual(audit.findings, []);
      assert.equal(audit.ok, true);
      const events = await store.readEvents(lastSeq, 100);
      assert.deepEqual(
        events.map((e) => [e.seq, e.type, e.reservationId]),
        [
          [lastSeq + 1, 'reservation.cancelled', 'res-007'],
          [lastSeq + 2, 'reservation.created', booked.id],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test('migrate() takes it over once: reopening and migrating again change nothing', async () => {
    const file = legacyCopy();
    assert.deepEqual(migrate({ filename: file }), {
      from: LEGACY_VERSION,
      to: SQLITE_SCHEMA_VERSION,
      legacyTablesRenamed: true,
    });
    const migrated = schemaOf(file);
    const recorded = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT * FROM innkeeper_schema_migrations').all();
      } finally {
        db.close();
      }
    };
    const rows = recorded();
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(migrate({ filename: file }), {
        from: SQLITE_SCHEMA_VERSION,
        to: SQLITE_SCHEMA_VERSION,
        legacyTablesRenamed: false,
      });
      const store = createSqliteStore({ filename: file });
      assert.deepEqual(JSON.parse(JSON.stringify(await snapshotOf(store))), expected);
      await store.close();
      assert.deepEqual(schemaOf(file), migrated);
      assert.deepEqual(recorded(), rows);
    }
    assert.equal(userVersionOf(file), LEGACY_VERSION);
  });

  test('with another tablePrefix its tables get that prefix, and the default-prefixed store then starts empty beside them', async () => {
    const file = legacyCopy();
    const inn = createSqliteStore({ filename: file }, { tablePrefix: 'inn_' });
    assert.equal(inn.tables.reservations, 'inn_reservations');
    assert.deepEqual(JSON.parse(JSON.stringify(await snapshotOf(inn))), expected);
    await inn.close();
    const other = createSqliteStore({ filename: file });
    assert.deepEqual(await other.listHotels({ limit: 10 }), []);
    await other.close();
    assert.deepEqual(names(schemaOf(file), 'table'), [
      ...TABLES.map((t) => `inn_${t}`),
      'inn_schema_migrations',
      ...PREFIXED_TABLES,
      'innkeeper_schema_migrations',
    ]);
  });

  test("the planner's statistics (ANALYZE, PRAGMA optimize) move with the tables and indexes", async () => {
    const file = legacyCopy();
    const db = new Database(file);
    db.exec('ANALYZE');
    const before = db
      .prepare('SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx')
      .all() as {
      tbl: string;
      idx: string | null;
      stat: string;
    }[];
    db.close();
    assert.ok(before.some((r) => r.idx === 'reservations_by_hotel'));
    assert.ok(before.some((r) => r.idx === 'sqlite_autoindex_reservations_2'));
    assert.ok(
      before.some((r) => r.idx === 'calendar'),
      'a WITHOUT ROWID table is its own index',
    );
    const store = createSqliteStore({ filename: file });
    try {
      const after = store.database
        .prepare('SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx')
        .all();
      const renamed = (name: string | null) =>
        name === null
          ? null
          : name.startsWith('sqlite_autoindex_')
            ? name.replace('sqlite_autoindex_', 'sqlite_autoindex_innkeeper_')
            : `innkeeper_${name}`;
      assert.deepEqual(
        after,
        before
          .map((r) => ({ tbl: `innkeeper_${r.tbl}`, idx: renamed(r.idx), stat: r.stat }))
          .sort((x, y) =>
            x.tbl < y.tbl || (x.tbl === y.tbl && (x.idx ?? '') < (y.idx ?? '')) ? -1 : 1,
          ),
      );
      // Every statistic names an index that exists (or a WITHOUT ROWID table).
      const objects = new Set(
        (store.database.prepare('SELECT name FROM sqlite_master').all() as { name: string }[]).map(
          (r) => r.name,
        ),
      );
      for (const { idx } of after as { idx: string | null }[]) {
        if (idx !== null) assert.ok(objects.has(idx), idx);
      }
      assert.equal((await store.audit()).ok, true);
    } finally {
      await store.close();
    }
  });

  test('a read-only store, or migrate: false, refuses it with a STORAGE error saying to migrate, and leaves it as it was', () => {
    const file = legacyCopy();
    const before = schemaOf(file);
    for (const options of [{ readonly: true }, { migrate: false }]) {
      assert.throws(
        () => createSqliteStore({ filename: file }, options),
        (error: unknown) =>
          isInnkeeperError(error, 'STORAGE') &&
          /has schema version 0, not \d+: it is a file of an earlier release \(PRAGMA user_version 2, unprefixed tables\); run migrate\(\)/.test(
            error.message,
          ),
      );
    }
    assert.deepEqual(schemaOf(file), before);
  });

  test('the takeover is one transaction: when a rename fails half-way, nothing of it is left', async () => {
    const file = legacyCopy();
    // An application table already holds the name the change feed would get, and the
    // feed is renamed last: every other table is renamed before the failure.
    const db = new Database(file);
    db.exec('CREATE TABLE innkeeper_events (id INTEGER PRIMARY KEY, note TEXT)');
    db.prepare("INSERT INTO innkeeper_events (note) VALUES ('the app''s own')").run();
    db.close();
    const before = schemaOf(file);
    assert.throws(
      () => createSqliteStore({ filename: file }),
      (error: unknown) =>
        isInnkeeperError(error, 'STORAGE') && /innkeeper_events/.test(error.message),
    );
    assert.deepEqual(schemaOf(file), before);
    assert.equal(userVersionOf(file), LEGACY_VERSION);

    // Once the name is free again, the same file is taken over whole.
    const fix = new Database(file);
    fix.exec('ALTER TABLE innkeeper_events RENAME TO app_notes');
    fix.close();
    const store = createSqliteStore({ filename: file });
    await store.close();
    assert.deepEqual(
      names(schemaOf(file), 'table').filter((t) => t !== 'app_notes'),
      [...PREFIXED_TABLES, 'innkeeper_schema_migrations'],
    );
  });

  test('a legacy file whose tables were altered by hand is not taken over: a STORAGE error says why, nothing changes', () => {
    const file = legacyCopy();
    const db = new Database(file);
    db.exec('ALTER TABLE reservations ADD COLUMN loyalty_number TEXT');
    db.close();
    const before = schemaOf(file);
    assert.throws(
      () => createSqliteStore({ filename: file }),
      (error: unknown) =>
        isInnkeeperError(error, 'STORAGE') &&
        /looks like a file of an earlier @innkeeper\/adapter-sqlite .* but reservations differ/.test(
          error.message,
        ),
    );
    assert.deepEqual(schemaOf(file), before);
  });
});

function bookAgain(r: { idempotencyKey: string }) {
  return {
    idempotencyKey: r.idempotencyKey,
    hotelId: 'lisbon',
    checkIn: '2030-03-14',
    checkOut: '2030-03-16',
    guest: { name: 'Di Nunes', email: 'ana@example.com' },
    lines: [{ roomTypeId: 'double', adults: 2 }],
  };
}

describe("an application's own database file", () => {
  /**
   * An application's schema whose names are the very ones the store used to take
   * (hotels, reservations, events, rate_cards, an index reservations_by_guest), at its
   * own `user_version`.
   */
  function writeAppFile(file: string, userVersion: number): void {
    const db = new Database(file);
    db.exec(`
      CREATE TABLE hotels (id INTEGER PRIMARY KEY, name TEXT NOT NULL, stars INTEGER);
      CREATE TABLE room_types (hotel INTEGER REFERENCES hotels (id), code TEXT, PRIMARY KEY (hotel, code));
      CREATE TABLE calendar (day TEXT PRIMARY KEY, note TEXT);
      CREATE TABLE reservations (id INTEGER PRIMARY KEY, hotel INTEGER REFERENCES hotels (id), guest TEXT);
      CREATE INDEX reservations_by_guest ON reservations (guest);
      CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT);
      CREATE TABLE rate_cards (hotel INTEGER PRIMARY KEY, data TEXT);
      CREATE VIEW busy_hotels AS SELECT hotel, count(*) AS n FROM reservations GROUP BY hotel;
      INSERT INTO hotels VALUES (1, 'The App Hotel', 4), (2, 'Annex', 2);
      INSERT INTO reservations (hotel, guest) VALUES (1, 'zoe@example.com'), (1, 'yan@example.com');
      INSERT INTO events (what) VALUES ('app started');
    `);
    db.pragma(`user_version = ${userVersion}`);
    db.close();
  }

  /** The application's schema and rows: everything not the store's. */
  function appState(file: string) {
    const db = new Database(file, { readonly: true });
    try {
      const schema = (
        db
          .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name')
          .all() as SchemaRow[]
      ).filter((r) => !r.name.includes('innkeeper_'));
      const rows = Object.fromEntries(
        [
          'hotels',
          'room_types',
          'calendar',
          'reservations',
          'events',
          'rate_cards',
          'busy_hotels',
        ].map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]),
      );
      return { userVersion: db.pragma('user_version', { simple: true }), schema, rows };
    } finally {
      db.close();
    }
  }

  // 3: the issue's case (the old store refused it as "newer"); 1 and 2: the versions the
  // old store wrote, with tables of its names that are not its (never to be taken over).
  for (const userVersion of [3, 2, 1]) {
    test(`at user_version ${userVersion}, with tables named like the store's, opens fine and nothing of the application's changes`, async () => {
      const file = newFile();
      writeAppFile(file, userVersion);
      const before = appState(file);
      const store = createSqliteStore({ filename: file });
      try {
        const inn = engineOn(store);
        await inn.createHotel({ id: 'h1', name: 'Innkeeper', timeZone: 'UTC', currency: 'EUR' });
        await inn.createRoomType({
          hotelId: 'h1',
          id: 'std',
          name: 'Std',
          maxAdults: 2,
          baseRate: 9_000,
        });
        await inn.setInventory({
          hotelId: 'h1',
          roomTypeId: 'std',
          from: '2030-03-02',
          to: '2030-03-09',
          total: 2,
        });
        const r = await inn.book({
          idempotencyKey: 'k1',
          hotelId: 'h1',
          checkIn: '2030-03-03',
          checkOut: addDays('2030-03-03', 2),
          guest: { name: 'Zoe', email: 'zoe@example.com' },
          lines: [{ roomTypeId: 'std', adults: 1 }],
        });
        assert.equal(r.status, 'confirmed');
        assert.equal((await inn.audit()).ok, true);
        // The hotel, its room type, the inventory, the booking.
        assert.deepEqual(
          (await store.readEvents(0, 10)).map((e) => e.seq),
          [1, 2, 3, 4],
        );
      } finally {
        await store.close();
      }
      assert.deepEqual(appState(file), before);
      assert.equal(userVersionOf(file), userVersion);
      const reopened = createSqliteStore({ filename: file });
      assert.equal((await reopened.listHotels({ limit: 10 })).length, 1);
      await reopened.close();
      assert.deepEqual(appState(file), before);
    });
  }
});

describe('tablePrefix', () => {
  test('two stores with different prefixes in one file are independent', async () => {
    const file = newFile();
    const a = createSqliteStore({ filename: file });
    const b = createSqliteStore({ filename: file }, { tablePrefix: 'second_' });
    try {
      assert.equal(a.tables.hotels, `${DEFAULT_SQLITE_TABLE_PREFIX}hotels`);
      assert.equal(b.tables.hotels, 'second_hotels');
      const innA = engineOn(a);
      const innB = engineOn(b);
      for (const [inn, name, total] of [
        [innA, 'A', 3],
        [innB, 'B', 1],
      ] as const) {
        await inn.createHotel({ id: 'h1', name, timeZone: 'UTC', currency: 'EUR' });
        await inn.createRoomType({
          hotelId: 'h1',
          id: 'std',
          name: 'Std',
          maxAdults: 2,
          baseRate: 9_000,
        });
        await inn.setInventory({
          hotelId: 'h1',
          roomTypeId: 'std',
          from: '2030-03-02',
          to: '2030-03-09',
          total,
        });
      }
      const request = {
        idempotencyKey: 'same-key',
        hotelId: 'h1',
        checkIn: '2030-03-03',
        checkOut: '2030-03-05',
        guest: { name: 'Zoe', email: 'zoe@example.com' },
        lines: [{ roomTypeId: 'std', adults: 1 }],
      };
      const inA = await innA.book(request);
      // The same key in the other store is a new booking there, not a replay.
      const inB = await innB.book(request);
      assert.equal(inA.id, inB.id); // each engine's first id
      await innB.cancel({ reservationId: inB.id });
      assert.equal((await innA.getReservation(inA.id)).status, 'confirmed');
      assert.equal((await innA.getHotel('h1')).name, 'A');
      assert.equal((await innB.getHotel('h1')).name, 'B');
      const day = { hotelId: 'h1', roomTypeId: 'std', from: '2030-03-03', to: '2030-03-03' };
      assert.deepEqual(
        [(await innA.getCalendar(day))[0]?.reserved, (await innA.getCalendar(day))[0]?.total],
        [1, 3],
      );
      assert.deepEqual(
        [(await innB.getCalendar(day))[0]?.reserved, (await innB.getCalendar(day))[0]?.total],
        [0, 1],
      );
      // Each has its own change feed, from seq 1.
      assert.deepEqual(
        (await a.readEvents(0, 10)).map((e) => e.type),
        ['hotel.created', 'room-type.created', 'inventory.changed', 'reservation.created'],
      );
      assert.deepEqual(
        (await b.readEvents(0, 10)).map((e) => e.type),
        [
          'hotel.created',
          'room-type.created',
          'inventory.changed',
          'reservation.created',
          'reservation.cancelled',
        ],
      );
      assert.equal((await a.audit()).ok, true);
      assert.equal((await b.audit()).ok, true);
    } finally {
      await a.close();
      await b.close();
    }
    const tables = names(schemaOf(file), 'table');
    assert.deepEqual(
      tables.filter((t) => t.startsWith('second_')),
      [...TABLES.map((t) => `second_${t}`), 'second_schema_migrations'],
    );
    assert.equal(tables.length, 2 * (TABLES.length + 1));
    assert.equal(userVersionOf(file), 0);
  });

  const invalid: unknown[] = [
    '',
    '1abc_',
    'inn-keeper_',
    'inn keeper',
    'x"; DROP TABLE hotels; --',
    'sqlite_x',
    'SQLite_',
    'a'.repeat(33),
    'ünï_',
    42,
    {},
  ];

  test('an invalid prefix is a VALIDATION error at tablePrefix, before any file is touched', () => {
    for (const tablePrefix of invalid) {
      const file = newFile();
      const checks: [string, () => unknown][] = [
        [
          'createSqliteStore',
          () => createSqliteStore({ filename: file }, { tablePrefix: tablePrefix as string }),
        ],
        ['migrate', () => migrate({ filename: file }, { tablePrefix: tablePrefix as string })],
        ['sqliteTableNames', () => sqliteTableNames(tablePrefix as string)],
      ];
      for (const [name, run] of checks) {
        assert.throws(
          run,
          (error: unknown) =>
            isInnkeeperError(error, 'VALIDATION') &&
            error.details.issues.length === 1 &&
            error.details.issues[0]?.path.join('.') === 'tablePrefix',
          `${name} with ${JSON.stringify(tablePrefix)}`,
        );
      }
      assert.equal(existsSync(file), false, 'no file is created');
    }
  });

  test('valid prefixes name every table and index of the store, and nothing else', async () => {
    for (const tablePrefix of ['a', 'App_', '_x', 'tenant_42_', 'a'.repeat(32)]) {
      const names = sqliteTableNames(tablePrefix);
      assert.equal(names.prefix, tablePrefix);
      const store: SqliteStore = createSqliteStore({ filename: ':memory:' }, { tablePrefix });
      try {
        const objects = store.database
          .prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%'")
          .all() as { name: string }[];
        assert.ok(objects.length >= 11, `${objects.length} tables and indexes`);
        for (const { name } of objects) assert.ok(name.startsWith(tablePrefix), name);
        assert.deepEqual(store.tables, names);
      } finally {
        await store.close();
      }
    }
  });
});
