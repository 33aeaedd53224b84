import { randomBytes } from 'node:crypto';
import { createWorker, type Innkeeper } from '@innkeeper/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresWorkerLock, type PostgresPool } from '../src/index.js';
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

  describe('its session judged, on a stand-in pool whose queries the test answers', () => {
    test('a lock taken on a session judged lost while its query waited its turn is not held', async () => {
      const pool = standInPool();
      const lock = createPostgresWorkerLock(pool, { schema });
      // Two jobs ask at once: the first's query fails without ending the session (a
      // statement timeout, a cancelled query), then the second's takes the lock on it.
      const first = lock.acquire('expire-holds');
      const second = lock.acquire('no-shows');
      await until(() => pool.sessions[0]?.pending.length === 1);
      pool.sessions[0]?.fail(new Error('canceling statement due to statement timeout'));
      await until(() => pool.sessions[0]?.pending.length === 1);
      pool.sessions[0]?.answer({ ok: true });
      expect(await first).toBe(false);
      // The session it was taken on is about to be ended, and the lock with it.
      expect(await second).toBe(false);
      // Asked again, the job is taken on a new session, not answered from the old one.
      const again = lock.acquire('no-shows');
      await until(() => pool.sessions[1]?.pending.length === 1);
      expect(pool.sessions[0]?.ended).toBe(true);
      expect(pool.sessions[1]?.pending[0]?.text).toContain('pg_try_advisory_lock');
      pool.sessions[1]?.answer({ ok: true });
      expect(await again).toBe(true);
      await lock.close();
    });

    test('a query failing on a session already replaced leaves the new one and its locks alone', async () => {
      const pool = standInPool();
      const lock = createPostgresWorkerLock(pool, { schema });
      const taken = lock.acquire('expire-holds');
      await until(() => pool.sessions[0]?.pending.length === 1);
      pool.sessions[0]?.answer({ ok: true });
      expect(await taken).toBe(true);
      // A query is in flight when the connection reports its failure.
      const lost = lock.acquire('no-shows');
      await until(() => pool.sessions[0]?.pending.length === 1);
      pool.sessions[0]?.emitError(new Error('Connection terminated unexpectedly'));
      // The next job opens a new session; its query waits for the old one's to settle.
      const next = lock.acquire('recover-payments');
      await until(() => pool.sessions.length === 2);
      pool.sessions[0]?.fail(new Error('Connection terminated'));
      expect(await lost).toBe(false);
      await until(() => pool.sessions[1]?.pending.length === 1);
      pool.sessions[1]?.answer({ ok: true });
      expect(await next).toBe(true);
      // Proved again on the new session, which the old one's failure did not mark lost.
      const held = lock.acquire('recover-payments');
      await until(() => pool.sessions[1]?.pending.length === 1);
      expect(pool.sessions[1]?.pending[0]?.text).toBe('SELECT 1');
      pool.sessions[1]?.answer({});
      expect(await held).toBe(true);
      expect(pool.sessions).toHaveLength(2);
      await lock.close();
    });

    test('close ends the session at once, a query still waiting on it included, and the lock takes nothing after', async () => {
      const pool = standInPool();
      const lock = createPostgresWorkerLock(pool, { schema });
      // The server never answers (a connection gone silent).
      const hanging = lock.acquire('expire-holds');
      await until(() => pool.sessions[0]?.pending.length === 1);
      await lock.close();
      expect(pool.sessions[0]?.ended).toBe(true);
      expect(await hanging).toBe(false);
      expect(await lock.acquire('expire-holds')).toBe(false);
      await lock.release('expire-holds');
      expect(pool.sessions).toHaveLength(1);
    });
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

/** A query the stand-in session was sent, waiting for the test to answer it. */
interface PendingQuery {
  text: string;
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

/**
 * A session of `standInPool`: it holds the queries sent to it until the test answers or
 * fails the oldest, reports a failure of its connection (`emitError`), and when released
 * with an error (ended) fails what is still waiting, as `pg` does.
 */
class StandInSession {
  readonly pending: PendingQuery[] = [];
  ended = false;
  private readonly listeners = new Set<(error: Error) => void>();

  query(config: { text: string }): Promise<{ rows: unknown[] }> {
    if (this.ended) return Promise.reject(new Error('Client was closed and is not queryable'));
    return new Promise((resolve, reject) => {
      this.pending.push({ text: config.text, resolve: (rows) => resolve({ rows }), reject });
    });
  }
  answer(row: Record<string, unknown>): void {
    this.pending.shift()?.resolve([row]);
  }
  fail(error: Error): void {
    this.pending.shift()?.reject(error);
  }
  emitError(error: Error): void {
    for (const listener of this.listeners) listener(error);
  }
  release(error?: Error | boolean): void {
    if (!error) return;
    this.ended = true;
    for (const query of this.pending.splice(0)) query.reject(new Error('Connection terminated'));
  }
  on(_event: 'error', listener: (error: Error) => void): void {
    this.listeners.add(listener);
  }
  removeListener(_event: 'error', listener: (error: Error) => void): void {
    this.listeners.delete(listener);
  }
}

/** A pool handing out a new `StandInSession` on every `connect` (all kept, in order). */
function standInPool() {
  const sessions: StandInSession[] = [];
  return {
    sessions,
    connect: async () => {
      const session = new StandInSession();
      sessions.push(session);
      return session;
    },
    end: async () => {},
    on: () => {},
  } as unknown as PostgresPool & { sessions: StandInSession[] };
}

/** Waits (a turn of the event loop at a time, a second at most) until `ready()`. */
async function until(ready: () => boolean): Promise<void> {
  for (let turns = 0; !ready(); turns++) {
    if (turns > 1_000) throw new Error('never ready');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
