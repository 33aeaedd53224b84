import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool } from './support/test-database.js';

/**
 * The store's statements are prepared once per connection, each under its own name
 * (`ik_<schema hash>_<name>`): Postgres then parses and plans each once per connection,
 * not per call. Checked for the archive's and the feed's retention statements on a pool
 * of one connection, whose `pg_prepared_statements` shows what the store prepared.
 */

const DAY_MS = 86_400_000;
const pool = newPool(1);
let schema = '';
beforeAll(async () => {
  schema = await freshSchema(pool, 'prepared');
});
afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

test('the archive and retention statements are prepared under their own names, one text each', async () => {
  const store = createPostgresStore({ pool }, { schema });
  const { inn, clock } = await createFixture(store);
  const booked = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));
  await inn.cancel({ reservationId: booked.id });
  clock.advance(100 * DAY_MS);
  await inn.archive();
  await store.findArchived({ by: 'key', hotelId: HOTEL_ID, idempotencyKey: booked.idempotencyKey });
  await store.findArchived({ by: 'guest', email: booked.guest.email, limit: 5 });
  await store.forgetArchivedKeys({ archivedBy: clock.now().toISOString(), limit: 5 });
  await store.forgetArchivedKeys({
    archivedBy: clock.now().toISOString(),
    limit: 5,
    key: { hotelId: HOTEL_ID, idempotencyKey: booked.idempotencyKey },
  });
  await store.eraseArchivedEntries([booked.id]);
  await store.saveFeedCursor({ name: 'c', seq: 1, updatedAt: clock.now().toISOString() });
  await store.listFeedCursors();
  await store.deleteFeedCursor('c');
  await store.pruneEvents({ before: clock.now().toISOString(), limit: 5 });
  await store.readEvents(0, 5).catch(() => []);

  const { rows } = await pool.query<{ name: string; statement: string }>(
    'SELECT name, statement FROM pg_prepared_statements',
  );
  const byName = new Map<string, Set<string>>();
  for (const row of rows) {
    const short = row.name.replace(/^ik_[0-9a-z]+_/, '');
    byName.set(short, (byName.get(short) ?? new Set()).add(row.statement));
  }
  const expected = [
    'archivable',
    'calendarBefore',
    'removeArchivedReservations',
    'removeArchivedDays',
    'raiseArchiveHorizon',
    'archivedByIds',
    'archivedByKey',
    'archivedByGuest',
    'forgetArchivedKeys',
    'forgetArchivedKey',
    'eraseArchivedEntries',
    'feedPrunedThrough',
    'pruneEvents',
    'saveFeedCursor',
    'listFeedCursors',
    'deleteFeedCursor',
  ];
  expect(expected.filter((name) => !byName.has(name))).toEqual([]);
  expect([...byName].filter(([, texts]) => texts.size > 1).map(([name]) => name)).toEqual([]);
  expect(rows.every((row) => row.name.startsWith('ik_'))).toBe(true);
});
