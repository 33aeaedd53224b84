import { fileURLToPath } from 'node:url';
import { createFixture } from '@innkeeper/conformance';
import { isInnkeeperError } from '@innkeeper/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresStore, type PostgresPool } from '../src/index.js';
import { forkWorker, killWorkers, type WorkerExit } from './support/fork-worker.js';
import { startStartupProxy } from './support/startup-proxy.js';
import { databaseUrl, dropSchema, freshSchema, newPool } from './support/test-database.js';
import type { StartupRaceJob, StartupRaceReport } from './workers/startup-race-worker.js';

/**
 * A backend terminated at the moment its connection finishes starting up: the FATAL
 * 57P01 arrives in the same chunk as the start-up reply, while pg-pool hands the new
 * client over with no listener on it. A proxy (support/startup-proxy.ts) reproduces that
 * interleaving exactly on the first connection of a worker process; the worker must
 * survive, and its call must be retried on a new connection (or, with `maxRetries: 0`,
 * end in a STORAGE error) for a pool the store creates and for the caller's own.
 */

const WORKER = fileURLToPath(new URL('./workers/startup-race-worker.ts', import.meta.url));

const admin = newPool(4);
let schema = '';

beforeAll(async () => {
  schema = await freshSchema(admin, 'startup');
  await createFixture(createPostgresStore({ pool: admin }, { schema }));
});
afterAll(async () => {
  killWorkers();
  await dropSchema(admin, schema);
  await admin.end();
});

/** Runs one worker through a proxy that cuts the start-up of its first connection. */
async function race(job: Omit<StartupRaceJob, 'url' | 'schema' | 'idempotencyKey'>) {
  const proxy = await startStartupProxy({
    databaseUrl: databaseUrl(),
    terminate: (pid) => admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]),
    trap: (n) => n === 1,
  });
  const idempotencyKey = `race-${job.pool}-${job.call}-${job.maxRetries ?? 'default'}`;
  try {
    const exit = await forkWorker<StartupRaceReport>(WORKER, {
      ...job,
      url: proxy.url,
      schema,
      idempotencyKey,
    } satisfies StartupRaceJob);
    return { exit, trapped: proxy.trapped, connections: proxy.connections, idempotencyKey };
  } finally {
    await proxy.close();
  }
}

/** The worker exited by itself, cleanly, after one report. */
function expectSurvived(exit: WorkerExit<StartupRaceReport>): StartupRaceReport {
  expect(
    { code: exit.code, signal: exit.signal, uncaught: /uncaught|^\s+at /im.test(exit.stderr) },
    `worker stderr:\n${exit.stderr}`,
  ).toEqual({ code: 0, signal: null, uncaught: false });
  expect(exit.messages).toHaveLength(1);
  return exit.messages[0] as StartupRaceReport;
}

async function reservationsWithKey(key: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${schema}".reservations WHERE idempotency_key = $1`,
    [key],
  );
  return rows[0]?.n ?? -1;
}

describe('a backend terminated as its connection is handed over', () => {
  test.concurrent.each(['owned', 'caller'] as const)(
    '%s pool: the process survives, the booking is retried on a new connection and made once',
    async (pool) => {
      const { exit, trapped, connections, idempotencyKey } = await race({ pool, call: 'book' });
      const report = expectSurvived(exit);
      expect(trapped).toBe(1);
      expect(connections).toBeGreaterThanOrEqual(2);
      expect(report).toMatchObject({ kind: 'booked', status: 'confirmed' });
      expect(await reservationsWithKey(idempotencyKey)).toBe(1);
    },
    30_000,
  );

  test.concurrent.each(['owned', 'caller'] as const)(
    '%s pool, maxRetries 0: the process survives and the booking fails with a STORAGE error (57P01), nothing written',
    async (pool) => {
      const { exit, trapped, idempotencyKey } = await race({ pool, call: 'book', maxRetries: 0 });
      const report = expectSurvived(exit);
      expect(trapped).toBe(1);
      expect(report).toMatchObject({ kind: 'failed', code: 'STORAGE', causeCode: '57P01' });
      expect(report.kind === 'failed' && report.message).toMatch(
        /database connection was lost \(terminating connection due to administrator command\)/,
      );
      expect(await reservationsWithKey(idempotencyKey)).toBe(0);
    },
    30_000,
  );

  test.concurrent.each(['owned', 'caller'] as const)(
    '%s pool: migrate() survives and retries on a new connection',
    async (pool) => {
      const { exit, trapped } = await race({ pool, call: 'migrate' });
      expect(expectSurvived(exit)).toEqual({ kind: 'migrated', applied: [] });
      expect(trapped).toBe(1);
    },
    30_000,
  );
});

describe("a caller's pool the store cannot protect", () => {
  test('a pool without on() is refused at once with a VALIDATION error naming the pool', () => {
    const pool = {
      connect: admin.connect.bind(admin),
      end: async () => {},
    } as unknown as PostgresPool;
    let thrown: unknown;
    try {
      createPostgresStore({ pool }, { schema });
    } catch (error) {
      thrown = error;
    }
    expect(isInnkeeperError(thrown, 'VALIDATION')).toBe(true);
    expect(String((thrown as Error).message)).toMatch(/on\('connect', listener\)/);
  });

  test("a pool whose on('connect') throws is refused the same way", () => {
    const pool: PostgresPool = {
      connect: () => admin.connect(),
      end: async () => {},
      on: (event: string) => {
        if (event === 'connect') throw new Error('only error events here');
        return undefined;
      },
    };
    expect(() => createPostgresStore({ pool }, { schema })).toThrow(/only error events here/);
  });
});

describe('checkout', () => {
  test('a connection lost while it is being opened is replaced (nothing was sent); a connect time-out is not retried', async () => {
    let losses = 2;
    let attempts = 0;
    const flaky: PostgresPool = {
      connect: async () => {
        attempts++;
        if (losses-- > 0) {
          throw Object.assign(new Error('terminating connection due to administrator command'), {
            code: '57P01',
          });
        }
        return admin.connect();
      },
      end: async () => {},
      on: () => undefined,
    };
    expect(await createPostgresStore({ pool: flaky }, { schema }).getHotel('none')).toBeNull();
    expect(attempts).toBe(3);

    let timeouts = 0;
    const slow: PostgresPool = {
      connect: async () => {
        timeouts++;
        throw new Error('Connection terminated due to connection timeout');
      },
      end: async () => {},
      on: () => undefined,
    };
    await expect(createPostgresStore({ pool: slow }, { schema }).getHotel('none')).rejects.toThrow(
      /connection timeout/,
    );
    expect(timeouts).toBe(1);
  });
});
