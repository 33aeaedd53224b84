import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isConnectionLoss, toStorageError } from './postgres-errors.js';
import { lostConnection, markLost } from './postgres-pool-guard.js';
import type { Queries } from './postgres-queries.js';
import type { PostgresClient, PostgresQueryConfig } from './postgres-store-config.js';
import { checkin, type ExecutorSettings, type PostgresExecutor } from './postgres-transaction.js';

/**
 * Warm connections: the first booking on a brand-new backend is several times slower
 * than on a used one. Nothing of a connection's work is shared between Postgres
 * backends: each one loads the PL/pgSQL library, reads the catalog entries of every
 * table, index, function, type and operator it touches into its own caches, compiles
 * each function on its first call and plans each statement inside it on its first run
 * (the plans are then kept for the life of the backend; the functions force generic
 * plans so that happens once), and the driver prepares each named statement once per
 * connection. Measured with bench/cold-start.ts.
 *
 * That cost cannot be avoided, only moved off the booking path. A pool creates a
 * connection when a caller needs one and hands it over as soon as it is connected, so
 * warming it there (say in the pool's 'connect' event) would still run in front of that
 * caller's command. Instead, connections are warmed before anyone waits on them:
 * `store.warmUp(n)` at start-up, and, with a pool the store creates, a replacement for
 * each connection lost to an error (killed backends, a failover, a restart), opened and
 * warmed in the background as soon as the pool has no idle connection left (while it
 * has one, that one serves the next command, and a checkout would only borrow it).
 *
 * The warm-up runs the store's own named statements inside a transaction that is rolled
 * back. With a hotel id of NULL, which no row matches, the booking and reservation-change
 * functions take their read, lock and sold-out paths (compiled and planned, with the
 * catalog caches they need); a booking priced on a revision of a hotel that does not exist
 * takes the `repriced` path; and a booking that claims no calendar row for the hotel id ''
 * (no hotel has it: ids are at least one character) runs to the end, planning the final
 * write of the rows, the reservation and its nights and inserting the reservation and its
 * one night (migration 13: a booking that updates no row inserts no event).
 *
 * A real booking's first run on a backend did more than that: it wrote the change feed's
 * event (the events table's indexes, each index's root page then kept in the backend's
 * cache), built the event's days as JSON (the JSON functions and each column type's output
 * function looked up into the backend's catalog caches) and drew from the event sequence
 * (the sequence opened for this backend). So the warm-up also inserts an event numbered 0,
 * which the sequence never hands out and no reader ever reads, its days built the same way
 * from one made-up row, and opens the sequence without drawing from it. On a bare
 * connection, taking turns with the warm-up as it was, that took the first booking after it
 * from 1.64–1.83 to 1.47–1.68 ms, within 0.1–0.3 ms of a warm-up that booked real rows and
 * rolled them back (the README's "Cold start"), without locking any hotel's rows or leaving
 * a hole in the feed. Everything is rolled back, and no sequence number is drawn. Each
 * warm-up uses a key and an event hotel id of its own, so warm-ups of several connections
 * at once never wait on each other's uncommitted rows.
 */

const SOME_DATE = '2000-01-01';
const NEXT_DATE = '2000-01-02';
const SOME_AT = '2000-01-01T00:00:00.000Z';
/** How long losses are gathered before their replacements start. */
const BATCH_MS = 20;
/** Replacements failing in a row before the store stops trying (about 5 s of back-off). */
const MAX_FAILURES = 8;

/**
 * What one warm-up sends: nothing in it matches a row (the hotel id is NULL, or '', which
 * no hotel has; its event's is the warm-up's own id), and what it inserts is rolled back.
 */
export function warmUpStatements(queries: Queries, lockTimeoutMs: number): PostgresQueryConfig[] {
  const nulls = (n: number) => Array.from({ length: n }, () => null);
  const delta = [[''], [SOME_DATE], [1]];
  const noNights = [[], [], []];
  const lockTimeout = String(lockTimeoutMs);
  const id = `warm-up-${randomUUID()}`;
  // A reservation at hotel '', as apply_booking's arguments 2-15, and its one night, which
  // claims no calendar row (the claims, arguments 16-18, are separate and stay empty).
  const nothing = [
    ...['', id, 'confirmed', SOME_DATE, NEXT_DATE, '', SOME_AT, null, id, '', 1, '{}'],
    ...[null, SOME_AT],
  ];
  const oneNight = [[''], [SOME_DATE], [1]];
  return [
    { ...queries.findByKey, values: [null, null] },
    { ...queries.readStay, values: [null, SOME_DATE, SOME_DATE, null] },
    { ...queries.readStayTypes, values: [null, SOME_DATE, SOME_DATE, [], null] },
    // apply_booking: key look-up, rows locked in order (none), key again, sold out (no
    // pricing revision to check: with one, it would stop at `repriced` before that).
    {
      ...queries.applyBooking,
      values: [lockTimeout, ...nulls(14), ...delta, ...noNights, null],
    },
    // apply_booking priced on a revision: the hotel's revision read, `repriced`.
    { ...queries.applyBooking, values: [lockTimeout, ...nothing, ...noNights, ...noNights, '0'] },
    // apply_booking claiming no rows, no revision: the final write, `created`: the
    // reservation and its night inserted (rolled back), no event (no row was updated).
    { ...queries.applyBooking, values: [lockTimeout, ...nothing, ...noNights, ...oneNight, null] },
    // What only a real booking's event did to a new backend: its days' JSON built, the
    // event table's indexes written and the sequence opened, no number drawn (see
    // `warmUpEvent`).
    { ...queries.warmUpEvent, values: [id, SOME_AT, SOME_DATE] },
    queries.warmUpEventSequence,
    { ...queries.lockReservation, values: [null] },
    // apply_reservation_change: rows locked in order (none), sold out.
    {
      ...queries.applyChange,
      values: [null, null, ...delta, ...nulls(8), false, ...noNights, null, null],
    },
    { ...queries.lockCalendar, values: [null, null, []] },
  ];
}

/** The part of `pg.Pool` the background replacement reads (only on pools the store made). */
type OwnedPool = Pick<pg.Pool, 'totalCount' | 'idleCount' | 'on'>;

export class ConnectionWarmer {
  private readonly warm = new WeakSet<object>();
  private readonly tasks = new Set<Promise<void>>();
  /** Lost connections not replaced yet. */
  private owed = 0;
  /** Replacements that failed in a row: each one doubles the wait before the next. */
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly executor: PostgresExecutor,
    /** The statements of one warm-up (each has a key of its own). */
    private readonly statements: () => PostgresQueryConfig[],
    private readonly settings: ExecutorSettings,
  ) {}

  /**
   * With a pool the store created: each client the pool removes after its connection
   * was lost (an idle one the server terminated, or one the store discarded) is replaced
   * by a new, warmed connection, unless the pool is full or has an idle client anyway.
   */
  replaceLostConnections(pool: OwnedPool, max: number): void {
    pool.on('remove', (client) => {
      if (this.closed || lostConnection(client) === undefined) return;
      this.owed = Math.min(this.owed + 1, max);
      this.schedule(pool, max);
    });
  }

  /**
   * Checks out `connections` clients at once (so the pool opens that many), warms those
   * not warmed yet, and gives them back. Returns how many it warmed; throws the first
   * failure (a STORAGE error) once every client is back.
   */
  async warmUp(connections: number): Promise<number> {
    const checkouts = await Promise.allSettled(
      Array.from({ length: connections }, () => this.executor.checkout('warmUp')),
    );
    const clients = checkouts.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    const refused = checkouts.find((c) => c.status === 'rejected');
    if (refused) {
      for (const client of clients) giveBack(client);
      throw refused.reason;
    }
    const results = await Promise.allSettled(clients.map((client) => this.warmClient(client)));
    let warmed = 0;
    let failure: unknown;
    results.forEach((result, i) => {
      const client = clients[i] as PostgresClient;
      if (result.status === 'fulfilled') {
        if (result.value) warmed++;
        giveBack(client);
      } else {
        failure ??= result.reason;
        giveBack(client, result.reason);
      }
    });
    if (failure !== undefined) throw toStorageError('warmUp', failure, this.settings);
    return warmed;
  }

  /** Waits for replacements under way; none start afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.tasks]);
  }

  private schedule(pool: OwnedPool, max: number): void {
    if (this.timer !== undefined || this.closed) return;
    // A failover takes every connection within a few milliseconds: gather those losses
    // into one batch, whose replacements all start while none is idle yet (a pool hands
    // out an idle client before it opens a new one).
    const delay = Math.min(5_000, BATCH_MS * 2 ** this.failures);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.replace(pool, max);
    }, delay);
    // Never what keeps the process alive.
    this.timer.unref?.();
  }

  private replace(pool: OwnedPool, max: number): void {
    // A full pool needs nothing; with an idle client, that one serves the next caller
    // (and a checkout would only borrow it).
    if (pool.totalCount >= max || pool.idleCount > 0) this.owed = 0;
    this.owed = Math.min(this.owed, max - pool.totalCount);
    for (; this.owed > 0 && !this.closed; this.owed--) {
      const task = this.replaceOne().then((outcome) => {
        this.tasks.delete(task);
        if (outcome === 'warmed') {
          this.failures = 0;
          return;
        }
        // Backing off; a replacement whose connection was lost is owed again by the
        // pool's 'remove' event, one that could not connect is owed again here, for a
        // few seconds at most (a restart), not for ever (a server gone for good).
        this.failures++;
        if (outcome === 'unreachable' && this.failures <= MAX_FAILURES) {
          this.owed++;
          this.schedule(pool, max);
        }
      });
      this.tasks.add(task);
    }
  }

  private async replaceOne(): Promise<'warmed' | 'unreachable' | 'failed'> {
    let client: PostgresClient;
    try {
      client = await this.executor.checkout('warmUp');
    } catch {
      return 'unreachable';
    }
    try {
      await this.warmClient(client);
      giveBack(client);
      return 'warmed';
    } catch (error) {
      giveBack(client, error);
      return 'failed';
    }
  }

  /**
   * Runs the warm-up on `client` (once per client) in a transaction it rolls back.
   * Returns false if the client was already warm; throws what failed (the caller hands
   * the client back, broken if its connection was lost).
   */
  private async warmClient(client: PostgresClient): Promise<boolean> {
    if (this.warm.has(client)) return false;
    try {
      await client.query({ text: this.executor.beginSql });
      for (const statement of this.statements()) await client.query(statement);
    } finally {
      // A failure (an unmigrated schema) aborted the transaction: end it either way.
      // On a lost connection this fails too, and the first error is the one thrown.
      await client.query({ text: 'ROLLBACK' }).catch((error) => markLost(client, error));
    }
    this.warm.add(client);
    return true;
  }
}

/** Back to the pool; broken (so the pool drops it) if its connection was lost. */
function giveBack(client: PostgresClient, error?: unknown): void {
  const broken =
    lostConnection(client) ?? (error !== undefined && isConnectionLoss(error) ? error : undefined);
  checkin(client, broken);
}
