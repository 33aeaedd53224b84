import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool, resetSchema } from './support/test-database.js';

/**
 * The change feed's visibility rule: seqs are drawn before commit, so a reader must not
 * move past a seq whose transaction is still running, or it would never see that event.
 */

const admin = newPool(4);
let schema = '';
beforeAll(async () => {
  schema = await freshSchema(admin, 'feed');
});
beforeEach(async () => {
  await resetSchema(admin, schema);
});
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

/** A transaction that has drawn a seq (inserted an event) and has not committed yet. */
async function openEventTransaction() {
  const client = await admin.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ seq: string }>(
    `INSERT INTO "${schema}".events (hotel_id, type, at, reservation_id, days)
     VALUES ($1, 'inventory.changed', now(), NULL, '[]') RETURNING seq`,
    [HOTEL_ID],
  );
  return {
    seq: Number(rows[0]?.seq),
    end: async (how: 'COMMIT' | 'ROLLBACK') => {
      await client.query(how);
      client.release();
    },
  };
}

describe('readEvents() and transactions that commit out of seq order', () => {
  test('an event committed after a later one is never skipped: the reader stops before the open seq, then sees both in order', async () => {
    const store = createPostgresStore({ pool: admin }, { schema, feedWaitMs: 100 });
    const { inn } = await createFixture(store);
    const before = await store.readEvents(0, 100);
    const open = await openEventTransaction();
    const booked = await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(2) }));

    // The booking committed with seq open.seq + 1, but open.seq may still commit.
    const held = await store.readEvents(0, 100);
    expect(held).toEqual(before);
    expect(held.every((e) => e.seq < open.seq)).toBe(true);

    await open.end('COMMIT');
    const after = await store.readEvents(before.at(-1)?.seq ?? 0, 100);
    expect(after.map((e) => [e.seq, e.reservationId])).toEqual([
      [open.seq, null],
      [open.seq + 1, booked.id],
    ]);
  });

  test('a seq whose transaction rolled back is a permanent hole that readers step over', async () => {
    const store = createPostgresStore({ pool: admin }, { schema, feedWaitMs: 100 });
    const { inn } = await createFixture(store);
    const before = await store.readEvents(0, 100);
    const open = await openEventTransaction();
    const booked = await inn.book(bookingRequest());
    await open.end('ROLLBACK');
    const after = await store.readEvents(before.at(-1)?.seq ?? 0, 100);
    expect(after.map((e) => [e.seq, e.reservationId])).toEqual([[open.seq + 1, booked.id]]);
  });

  test('a reader waits (up to feedWaitMs) for the open transaction instead of returning a short page', async () => {
    const store = createPostgresStore({ pool: admin }, { schema, feedWaitMs: 5_000 });
    const { inn } = await createFixture(store);
    const open = await openEventTransaction();
    const booked = await inn.book(bookingRequest());
    const reading = store.readEvents(0, 100);
    setTimeout(() => void open.end('COMMIT'), 100);
    const events = await reading;
    expect(events.at(-1)?.reservationId).toBe(booked.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
