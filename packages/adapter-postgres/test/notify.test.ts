import { bookingRequest, createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { isInnkeeperError } from '@innkeeper/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createPostgresStore,
  createPostgresWake,
  DEFAULT_NOTIFY_CHANNEL,
  installNotifyTrigger,
  notifyTriggerSql,
} from '../src/index.js';
import { databaseUrl, dropSchema, freshSchema, newPool } from './support/test-database.js';

/**
 * Change notifications: the trigger `installNotifyTrigger` puts on the events table, and
 * the LISTEN side (`createPostgresWake`) a feed consumer such as the Redis cache's relay
 * is woken by.
 */

const admin = newPool(4);
let schema = '';
/** A channel of this file's own: other test files (and machines) never wake it. */
const channel = `ik_notify_${process.pid}`;

beforeAll(async () => {
  schema = await freshSchema(admin, 'notify');
  await installNotifyTrigger(admin, schema, channel);
});
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

/**
 * Counts wake-ups; `next(what)` resolves at the next one, or rejects after 20 s (a cold
 * server on a loaded machine can take seconds over a first booking).
 */
function wakeCounter() {
  let count = 0;
  let waiters: (() => void)[] = [];
  return {
    onWake: () => {
      count++;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
    get count() {
      return count;
    },
    /** Resolves once 200 ms have passed without a wake-up. */
    async settled(): Promise<void> {
      for (let seen = -1; seen !== count; ) {
        seen = count;
        await sleep(200);
      }
    },
    next(what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no wake-up: ${what}`)), 20_000);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

async function insertEvent(how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "${schema}".events (hotel_id, type, at, reservation_id, days)
       VALUES ($1, 'inventory.changed', now(), NULL, '[]')`,
      [HOTEL_ID],
    );
    await client.query(how);
  } finally {
    client.release();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('installNotifyTrigger', () => {
  test('is idempotent: one trigger on the events table, however often it runs', async () => {
    await installNotifyTrigger(admin, schema, channel);
    await installNotifyTrigger(admin, schema, channel);
    const { rows } = await admin.query(
      `SELECT tgname FROM pg_trigger
       WHERE tgrelid = $1::regclass AND NOT tgisinternal`,
      [`"${schema}".events`],
    );
    expect(rows).toEqual([{ tgname: 'innkeeper_cache_notify' }]);
  });

  test('refuses schema and channel names that are not plain identifiers (VALIDATION)', () => {
    for (const [call, path] of [
      [() => notifyTriggerSql('bad"schema'), 'schema'],
      [() => notifyTriggerSql('innkeeper', 'bad channel'), 'channel'],
      [() => notifyTriggerSql('innkeeper', "x'); DROP TABLE t; --"), 'channel'],
    ] as const) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(isInnkeeperError(error) && error.code).toBe('VALIDATION');
      expect(JSON.stringify((error as { details?: unknown }).details)).toContain(path);
    }
    expect(() => createPostgresWake(admin, '1channel')).toThrow(/channel/);
    expect(notifyTriggerSql()).toContain(`pg_notify('${DEFAULT_NOTIFY_CHANNEL}'`);
  });
});

describe('createPostgresWake', () => {
  test('wakes on a committed booking, not on a rolled-back event insert, and stops on request', async () => {
    const pool = newPool(2);
    const store = createPostgresStore({ pool }, { schema });
    const wakes = wakeCounter();
    const stop = await createPostgresWake(pool, channel)(wakes.onWake);
    try {
      const { inn } = await createFixture(store);
      await wakes.settled(); // the fixture's own events (inventory) wake it too
      const before = wakes.count;
      const woken = wakes.next('booking');
      await inn.book(bookingRequest({ checkIn: day(1), checkOut: day(3) }));
      await woken;
      expect(wakes.count).toBe(before + 1);

      await insertEvent('ROLLBACK');
      await sleep(200);
      expect(wakes.count).toBe(before + 1);
      const committed = wakes.next('commit');
      await insertEvent('COMMIT');
      await committed;
    } finally {
      await stop();
    }
    // Stopped: the client went back to the pool, and commits wake nobody any more.
    const stopped = wakes.count;
    await insertEvent('COMMIT');
    await sleep(200);
    expect(wakes.count).toBe(stopped);
    expect(pool.totalCount - pool.idleCount).toBe(0);
    await store.close();
    await pool.end();
  });

  test('a listening connection that is terminated is replaced, with one wake-up for what was missed', async () => {
    const app = `ik-notify-${process.pid}`;
    const url = new URL(databaseUrl());
    url.searchParams.set('application_name', app);
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    pool.on('error', () => {});
    const errors: unknown[] = [];
    const wakes = wakeCounter();
    const stop = await createPostgresWake(pool, channel, { onError: (e) => errors.push(e) })(
      wakes.onWake,
    );
    try {
      const { rows } = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
        [app],
      );
      expect(rows).toHaveLength(1);
      const reconnected = wakes.next('reconnected');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await reconnected; // the wake-up for events that may have been missed
      expect(errors.length).toBeGreaterThan(0);

      const count = wakes.count;
      const woken = wakes.next('after reconnecting');
      await insertEvent('COMMIT');
      await woken; // listening again on the new connection
      expect(wakes.count).toBe(count + 1);
    } finally {
      await stop();
      await pool.end();
    }
  });
});
