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
  /** The session is lost (its connection failed, or one of its queries did): replace it. */
  let broken = false;
  let closed = false;
  /**
   * The jobs whose lock the live session holds. Whatever ends or condemns the session
   * (`onError`, a replacement, `close`) empties it, and a job is added only while its
   * session is live, so it never names a lock of a session since lost.
   */
  const held = new Set<LockName>();

  const onError = () => {
    // The connection is gone and its session locks with it.
    broken = true;
    held.clear();
  };

  /** Whether `c` is the session in use and nothing has judged it lost. */
  const live = (c: PostgresClient) => c === client && !broken && !closed;

  /** The connection being opened: jobs asking at once share it (one session, one client). */
  let connecting: Promise<PostgresClient> | null = null;

  function connection(): Promise<PostgresClient> {
    if (client && !broken) return Promise.resolve(client);
    connecting ??= (async () => {
      if (client) {
        // Ending the old session releases what it held: nothing is held any more.
        client.removeListener('error', onError);
        client.release(true);
        client = null;
        held.clear();
      }
      broken = false;
      const next = await pool.connect();
      if (closed) {
        next.release(true);
        throw new Error('The worker lock is closed');
      }
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

  /**
   * A query on `c` failed: its session is judged lost (even if the server kept it, a
   * statement timeout say, the next use replaces it, which ends it and its locks), unless
   * `c` was replaced meanwhile.
   */
  const failedOn = (c: PostgresClient) => {
    if (c === client) onError();
  };

  /** Both keys of the two-int advisory lock: the library's namespace, then schema and job. */
  const keyOf = (job: LockName) => [`innkeeper.worker`, `${schema}:${job}`];

  return {
    async acquire(job) {
      if (closed) return false;
      let c: PostgresClient;
      try {
        c = await connection();
      } catch {
        // No session opened, so none holds anything (the one before, if any, was ended).
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
        // Taken on a session judged lost while the query waited its turn (another query on
        // it failed): that session is about to be ended, and the lock with it. Not ours.
        if (rows[0]?.ok === true && live(c)) held.add(job);
        return held.has(job);
      } catch {
        failedOn(c);
        return false;
      }
    },
    async release(job) {
      const c = client;
      if (!held.has(job) || !c) return;
      held.delete(job);
      const [space, name] = keyOf(job);
      await inTurn(c, {
        text: 'SELECT pg_advisory_unlock(hashtext($1), hashtext($2))',
        values: [space, name],
      }).catch(() => failedOn(c));
    },
    async close() {
      closed = true;
      held.clear();
      await connecting?.catch(() => undefined);
      if (!client) return;
      client.removeListener('error', onError);
      // Ending the session releases every lock it held. A query still running on it is not
      // waited for (it could hang on a dead connection): it fails, and its caller answers
      // `false`.
      client.release(true);
      client = null;
    },
  };
}
