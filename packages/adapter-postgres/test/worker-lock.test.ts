import { randomBytes } from 'node:crypto';
import { createWorker, type Innkeeper } from '@innkeeper/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresWorkerLock } from '../src/index.js';
import { newPool } from './support/test-database.js';

/**
 * Leader election for the maintenance worker: one advisory lock per (schema, job) on a
 * dedicated connection. Two "servers" (two pools) race for the jobs; terminating the
 * leader's backend hands its jobs to the other.
 */
let pools: pg.Pool[] = [];
let admin: pg.Pool;
const schema = `ik_lock_${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  admin = newPool(2);
  pools = [newPool(2), newPool(2)];
});

afterAll(async () => {
  await Promise.all([admin, ...pools].map((p) => p.end()));
});

/** The backend holding the advisory lock of `job` in this test's schema, if any. */
async function holderPid(job: string): Promise<number | undefined> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid = hashtext('innkeeper.worker')::oid AND objid = hashtext($1)::oid`,
    [`${schema}:${job}`],
  );
  return rows[0]?.pid;
}

async function terminate(pid: number | undefined) {
  if (pid === undefined) throw new Error('no holder to terminate');
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  // The server ends the session asynchronously: wait until its lock is gone.
  for (let i = 0; i < 100 && (await holderPid('expire-holds')) === pid; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('createPostgresWorkerLock', () => {
  test('one holder per job; holding again is kept; released, the other takes it; schemas do not collide', async () => {
    const [a, b] = pools.map((pool) => createPostgresWorkerLock(pool, { schema }));
    const other = createPostgresWorkerLock(pools[1] as pg.Pool, { schema: `${schema}_other` });
    try {
      expect(await a?.acquire('no-shows')).toBe(true);
      expect(await b?.acquire('no-shows')).toBe(false);
      expect(await a?.acquire('no-shows')).toBe(true);
      expect(await b?.acquire('expire-holds')).toBe(true);
      expect(await other.acquire('no-shows')).toBe(true);
      await a?.release('no-shows');
      expect(await b?.acquire('no-shows')).toBe(true);
      expect(await a?.acquire('no-shows')).toBe(false);
    } finally {
      await Promise.all([a?.close(), b?.close(), other.close()]);
    }
  });

  test('jobs asking at once share one connection: closing the lock leaves the pool with nothing checked out', async () => {
    // A worker starts every job together, so the first acquires race for the connection.
    const pool = newPool(4);
    const lock = createPostgresWorkerLock(pool, { schema: `${schema}_race` });
    const jobs = ['expire-holds', 'recover-payments', 'no-shows'] as const;
    expect(await Promise.all(jobs.map((job) => lock.acquire(job)))).toEqual([true, true, true]);
    expect(pool.totalCount).toBe(1);
    await lock.close();
    expect(pool.totalCount - pool.idleCount).toBe(0);
    await pool.end(); // would wait forever on a client never given back
  });

  test('jobs asking at once never send the session two queries at a time (pg 9 refuses it)', async () => {
    const pool = newPool(2);
    let running = 0;
    let most = 0;
    // The lock's session, counting the queries it is running at once.
    const counted = {
      connect: async () => {
        const client = await pool.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(client, {
          query: (...args: unknown[]) => {
            most = Math.max(most, ++running);
            return query(...args).finally(() => running--);
          },
        });
        return client;
      },
    } as unknown as pg.Pool;
    const lock = createPostgresWorkerLock(counted, { schema: `${schema}_turns` });
    const jobs = ['expire-holds', 'recover-payments', 'no-shows'] as const;
    try {
      // First takes, then holds proved again, then releases mixed with takes, all at once.
      expect(await Promise.all(jobs.map((job) => lock.acquire(job)))).toEqual([true, true, true]);
      expect(await Promise.all(jobs.map((job) => lock.acquire(job)))).toEqual([true, true, true]);
      expect(
        await Promise.all([
          lock.release('expire-holds'),
          lock.acquire('no-shows'),
          lock.release('recover-payments'),
          lock.acquire('expire-holds'),
        ]),
      ).toEqual([undefined, true, undefined, true]);
      expect(most).toBe(1);
      // In the end the session holds what it took back and not what it let go.
      const other = createPostgresWorkerLock(pools[1] as pg.Pool, { schema: `${schema}_turns` });
      expect(await other.acquire('recover-payments')).toBe(true);
      expect(await other.acquire('expire-holds')).toBe(false);
      await other.close();
    } finally {
      await lock.close();
      await pool.end();
    }
    expect(running).toBe(0);
  });

  test("the leader's backend terminated: its job passes to the other worker at its next turn", async () => {
    const calls = { a: 0, b: 0 };
    const engine = (who: 'a' | 'b') =>
      ({
        expireHolds: async () => {
          calls[who]++;
          return [];
        },
      }) as unknown as Innkeeper;
    const locks = pools.map((pool) => createPostgresWorkerLock(pool, { schema }));
    const jobs = (intervalMs: number) => ({
      'expire-holds': { intervalMs },
      'recover-payments': { enabled: false },
      'no-shows': { enabled: false },
    });
    // The leader's next turn is far away: only the lost connection can free the lock.
    const a = createWorker(engine('a'), { jobs: jobs(60_000), lock: locks[0] });
    const b = createWorker(engine('b'), { jobs: jobs(30), lock: locks[1] });
    a.start();
    while (calls.a === 0) await new Promise((r) => setTimeout(r, 5));
    b.start();
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(calls.b).toBe(0);
      expect(b.status()['expire-holds'].skipped).toBeGreaterThan(2);

      await terminate(await holderPid('expire-holds'));
      await new Promise((r) => setTimeout(r, 300));
      expect(calls.b).toBeGreaterThan(2);
      // The old leader lost the lock with its session; on a new one it cannot take it back.
      expect(await locks[0]?.acquire('expire-holds')).toBe(false);
      expect(calls.a).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all(locks.map((l) => l.close()));
    }
  });
});
