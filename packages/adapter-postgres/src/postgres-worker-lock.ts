import type { LockName, WorkerLock } from '@innkeeper/core';
import type {
  PostgresClient,
  PostgresPool,
  PostgresQueryConfig,
  PostgresQueryResult,
} from './postgres-store-config.js';

/**
 * One leader per worker job across every server on a database: a session-level advisory
 * lock per (schema, job), held on one dedicated connection. Postgres releases a session
 * lock when its connection ends, so a leader that dies, or whose connection is cut,
 * loses its jobs at once and the next server to try takes them; no lease to expire.
 *
 * The connection is checked out of `pool` on first use and kept; when it fails, every
 * job it held is reported lost (`acquire` answers `false` until it wins the lock again
 * on a new connection).
 */
export function createPostgresWorkerLock(
  pool: PostgresPool,
  options: { schema?: string } = {},
): WorkerLock & { close(): Promise<void> } {
  const schema = options.schema ?? 'innkeeper';
  let client: PostgresClient | null = null;
  let broken = false;
  const held = new Set<LockName>();

  const onError = () => {
    // The connection is gone and its session locks with it.
    broken = true;
    held.clear();
  };

  /** The connection being opened: jobs asking at once share it (one session, one client). */
  let connecting: Promise<PostgresClient> | null = null;

  function connection(): Promise<PostgresClient> {
    if (client && !broken) return Promise.resolve(client);
    connecting ??= (async () => {
      if (client) {
        client.removeListener('error', onError);
        client.release(true);
        client = null;
      }
      broken = false;
      const next = await pool.connect();
      next.on('error', onError);
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  /**
   * The session's queries, one after another. Jobs ask at once (a worker starts them
   * together), and a client already running a query must not be sent another: pg 8 queues
   * it with a deprecation warning, pg 9 refuses it.
   */
  let lastQuery: Promise<unknown> = Promise.resolve();
  function inTurn<Row>(
    c: PostgresClient,
    query: PostgresQueryConfig,
  ): Promise<PostgresQueryResult<Row>> {
    const send = () => c.query<Row>(query);
    const result = lastQuery.then(send, send);
    lastQuery = result.catch(() => undefined);
    return result;
  }

  /** A query on `c` failed: its session is lost, unless `c` was replaced meanwhile. */
  const failedOn = (c: PostgresClient) => {
    if (c === client) onError();
  };

  /** Both keys of the two-int advisory lock: the library's namespace, then schema and job. */
  const keyOf = (job: LockName) => [`innkeeper.worker`, `${schema}:${job}`];

  return {
    async acquire(job) {
      let c: PostgresClient;
      try {
        c = await connection();
      } catch {
        onError();
        return false;
      }
      try {
        if (held.has(job)) {
          // Still ours only if the session is: a cheap round trip proves it.
          await inTurn(c, { text: 'SELECT 1' });
          return held.has(job);
        }
        const [space, name] = keyOf(job);
        const { rows } = await inTurn<{ ok: boolean }>(c, {
          name: 'innkeeper_worker_try_lock',
          text: 'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok',
          values: [space, name],
        });
        if (rows[0]?.ok === true) held.add(job);
        return held.has(job);
      } catch {
        failedOn(c);
        return false;
      }
    },
    async release(job) {
      const c = client;
      if (!held.has(job) || !c || broken) return;
      held.delete(job);
      const [space, name] = keyOf(job);
      await inTurn(c, {
        text: 'SELECT pg_advisory_unlock(hashtext($1), hashtext($2))',
        values: [space, name],
      }).catch(() => failedOn(c));
    },
    async close() {
      held.clear();
      await connecting?.catch(() => undefined);
      // A query still running has the client: end the session after it.
      await lastQuery;
      if (!client) return;
      client.removeListener('error', onError);
      // Ending the session releases every lock it held.
      client.release(true);
      client = null;
    },
  };
}
