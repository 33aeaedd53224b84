import { invalid } from '@innkeeper/core/store';
import type { PostgresClient, PostgresPool } from './postgres-store-config.js';

/**
 * Keeping a dying connection from crashing the process.
 *
 * node-postgres reports a connection that dies while nobody is querying on it with an
 * `'error'` event on the client, and an `'error'` event nobody listens to is thrown. A
 * pool listens on its idle clients; the store listens on the ones it has checked out.
 * The gap is the hand-over of a brand-new connection: pg-pool removes its idle listener
 * synchronously while it resolves `pool.connect()`, but the caller's `await` resumes a
 * tick later. When the server terminates the backend just as it finishes connecting
 * (`pg_terminate_backend`, a failover, a restart), its FATAL 57P01 arrives in the same
 * chunk as the start-up reply (ReadyForQuery): it is parsed, and emitted on a client
 * with no listener, before any caller code can run. That was an uncaughtException.
 *
 * The fix: a listener the store attaches in the pool's `'connect'` event, which pg-pool
 * emits synchronously for every new client before handing it over, and which is never
 * removed. It records the error, so `lostConnection(client)` can tell the checkout that
 * the client arrived dead (it is then discarded and, as nothing was sent on it, another
 * one is taken). The same listener, attached on checkout, covers clients the pool made
 * before the store was attached to it (an idle client is handed over from a
 * `process.nextTick`, with no I/O in between: never in that gap).
 */

/** Clients with the store's permanent `'error'` listener. */
const watched = new WeakSet<object>();
/** The first error each client reported, or the error it was discarded with. */
const lost = new WeakMap<object, Error>();
/** Pools with the `'connect'` hook attached (once per pool, whatever the number of stores). */
const hooked = new WeakSet<object>();

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Gives `client` the store's permanent `'error'` listener (once). */
export function watchClient(client: PostgresClient): void {
  if (watched.has(client)) return;
  watched.add(client);
  client.on('error', (error: Error) => {
    // Checked out, the next query fails anyway and is handled there; idle, the pool's
    // own listener discards the client. Either way only remember it.
    if (!lost.has(client)) lost.set(client, toError(error));
  });
}

/** Records that `client` is broken (before it is released with the error). */
export function markLost(client: object, error: unknown): void {
  if (!lost.has(client)) lost.set(client, toError(error));
}

/** The error `client`'s connection died with, if it did. */
export function lostConnection(client: object): Error | undefined {
  return lost.get(client);
}

/**
 * Attaches the store's `'connect'` hook to a pool, or refuses the pool if it cannot be
 * attached: every new client then gets the permanent listener before pg-pool hands it
 * over. A pool (or wrapper) must emit `'connect'` with each new client, as `pg.Pool`
 * does, for that to work.
 */
export function protectPool(pool: PostgresPool): void {
  if (hooked.has(pool)) return;
  const refuse = (why: string) =>
    invalid([
      {
        path: ['pool'],
        message: `The pool ${why}: the store must attach a listener to every new connection through the pool's 'connect' event (pg.Pool emits it), or a connection terminated while it is handed over crashes the process`,
      },
    ]);
  if (
    typeof pool !== 'object' ||
    pool === null ||
    typeof pool.connect !== 'function' ||
    typeof pool.on !== 'function'
  ) {
    throw refuse("has no on('connect', listener) method");
  }
  try {
    pool.on('connect', watchClient);
  } catch (error) {
    throw refuse(`refused on('connect', listener) (${toError(error).message})`);
  }
  hooked.add(pool);
}
