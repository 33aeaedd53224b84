import type { RelayWake } from './change-feed-relay.js';

/** The slice of a `pg.PoolClient` LISTEN needs. */
export interface PostgresListenClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(error?: Error | boolean): void;
}

/** The slice of a `pg.Pool` the wake helpers need. */
export interface PostgresListenPool {
  connect(): Promise<PostgresListenClient>;
  query(text: string): Promise<unknown>;
}

/** The channel `installNotifyTrigger` notifies and `createPostgresWake` listens on by default. */
export const DEFAULT_NOTIFY_CHANNEL = 'innkeeper_events';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function quote(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`${what} must be a plain identifier: ${name}`);
  return `"${name}"`;
}

/**
 * A `wake` for `createChangeFeedRelay`: LISTENs on `channel` on a client of its own
 * (held for as long as the relay runs) and wakes the relay on every notification. If
 * the connection breaks it reconnects with backoff and wakes the relay once (anything
 * notified meanwhile was lost; the relay's safety poll covers the gap too).
 */
export function createPostgresWake(
  pool: PostgresListenPool,
  channel: string = DEFAULT_NOTIFY_CHANNEL,
  options: { onError?: (error: unknown) => void } = {},
): RelayWake {
  const quoted = quote(channel, 'channel');
  const onError = options.onError ?? (() => {});
  return async (onWake) => {
    let client: PostgresListenClient | null = null;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;

    const connect = async (attempt: number): Promise<void> => {
      if (closed) return;
      try {
        const next = await pool.connect();
        next.on('notification', (message) => {
          if (message.channel === channel) onWake();
        });
        next.on('error', (error) => {
          onError(error);
          if (client !== next) return;
          client = null;
          next.release(error);
          retry = setTimeout(() => void connect(0), 100);
        });
        await next.query(`LISTEN ${quoted}`);
        if (closed) {
          next.release();
          return;
        }
        client = next;
        if (attempt > 0) onWake();
      } catch (error) {
        onError(error);
        retry = setTimeout(() => void connect(attempt + 1), Math.min(100 * 2 ** attempt, 5_000));
      }
    };

    await connect(0);
    return async () => {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      if (!current) return;
      await current.query(`UNLISTEN ${quoted}`).catch(() => {});
      current.release();
    };
  };
}

/**
 * Makes the store's change feed notify `channel` whenever events are written: an AFTER
 * INSERT ... FOR EACH STATEMENT trigger on `<schema>.events` calling `pg_notify`.
 * Postgres delivers the notification when the writing transaction commits (never for a
 * rolled-back one) and folds identical notifications of one transaction into one.
 * Idempotent; run it after the store's `migrate()`.
 */
export async function installNotifyTrigger(
  pool: Pick<PostgresListenPool, 'query'>,
  schema = 'innkeeper',
  channel: string = DEFAULT_NOTIFY_CHANNEL,
): Promise<void> {
  await pool.query(notifyTriggerSql(schema, channel));
}

/** The SQL `installNotifyTrigger` runs, for those who apply migrations their own way. */
export function notifyTriggerSql(
  schema = 'innkeeper',
  channel: string = DEFAULT_NOTIFY_CHANNEL,
): string {
  const s = quote(schema, 'schema');
  quote(channel, 'channel');
  return `BEGIN;
CREATE OR REPLACE FUNCTION ${s}.innkeeper_cache_notify() RETURNS trigger
  LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${channel}', ''); RETURN NULL; END $$;
DROP TRIGGER IF EXISTS innkeeper_cache_notify ON ${s}.events;
CREATE TRIGGER innkeeper_cache_notify AFTER INSERT ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.innkeeper_cache_notify();
COMMIT;`;
}
