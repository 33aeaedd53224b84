import { invalid } from '@innkeeper/core/store';
import { checkSchemaName, DEFAULT_SCHEMA, quoteIdentifier } from './postgres-store-config.js';

/**
 * Change notifications: the store's change feed (`readEvents`, see
 * postgres-change-feed.ts) announced with LISTEN/NOTIFY, so that a consumer of the feed
 * (the Redis cache's relay, your own) reads as soon as events are committed instead of
 * polling. Opt-in: `installNotifyTrigger` adds the trigger to a migrated schema, and
 * `createPostgresWake` listens. Nothing here imports `pg`: a `pg.Pool` fits the
 * structural types below.
 */

/** The slice of a `pg.PoolClient` LISTEN needs. */
export interface PostgresListenClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(error?: Error | boolean): void;
}

/** The slice of a `pg.Pool` the notification helpers need. */
export interface PostgresListenPool {
  connect(): Promise<PostgresListenClient>;
  query(text: string): Promise<unknown>;
}

/**
 * Calls `onWake` whenever events may have been written; resolves to a function that
 * stops listening. The shape `createChangeFeedRelay({ wake })` of `@innkeeper/cache-redis`
 * takes (its `RelayWake`).
 */
export type ChangeFeedWake = (onWake: () => void) => Promise<() => Promise<void>>;

/** The channel `installNotifyTrigger` notifies and `createPostgresWake` listens on by default. */
export const DEFAULT_NOTIFY_CHANNEL = 'innkeeper_events';

/** Channel names are spliced into SQL text, like schema names: plain identifiers only. */
function checkChannelName(channel: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(channel)) {
    throw invalid([
      {
        path: ['channel'],
        message: `Invalid channel name "${channel}": use 1-63 letters, digits or underscores, not starting with a digit`,
      },
    ]);
  }
  return channel;
}

/**
 * A wake-up for a change-feed consumer: LISTENs on `channel` on a pool client of its own
 * (held for as long as it runs) and calls `onWake` on every notification. If that
 * connection breaks it reconnects with backoff (100 ms doubling up to 5 s) and, once
 * listening again, calls `onWake` once: anything notified meanwhile was lost. Errors
 * (the broken connection, failed reconnects) go to `options.onError`.
 */
export function createPostgresWake(
  pool: PostgresListenPool,
  channel: string = DEFAULT_NOTIFY_CHANNEL,
  options: { onError?: (error: unknown) => void } = {},
): ChangeFeedWake {
  const quoted = quoteIdentifier(checkChannelName(channel));
  const onError = options.onError ?? (() => {});
  return async (onWake) => {
    let client: PostgresListenClient | null = null;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const later = (attempt: number, ms: number) => {
      if (!closed) retry = setTimeout(() => void connect(attempt, true), ms);
    };

    const connect = async (attempt: number, reconnecting: boolean): Promise<void> => {
      if (closed) return;
      let next: PostgresListenClient | undefined;
      try {
        next = await pool.connect();
        const mine = next;
        mine.on('notification', (message) => {
          if (message.channel === channel) onWake();
        });
        mine.on('error', (error) => {
          onError(error);
          // An error while setting up is the catch's to handle (LISTEN rejects).
          if (client !== mine) return;
          client = null;
          mine.release(error);
          later(0, 100);
        });
        await mine.query(`LISTEN ${quoted}`);
      } catch (error) {
        onError(error);
        next?.release(error instanceof Error ? error : true);
        later(attempt + 1, Math.min(100 * 2 ** attempt, 5_000));
        return;
      }
      if (closed) {
        next.release();
        return;
      }
      client = next;
      if (reconnecting) onWake();
    };

    await connect(0, false);
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
 * Idempotent (run again with another channel, it moves the trigger to that channel);
 * run it after `migrate()`.
 */
export async function installNotifyTrigger(
  pool: Pick<PostgresListenPool, 'query'>,
  schema: string = DEFAULT_SCHEMA,
  channel: string = DEFAULT_NOTIFY_CHANNEL,
): Promise<void> {
  await pool.query(notifyTriggerSql(schema, channel));
}

/** The SQL `installNotifyTrigger` runs, for those who apply migrations their own way. */
export function notifyTriggerSql(
  schema: string = DEFAULT_SCHEMA,
  channel: string = DEFAULT_NOTIFY_CHANNEL,
): string {
  const s = quoteIdentifier(checkSchemaName(schema));
  checkChannelName(channel);
  // The function and trigger names are those @innkeeper/cache-redis used to install,
  // so running this on a schema set up by an earlier release replaces, never doubles.
  return `BEGIN;
CREATE OR REPLACE FUNCTION ${s}.innkeeper_cache_notify() RETURNS trigger
  LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${channel}', ''); RETURN NULL; END $$;
DROP TRIGGER IF EXISTS innkeeper_cache_notify ON ${s}.events;
CREATE TRIGGER innkeeper_cache_notify AFTER INSERT ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.innkeeper_cache_notify();
COMMIT;`;
}
