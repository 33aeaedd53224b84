import { InnkeeperError } from '@innkeeper/core';
import { invalid } from '@innkeeper/core/store';
import pg from 'pg';
import { protectPool } from './postgres-pool-guard.js';
import type { PostgresConnection, PostgresPool } from './postgres-store-config.js';

/**
 * Turns `{ pool }` or `{ connectionString }` into the pool the store runs on, and says
 * whether the store owns it (creates it, handles its idle errors, ends it on close).
 * Either way the pool gets the store's `'connect'` hook (see `protectPool`).
 */
export type OpenedPool =
  | { pool: PostgresPool; owned: false }
  /** `created` is the same pool as the `pg.Pool` it is, for what only the owner does. */
  | { pool: PostgresPool; owned: true; created: pg.Pool };

export interface PoolSettings {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  onIdleConnectionError?: (error: Error) => void;
}

export function openPool(connection: PostgresConnection, settings: PoolSettings): OpenedPool {
  if ('pool' in connection) {
    protectPool(connection.pool);
    return { pool: connection.pool, owned: false };
  }
  const { connectionString, poolSize = 10 } = connection;
  checkConnectionString(connectionString);
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw invalid([
      { path: ['poolSize'], message: `Expected a positive integer, got ${poolSize}` },
    ]);
  }
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    application_name: 'innkeeper',
    // Session defaults, so even a one-statement command is bounded by them.
    ...(settings.lockTimeoutMs ? { lock_timeout: settings.lockTimeoutMs } : {}),
    ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
  });
  // An idle connection that dies (server restart, pg_terminate_backend) makes the pool
  // emit 'error' after discarding it; unhandled, that event would crash the process.
  const onError = settings.onIdleConnectionError ?? (() => {});
  pool.on('error', (error) => onError(error));
  protectPool(pool);
  return { pool, owned: true, created: pool };
}

/** Fails at once, with the URL shown without its password, instead of at first use. */
function checkConnectionString(connectionString: string): void {
  let url: URL | undefined;
  try {
    url = new URL(connectionString);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new InnkeeperError(
      'STORAGE',
      `Invalid Postgres connection string "${redact(connectionString)}": expected postgres://user:password@host:port/database`,
      { operation: 'connect' },
    );
  }
}

function redact(connectionString: string): string {
  return connectionString.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** `pg.Pool`'s `options.max` (a pool the store creates is a `pg.Pool` too), if readable. */
export function poolMaxOf(pool: PostgresPool): number | undefined {
  const max = (pool as { options?: { max?: unknown } }).options?.max;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : undefined;
}
